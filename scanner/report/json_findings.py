"""``findings.json``: every finding with its final status, for scripts and as the next baseline.

Documented by ``schemas/findings.schema.json``. Keys are sorted and nothing
depends on the wall clock, so two scans of the same snapshot are byte-identical.
"""

from __future__ import annotations

from typing import Any

from scanner.engine.results import Finding
from scanner.report.context import ScanReport
from scanner.report.json_text import dumps_sorted

FORMAT = "stormproof-findings"
FORMAT_VERSION = 1


def finding_document(finding: Finding, remediation: str, title: str) -> dict[str, Any]:
    """One finding; ``remediation`` is the policy's generic text, used when none was rendered."""
    return {
        "policy_id": finding.policy_id,
        "title": title,
        "severity": finding.severity,
        "status": "superseded" if finding.superseded_by else finding.status,
        "superseded_by": finding.superseded_by,
        "location": finding.location or None,
        "resource_id": finding.resource_id,
        "arn": finding.arn,
        "resource_type": finding.resource_type,
        "account": finding.account,
        "region": finding.region,
        "message": finding.message,
        "evidence": finding.evidence,
        "remediation": finding.remediation or remediation,
        "baseline_state": finding.baseline_state,
        "waiver": _waiver(finding.waiver),
        "fingerprint": finding.fingerprint,
    }


def _waiver(waiver: dict[str, Any] | None) -> dict[str, Any] | None:
    if not waiver:
        return None
    keys = ("policy", "resource", "reason", "owner", "expires", "ticket", "source", "line")
    return {key: waiver[key] for key in keys if waiver.get(key) is not None}


def findings_document(report: ScanReport) -> dict[str, Any]:
    policies = report.policy_index()
    by_severity = report.counts_by_severity()
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "tool": {"name": "stormproof", "version": report.tool_version},
        "scan": {
            "accounts": list(report.scope.accounts),
            "regions": list(report.scope.regions),
            "started_at": report.scope.started_at,
            "finished_at": report.scope.finished_at,
            "shard": report.scope.shard,
            "policies": len(report.policies),
            "complete": report.complete,
            "accounts_redacted": report.accounts_redacted,
            "baseline": report.has_baseline,
        },
        "summary": {
            "total": len(report.findings),
            "by_status": report.counts_by_status(),
            "by_severity": by_severity,
            "fixed": len(report.fixed),
            "superseded": len(report.superseded),
        },
        "policies": [
            {
                "id": meta.id,
                "title": meta.title,
                "severity": meta.severity,
                "resource": meta.resource,
                "evaluated": report.stats[meta.id].evaluated if meta.id in report.stats else 0,
                "passed": report.stats[meta.id].passed if meta.id in report.stats else 0,
                "failed": report.stats[meta.id].failed if meta.id in report.stats else 0,
                "unknown": report.stats[meta.id].unknown if meta.id in report.stats else 0,
                "waived": report.stats[meta.id].waived if meta.id in report.stats else 0,
                "superseded": report.stats[meta.id].superseded if meta.id in report.stats else 0,
            }
            for meta in report.policies
        ],
        "findings": [
            finding_document(
                finding,
                policies[finding.policy_id].remediation if finding.policy_id in policies else "",
                policies[finding.policy_id].title
                if finding.policy_id in policies
                else finding.policy_id,
            )
            for finding in [*report.findings, *report.superseded]
        ],
        "fixed": [
            {
                "policy_id": fixed.policy_id,
                "severity": fixed.severity,
                "resource_id": fixed.resource_id,
                "arn": fixed.arn,
                "resource_type": fixed.resource_type,
                "account": fixed.account,
                "region": fixed.region,
                "message": fixed.message,
            }
            for fixed in report.fixed
        ],
        "warnings": [
            {"message": warning.message, "source": warning.source, "line": warning.line}
            for warning in report.warnings
        ],
        "errors": [
            {
                **{
                    key: error.get(key)
                    for key in ("account", "region", "service", "operation", "code", "message")
                },
                **({"resource": error["resource"]} if error.get("resource") else {}),
            }
            for error in report.errors
        ],
    }


def render_findings_json(report: ScanReport) -> str:
    return dumps_sorted(findings_document(report), indent=True) + "\n"
