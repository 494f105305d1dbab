"""OCSF Detection Finding events (class 2004, OCSF 1.5.0): one event per finding.

For security data lakes and SIEMs that speak OCSF (Amazon Security Lake,
Splunk, …). The events are plain JSON built here; the tests validate every one
with py-ocsf-models, the model library Prowler uses. An *unknown* finding says
so: ``status`` "Unknown", ``status_code`` "UNKNOWN" and a ``status_detail``
naming what could not be observed; it is never reported as a pass.
Schema: https://schema.ocsf.io/1.5.0/classes/detection_finding
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from scanner.engine.results import Finding, PolicyMeta
from scanner.report.context import ScanReport
from scanner.report.sarif import INFORMATION_URI

OCSF_VERSION = "1.5.0"
CLASS_UID = 2004  # Detection Finding
CATEGORY_UID = 2  # Findings
ACTIVITY_CREATE = 1
SEVERITY_IDS = {"low": 2, "medium": 3, "high": 4, "critical": 5}
# Finding status_id: 1 New, 3 Suppressed, 99 Other (with ``status`` naming it).
STATUS = {
    "open": (1, "New", "FAIL"),
    "waived": (3, "Suppressed", "WAIVED"),
    "unknown": (99, "Unknown", "UNKNOWN"),
}
ACCOUNT_TYPE_AWS = 10  # OCSF account type_id "AWS Account"


def _epoch_ms(text: str | None) -> int:
    if not text:
        return 0
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def _partition(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" else None


def finding_location(finding: Finding) -> dict[str, Any]:
    """The finding's location (zones, subnets, name, tags) when findings carry one."""
    location = getattr(finding, "location", None)
    return location if isinstance(location, dict) else {}


def detection_finding(
    finding: Finding, meta: PolicyMeta | None, *, time_ms: int, version: str
) -> dict[str, Any]:
    """One OCSF Detection Finding for one stormproof finding."""
    status_id, status, status_code = STATUS.get(finding.status, STATUS["unknown"])
    title = meta.title if meta else finding.policy_id
    detail = finding.message
    if finding.status == "unknown":
        detail = f"Could not be judged (unknown is not a pass): {finding.message}"
    elif finding.status == "waived" and finding.waiver:
        detail = f"Waived: {finding.waiver.get('reason', '')} ({finding.message})"
    location = finding_location(finding)
    zones = [z for z in location.get("zones") or [] if isinstance(z, dict) and z.get("name")]
    tags = location.get("tags") or {}
    event: dict[str, Any] = {
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "time": time_ms,
        "severity_id": SEVERITY_IDS.get(finding.severity, 0),
        "severity": finding.severity.capitalize(),
        "status_id": status_id,
        "status": status,
        "status_code": status_code,
        "status_detail": detail,
        "message": detail,
        "metadata": {
            "version": OCSF_VERSION,
            "uid": finding.fingerprint,
            "product": {
                "name": "stormproof",
                "vendor_name": "stormproof",
                "version": version,
                "url_string": INFORMATION_URI,
            },
            "profiles": ["cloud"],
        },
        "finding_info": {
            "uid": finding.fingerprint,
            "title": title,
            "desc": meta.description if meta else finding.message,
            "types": [finding.policy_id],
            "created_time": time_ms,
            **({"src_url": meta.references[0]} if meta and meta.references else {}),
        },
        "cloud": {
            "provider": "AWS",
            "region": finding.region,
            **({"zone": zones[0]["name"]} if len(zones) == 1 else {}),
            # No account alias is collected: the name is the id (py-ocsf-models requires one).
            "account": {
                "uid": finding.account,
                "name": finding.account,
                "type_id": ACCOUNT_TYPE_AWS,
                "type": "AWS Account",
            },
        },
        "resources": [
            {
                "uid": finding.arn,
                "name": location.get("name") or finding.resource_id,
                "type": finding.resource_type,
                "region": finding.region,
                **({"cloud_partition": p} if (p := _partition(finding.arn)) else {}),
                **({"labels": [f"{k}={v}" for k, v in sorted(tags.items())]} if tags else {}),
                "data": {
                    "evidence": finding.evidence,
                    **({"location": location} if location else {}),
                },
            }
        ],
        "unmapped": {"policy_id": finding.policy_id, "stormproof_status": finding.status},
    }
    if meta and meta.remediation:
        event["remediation"] = {
            "desc": meta.remediation,
            **({"references": list(meta.references)} if meta.references else {}),
        }
    return event


def ocsf_events(report: ScanReport) -> list[dict[str, Any]]:
    policies = report.policy_index()
    time_ms = _epoch_ms(report.scope.finished_at)
    return [
        detection_finding(
            f, policies.get(f.policy_id), time_ms=time_ms, version=report.tool_version
        )
        for f in report.findings
    ]


def render_ocsf(report: ScanReport) -> str:
    """A JSON array of Detection Finding events, in the report's finding order."""
    return orjson.dumps(ocsf_events(report), option=orjson.OPT_INDENT_2).decode() + "\n"
