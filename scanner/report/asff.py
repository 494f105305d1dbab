"""AWS Security Finding Format (ASFF) for ``aws securityhub batch-import-findings``.

One finding per stormproof finding, for the custom-integration product of the
finding's own account and Region (``product/<account>/default``): Security Hub
accepts findings for the default product only from the account they belong to,
so each account imports its own (see docs/exports.md). stormproof itself never
calls Security Hub: it stays read-only.

Field rules from the ASFF pages of the Security Hub user guide and partner guide
(https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html,
https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-asff-mapping.html):
``SchemaVersion`` 2018-10-08, ``Title`` at most 256 characters, ``Description``
at most 1024, ``Types`` as namespace/category/classifier, ``Id`` stable so a
re-import updates the finding instead of adding one. The tests validate every
finding against botocore's ``AwsSecurityFinding`` shape, the service's model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from scanner.engine.results import Finding, PolicyMeta
from scanner.report.context import ScanReport
from scanner.report.ocsf import finding_location
from scanner.report.sarif import INFORMATION_URI

SCHEMA_VERSION = "2018-10-08"
TITLE_MAX = 256
DESCRIPTION_MAX = 1024
RECOMMENDATION_MAX = 512
BATCH_MAX = 100  # findings per BatchImportFindings request
FINDING_TYPE = "Software and Configuration Checks/AWS Security Best Practices/Resilience"
RESOURCE_TYPES = {
    "instance": "AwsEc2Instance",
    "volume": "AwsEc2Volume",
    "subnet": "AwsEc2Subnet",
    "launch_template_version": "AwsEc2LaunchTemplate",
    "auto_scaling_group": "AwsAutoScalingAutoScalingGroup",
    "launch_configuration": "AwsAutoScalingLaunchConfiguration",
    "classic_load_balancer": "AwsElbLoadBalancer",
    "load_balancer": "AwsElbv2LoadBalancer",
}
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
COMPLIANCE = {"open": "FAILED", "waived": "FAILED", "unknown": "NOT_AVAILABLE"}
WORKFLOW = {"open": "NEW", "waived": "SUPPRESSED", "unknown": "NEW"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _partition(arn: str) -> str:
    parts = arn.split(":")
    if len(parts) > 2 and parts[0] == "arn" and parts[1] in PARTITIONS:
        return parts[1]
    return "aws"


def _timestamp(text: str | None) -> str:
    moment = (
        dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else dt.datetime.now(dt.UTC)
    )
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def security_hub_finding(
    finding: Finding, meta: PolicyMeta | None, *, when: str, home_region: str, version: str
) -> dict[str, Any]:
    """One ASFF finding; ``home_region`` stands in for an account-wide finding's Region."""
    partition = _partition(finding.arn)
    region = finding.region if finding.region not in ("", "*") else home_region
    account = finding.account
    title = meta.title if meta else finding.policy_id
    description = finding.message
    if finding.status == "unknown":
        description = f"Could not be judged (unknown is not a pass): {finding.message}"
    resource: dict[str, Any] = {
        "Type": RESOURCE_TYPES.get(finding.resource_type, "Other"),
        "Id": finding.arn,
        "Partition": partition,
        "Region": region,
    }
    location = finding_location(finding)
    tags = location.get("tags") or (
        finding.evidence.get("tags") if isinstance(finding.evidence, dict) else None
    )
    if isinstance(tags, dict) and tags:
        resource["Tags"] = {str(k)[:128]: str(v)[:256] for k, v in list(tags.items())[:50]}
    document: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": f"stormproof/{finding.fingerprint}",
        "ProductArn": f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default",
        "ProductName": "stormproof",
        "CompanyName": "stormproof",
        "GeneratorId": f"stormproof/{finding.policy_id}",
        "AwsAccountId": account,
        "Region": region,
        "Types": [FINDING_TYPE],
        "CreatedAt": when,
        "UpdatedAt": when,
        "Severity": {"Label": finding.severity.upper(), "Original": finding.severity},
        "Title": _clip(f"{title}: {finding.resource_id}", TITLE_MAX),
        "Description": _clip(description, DESCRIPTION_MAX),
        "Resources": [resource],
        "Compliance": {"Status": COMPLIANCE.get(finding.status, "NOT_AVAILABLE")},
        "Workflow": {"Status": WORKFLOW.get(finding.status, "NEW")},
        "RecordState": "ACTIVE",
        "SourceUrl": meta.references[0] if meta and meta.references else INFORMATION_URI,
        "ProductFields": {
            "stormproof/PolicyId": finding.policy_id,
            "stormproof/Status": finding.status,
            "stormproof/ResourceType": finding.resource_type,
            "stormproof/Version": version,
        },
    }
    zones = [z for z in location.get("zones") or [] if isinstance(z, dict) and z.get("name")]
    if zones:
        fields = document["ProductFields"]
        fields["stormproof/Zones"] = ",".join(str(z["name"]) for z in zones)[:2048]
        fields["stormproof/ZoneIds"] = ",".join(str(z.get("id") or "") for z in zones)[:2048]
    if location.get("subnet_ids"):
        document["ProductFields"]["stormproof/SubnetIds"] = ",".join(location["subnet_ids"])[:2048]
    if meta and meta.remediation:
        recommendation: dict[str, Any] = {"Text": _clip(meta.remediation, RECOMMENDATION_MAX)}
        if meta.references:
            recommendation["Url"] = meta.references[0]
        document["Remediation"] = {"Recommendation": recommendation}
    if finding.status == "waived" and finding.waiver:
        document["Note"] = {
            "Text": _clip(f"Waived: {finding.waiver.get('reason', '')}", 512),
            "UpdatedBy": _clip(str(finding.waiver.get("owner") or "stormproof"), 512),
            "UpdatedAt": when,
        }
    return document


def asff_findings(report: ScanReport) -> list[dict[str, Any]]:
    policies = report.policy_index()
    when = _timestamp(report.scope.finished_at)
    home = report.scope.regions[0] if report.scope.regions else "us-east-1"
    return [
        security_hub_finding(
            f, policies.get(f.policy_id), when=when, home_region=home, version=report.tool_version
        )
        for f in report.findings
    ]


def render_asff(report: ScanReport) -> str:
    """A JSON array of ASFF findings (``--findings file://…`` takes up to 100 per call)."""
    return orjson.dumps(asff_findings(report), option=orjson.OPT_INDENT_2).decode() + "\n"
