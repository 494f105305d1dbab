"""Keep secrets and (on request) account ids out of every output.

``--redact-accounts`` replaces each 12-digit AWS account id, wherever it
appears in a string (ARNs, messages, evidence, errors), with a stable
pseudonym ``acct-`` + 8 hex digits of its SHA-256, so reports from the same
estate stay comparable run to run. It is pseudonymization, not anonymization:
a party that can enumerate candidate account ids can reverse it.

Independently, access key ids (``AKIA…``/``ASIA…``) are always masked: an
error message quoted from AWS must never carry a credential into a report.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

from scanner.report.context import ScanReport, ScanScope, clone_report

_ACCOUNT_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}(?![A-Z0-9])")


def pseudonym(account_id: str) -> str:
    return "acct-" + hashlib.sha256(account_id.encode()).hexdigest()[:8]


def redact_accounts_in(text: str) -> str:
    return _ACCOUNT_ID.sub(lambda match: pseudonym(match.group(0)), text)


def scrub_secrets(text: str) -> str:
    return _ACCESS_KEY_ID.sub("[access-key-id]", text)


def _deep(value: Any, transform) -> Any:
    if isinstance(value, str):
        return transform(value)
    if isinstance(value, dict):
        return {
            transform(k) if isinstance(k, str) else k: _deep(v, transform) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_deep(item, transform) for item in value)
    return value


def _apply(report: ScanReport, transform, in_place: bool = False) -> ScanReport:
    """A copy of ``report`` (or ``report`` itself) with ``transform`` applied to every string."""
    out = report if in_place else clone_report(report)
    for finding in [*out.findings, *out.superseded]:
        for name in ("resource_id", "arn", "account", "region", "message", "remediation"):
            setattr(finding, name, transform(getattr(finding, name)))
        finding.evidence = _deep(finding.evidence, transform)
        finding.location = _deep(finding.location, transform)
        finding.waiver = _deep(finding.waiver, transform)
    out.fixed = [
        dataclasses.replace(
            fixed,
            **{
                name: transform(getattr(fixed, name))
                for name in ("resource_id", "arn", "account", "message")
            },
        )
        for fixed in out.fixed
    ]
    out.errors = _deep(out.errors, transform)
    out.zones = _deep(out.zones, transform)
    out.fleets = _deep(out.fleets, transform)
    out.placed = _deep(out.placed, transform)
    out.zone_counts = _deep(out.zone_counts, transform)
    out.warnings = [dataclasses.replace(w, message=transform(w.message)) for w in out.warnings]
    out.scope = ScanScope(
        accounts=tuple(sorted(transform(a) for a in out.scope.accounts)),
        regions=out.scope.regions,
        started_at=out.scope.started_at,
        finished_at=out.scope.finished_at,
        shard=out.scope.shard,
    )
    return out


def redact_report(report: ScanReport, *, accounts: bool, in_place: bool = False) -> ScanReport:
    """Mask credentials always, and account ids too when ``accounts`` is true.

    ``in_place`` redacts ``report`` itself instead of a deep copy, for a caller
    that has no further use for the original (a copy of 142k findings takes seconds).
    """
    redacted = _apply(report, _scrub_all if accounts else scrub_secrets, in_place)
    if accounts:
        redacted.accounts_redacted = True
    return redacted


def _scrub_all(text: str) -> str:
    return redact_accounts_in(scrub_secrets(text))
