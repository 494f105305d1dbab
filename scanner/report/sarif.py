"""SARIF 2.1.0 for GitHub code scanning: one run, one rule per policy, one result per open or
unknown finding.

Design notes (also in ``sarif/README.md``):

* every result is located at the policy file's ``violation:`` line, because
  GitHub rejects results without a file location;
* so many resources share one line, and GitHub's default fingerprint (a hash
  of that line) would merge their alerts: ``partialFingerprints`` come from
  the finding identity ``(policy id, ARN)`` instead, one alert per resource,
  the same alert across runs;
* waived findings are left out (GitHub ignores SARIF suppressions); unknown
  findings are results with the fingerprint an open one would have, so an
  incomplete scan never closes an alert (GitHub closes alerts absent from the
  latest analysis); collection errors are tool notifications, and the file is
  written even with zero results so that fixed alerts close;
* GitHub's limits (25,000 results, 10 MB gzipped) are kept by dropping the
  least severe results, with a notification saying so.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import defaultdict
from typing import Any

from scanner.engine.results import Finding
from scanner.model.resource_types import RESOURCE_TYPES
from scanner.report.context import ScanReport, ScanScope
from scanner.report.json_text import dumps_sorted
from scanner.report.sarif_rules import (
    LEVELS,
    SRCROOT,
    SarifOptions,
    normalize_policy_root,
    policy_uri,
    rule_descriptor,
)

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/stormproof/stormproof"
FINGERPRINT_KEY = "stormproof/v1"
_EXAMPLES = 3  # resources named per aggregated notification


def automation_id(scope: ScanScope) -> str:
    """``stormproof/<account or multi>/<region set>/``: the code scanning category of this run.

    Up to four Regions are named (``eu-west-1+us-east-1``); more are summarized
    as ``<n>-regions-<hash>`` so the id stays short and stable for a stable scope.
    """
    accounts = sorted(scope.accounts)
    account = accounts[0] if len(accounts) == 1 else ("multi" if accounts else "no-account")
    regions = sorted(scope.regions)
    if not regions:
        region_set = "no-region"
    elif len(regions) <= 4:
        region_set = "+".join(regions)
    else:
        digest = hashlib.sha256(",".join(regions).encode()).hexdigest()[:8]
        region_set = f"{len(regions)}-regions-{digest}"
    return f"stormproof/{account}/{region_set}/"


def result_message(finding: Finding) -> str:
    """The engine's message, led by a sentence naming the resource if it does not already."""
    message = " ".join(finding.message.split()) or f"Violates policy {finding.policy_id}."
    first_sentence = message.split(". ", 1)[0]
    if finding.resource_id not in first_sentence and finding.arn not in first_sentence:
        kind = (
            RESOURCE_TYPES[finding.resource_type].title
            if finding.resource_type in RESOURCE_TYPES
            else "Resource"
        )
        message = f"{kind} {finding.resource_id} ({finding.account}, {finding.region}). {message}"
    return message if message.endswith((".", "!", "?")) else message + "."


UNKNOWN_PREFIX = "Could not be judged (unknown is not a pass): "


def _result(finding: Finding, rule_index: int, uri: str, line: int) -> dict[str, Any]:
    # An unknown result keeps the fingerprint and level an open one would have: GitHub closes
    # an alert that is absent from the next analysis, so an alert open before an incomplete
    # scan must stay open (see sarif/README.md, "Incomplete scans keep alerts open").
    text = result_message(finding)
    if finding.status == "unknown":
        text = UNKNOWN_PREFIX + text
    result: dict[str, Any] = {
        "ruleId": finding.policy_id,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
                    "region": {"startLine": max(1, int(line))},
                },
                "logicalLocations": [
                    {
                        "fullyQualifiedName": finding.arn,
                        "name": finding.resource_id,
                        "kind": "resource",
                    }
                ],
            }
        ],
        "partialFingerprints": {
            "primaryLocationLineHash": finding.fingerprint,
            FINGERPRINT_KEY: finding.fingerprint,
        },
        "properties": {
            "resourceId": finding.resource_id,
            "resourceType": finding.resource_type,
            "account": finding.account,
            "region": finding.region,
            "severity": finding.severity,
            "status": finding.status,
            "evidence": finding.evidence,
        },
    }
    if finding.baseline_state:
        result["baselineState"] = finding.baseline_state
    if finding.status == "waived" and finding.waiver:
        waiver = finding.waiver
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{waiver.get('reason', '')} (owner {waiver.get('owner', '?')}, "
                f"expires {waiver.get('expires', '?')})",
                "properties": {
                    k: waiver[k] for k in ("owner", "expires", "ticket") if waiver.get(k)
                },
            }
        ]
    return result


def _notification(level: str, text: str, rule: tuple[str, int] | None = None) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}}
    if rule is not None:
        note["associatedRule"] = {"id": rule[0], "index": rule[1]}
    return note


def _notifications(report: ScanReport, rule_index: dict[str, int]) -> list[dict[str, Any]]:
    notes = []
    for error in report.errors:
        where = "/".join(str(error.get(k) or "global") for k in ("account", "region"))
        notes.append(
            _notification(
                "error",
                f"Collection failed in {where}: {error.get('service')} {error.get('operation')} "
                f"returned {error.get('code')}: {error.get('message')}. "
                "Resources that depend on it are reported as unknown.",
            )
        )
    unknown: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        if finding.status == "unknown":
            unknown[finding.policy_id].append(finding)
    for policy_id in sorted(unknown):
        group = unknown[policy_id]
        names = ", ".join(f.arn for f in group[:_EXAMPLES]) + (
            ", …" if len(group) > _EXAMPLES else ""
        )
        notes.append(
            _notification(
                "warning",
                f"Policy {policy_id} could not judge {len(group)} resource(s) "
                "because data is missing "
                f"({names}): {group[0].message}",
                (policy_id, rule_index[policy_id]) if policy_id in rule_index else None,
            )
        )
    notes.extend(
        _notification("warning", f"Waiver problem: {warning}") for warning in report.warnings
    )
    return notes


def _document(run_fields: dict[str, Any], results: list[dict], notes: list[dict], ok: bool) -> dict:
    run = dict(run_fields)
    run["results"] = results
    run["invocations"] = [{"executionSuccessful": ok, "toolExecutionNotifications": notes}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _dumps(document: dict[str, Any]) -> str:
    return dumps_sorted(document, indent=True) + "\n"


def render_sarif(report: ScanReport, options: SarifOptions | None = None) -> str:
    """The SARIF log as text; deterministic for the same report and options."""
    options = options or SarifOptions()
    policies = sorted(report.policies, key=lambda meta: meta.id)
    rule_index = {meta.id: index for index, meta in enumerate(policies)}
    locations = {meta.id: (policy_uri(meta, options), meta.violation_line) for meta in policies}
    wanted = [
        f
        for f in report.findings
        if f.policy_id in rule_index
        and (f.status in ("open", "unknown") or (f.status == "waived" and options.emit_waived))
    ]
    wanted.sort(key=Finding.sort_key)  # most severe first: truncation keeps the head
    kept = min(len(wanted), options.max_results)  # only the results that can be kept are built
    results = [_result(f, rule_index[f.policy_id], *locations[f.policy_id]) for f in wanted[:kept]]
    run_fields: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "stormproof",
                "fullName": "stormproof resilience scanner for AWS EC2 estates",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(meta) for meta in policies],
            }
        },
        "automationDetails": {"id": automation_id(report.scope)},
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {"text": "The root of the repository the SARIF log is uploaded to."}
            }
        },
        "columnKind": "unicodeCodePoints",
        "properties": {
            "accounts": list(report.scope.accounts),
            "regions": list(report.scope.regions),
            "accountsRedacted": report.accounts_redacted,
            "policyRoot": normalize_policy_root(options.policy_root),
            "complete": report.complete,
        },
    }
    notes = _notifications(report, rule_index)
    ok = report.complete
    while True:
        extra = list(notes)
        if kept < len(wanted):
            extra.append(_truncation_note(kept, len(wanted), options))
        text = _dumps(_document(run_fields, results[:kept], extra, ok))
        if len(text.encode()) <= options.max_gzip_bytes or kept == 0:
            return text
        size = len(gzip.compress(text.encode(), compresslevel=6, mtime=0))
        if size <= options.max_gzip_bytes:
            return text
        kept = int(kept * options.max_gzip_bytes / size * 0.9)


def _truncation_note(kept: int, total: int, options: SarifOptions) -> dict[str, Any]:
    return _notification(
        "warning",
        f"{total - kept} of {total} results were left out to stay within GitHub code scanning's "
        f"limits ({options.max_results} results per run, "
        f"{options.max_gzip_bytes // (1024 * 1024)} MB gzipped); "
        "the most severe were kept. findings.json and report.html list every finding.",
    )
