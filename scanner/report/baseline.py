"""Baselines: compare this scan with a previous ``findings.json`` by finding identity.

Identity is ``(policy id, resource ARN)``, never message text, so rewording a
policy does not make every finding "new". A baseline finding that this scan no
longer reports is *fixed* only if this scan looked at its account and Region;
a narrower scan must not claim fixes it never checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scanner.engine.results import SEVERITY_RANK, Finding
from scanner.errors import InputError, Location
from scanner.model.snapshot import parse_json
from scanner.report.context import FixedFinding, ScanScope
from scanner.userfiles import read_user_text

FINDINGS_FORMAT = "stormproof-findings"


@dataclass(frozen=True)
class Baseline:
    source: str
    entries: dict[tuple[str, str], dict[str, Any]]  # identity -> the baseline's finding
    accounts_redacted: bool  # the baseline was written with --redact-accounts


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a previous ``findings.json``; anything else is one :class:`InputError` line."""
    source = str(path)
    text = read_user_text(path, "baseline", subject="baseline")
    document = parse_json(text, source, what="baseline is not valid JSON")
    if not isinstance(document, dict) or document.get("format") != FINDINGS_FORMAT:
        raise InputError(
            'baseline is not a stormproof findings.json (expected "format": "stormproof-findings")',
            Location(source, 1),
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise InputError("baseline has no `findings` list", Location(source, 1))
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for index, entry in enumerate(findings):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("policy_id"), str)
            and isinstance(entry.get("arn"), str)
        ):
            raise InputError(
                f"baseline finding $.findings[{index}] needs string `policy_id` and `arn`",
                Location(source),
            )
        entries[(entry["policy_id"], entry["arn"])] = entry
    scan = document.get("scan") if isinstance(document.get("scan"), dict) else {}
    return Baseline(source, entries, bool(scan.get("accounts_redacted")))


def apply_baseline(
    findings: list[Finding],
    baseline: Baseline,
    *,
    scope: ScanScope,
    normalize: Callable[[str], str] = str,
) -> list[FixedFinding]:
    """Mark each finding ``new`` or ``unchanged``; return the baseline's findings now gone.

    ``normalize`` maps this scan's ARNs and accounts into the baseline's terms
    (the account pseudonymizer when the baseline was redacted).
    """
    seen: set[tuple[str, str]] = set()
    for finding in findings:
        identity = (finding.policy_id, normalize(finding.arn))
        seen.add(identity)
        finding.baseline_state = "unchanged" if identity in baseline.entries else "new"
    accounts = {normalize(account) for account in scope.accounts}
    regions = set(scope.regions)
    fixed: list[FixedFinding] = []
    for identity, entry in baseline.entries.items():
        if identity in seen or entry.get("status") in ("unknown", "superseded"):
            continue
        if accounts and entry.get("account") not in accounts:
            continue
        if regions and entry.get("region") not in regions:
            continue
        fixed.append(
            FixedFinding(
                policy_id=identity[0],
                severity=str(entry.get("severity") or "low"),
                resource_type=str(entry.get("resource_type") or ""),
                resource_id=str(entry.get("resource_id") or ""),
                arn=identity[1],
                account=str(entry.get("account") or ""),
                region=str(entry.get("region") or ""),
                message=str(entry.get("message") or ""),
            )
        )
    fixed.sort(
        key=lambda f: (SEVERITY_RANK.get(f.severity, 99), f.policy_id, f.account, f.region, f.arn)
    )
    return fixed
