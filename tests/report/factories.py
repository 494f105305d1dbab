"""Build the engine's own dataclasses (PolicyMeta, Finding, Evaluation) and a small linked model.

Report tests construct their inputs directly: these are stormproof's contracts,
not AWS responses, so nothing here stands in for an AWS API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.engine.results import Evaluation, Finding, PolicyMeta, PolicyStats
from scanner.model.linked import LinkedModel
from scanner.report.context import ScanReport, build_scan_report
from scanner.resources import builtin_policies_dir

ACCOUNT = "111111111111"
OTHER_ACCOUNT = "222222222222"
XSS = "<img src=x onerror=alert(1)>"


def policy(
    policy_id: str,
    *,
    severity: str = "high",
    resource: str = "auto_scaling_group",
    title: str | None = None,
    builtin: bool = True,
    source_path: Path | None = None,
    violation_line: int = 12,
    description: str | None = None,
) -> PolicyMeta:
    return PolicyMeta(
        id=policy_id,
        title=title or f"{policy_id.replace('-', ' ').capitalize()} check",
        severity=severity,
        resource=resource,
        description=description
        or f"Checks {policy_id} so that a zone failure does not take the workload down.",
        rationale="A single Availability Zone can fail; a fleet in one zone fails with it.",
        remediation="aws autoscaling update-auto-scaling-group --auto-scaling-group-name NAME "
        "--vpc-zone-identifier subnet-a,subnet-b",
        references=(
            "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html",
        ),
        frameworks=("AWS-WA-REL10-BP01",),
        tags=("availability-zone",),
        parameters={"min_zones": 2},
        source_path=source_path or (builtin_policies_dir() / "ec2" / f"{policy_id}.yaml"),
        violation_line=violation_line,
        builtin=builtin,
    )


def arn_for(resource_id: str, account: str = ACCOUNT, region: str = "us-east-1") -> str:
    return (
        f"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:uuid:"
        f"autoScalingGroupName/{resource_id}"
    )


def finding(
    meta: PolicyMeta,
    resource_id: str,
    *,
    status: str = "open",
    account: str = ACCOUNT,
    region: str = "us-east-1",
    message: str | None = None,
    evidence: dict[str, Any] | None = None,
    zones: tuple[tuple[str, str], ...] = (("us-east-1a", "use1-az1"),),
    tags: dict[str, str] | None = None,
) -> Finding:
    return Finding(
        policy_id=meta.id,
        severity=meta.severity,
        status=status,
        resource_type=meta.resource,
        resource_id=resource_id,
        arn=arn_for(resource_id, account, region),
        account=account,
        region=region,
        message=message
        or f"Auto Scaling group {resource_id} runs in 1 zone; the policy wants at least 2.",
        evidence=evidence if evidence is not None else {"zones": ["us-east-1a"], "min_zones": 2},
        location={
            "account": account,
            "region": region,
            "zones": [
                {"name": name, "id": zone_id, "type": "availability-zone"}
                for name, zone_id in zones
            ],
            "subnet_ids": [f"subnet-{resource_id}"] if zones else [],
            "name": resource_id,
            "tags": dict(tags or {}),
        },
    )


def evaluation(
    policies: list[PolicyMeta], findings: list[Finding], evaluated: int = 10
) -> Evaluation:
    stats = {}
    for meta in policies:
        failed = sum(1 for f in findings if f.policy_id == meta.id and f.status == "open")
        unknown = sum(1 for f in findings if f.policy_id == meta.id and f.status == "unknown")
        total = max(evaluated, failed + unknown)
        stats[meta.id] = PolicyStats(
            evaluated=total, passed=total - failed - unknown, failed=failed, unknown=unknown
        )
    return Evaluation(
        policies=policies, findings=sorted(findings, key=Finding.sort_key), stats=stats
    )


def zone(
    name: str,
    zone_id: str,
    *,
    kind: str = "availability-zone",
    parent: str | None = None,
    account: str = ACCOUNT,
    region: str = "us-east-1",
    opt_in: str = "opt-in-not-required",
) -> dict:
    return {
        "name": name,
        "id": zone_id,
        "type": kind,
        "region": region,
        "parent_zone_name": parent,
        "parent_zone_id": None,
        "group_name": region if kind == "availability-zone" else name.rsplit("-", 1)[0],
        "network_border_group": name if kind != "availability-zone" else region,
        "opt_in_status": opt_in,
        "state": "available",
        "account": account,
    }


def fleet(
    name: str,
    zones: list[dict],
    *,
    account: str = ACCOUNT,
    region: str = "us-east-1",
    kind: str = "auto_scaling_group",
    tags: dict | None = None,
) -> dict:
    return {
        "id": name,
        "arn": arn_for(name, account, region),
        "account": account,
        "region": region,
        "kind": kind,
        "name": name,
        "tags": tags or {},
        "facts": {
            "zones": [
                {
                    "name": z["name"],
                    "id": z["id"],
                    "type": z["type"],
                    "parent_zone_name": z["parent_zone_name"],
                }
                for z in zones
            ]
        },
    }


def snapshot(accounts=(ACCOUNT,), regions=("us-east-1",), errors=None) -> dict:
    return {
        "format": "stormproof-snapshot",
        "version": 1,
        "tool": {"name": "stormproof", "version": "0.1.0"},
        "started_at": "2026-01-05T10:00:00Z",
        "finished_at": "2026-01-05T10:01:30Z",
        "scope": {"accounts": list(accounts), "regions": list(regions)},
        "api_calls": {},
        "errors": list(errors or []),
        "units": [],
    }


def linked_model(
    *, fleets=(), zones=(), errors=(), accounts=(ACCOUNT,), regions=("us-east-1",)
) -> LinkedModel:
    return LinkedModel(
        snapshot=snapshot(accounts, regions, errors),
        resources={"fleet": list(fleets)},
        zones=list(zones),
        errors=list(errors),
    )


def us_east_1_zones() -> list[dict]:
    return [
        zone("us-east-1a", "use1-az1"),
        zone("us-east-1b", "use1-az2"),
        zone("us-east-1c", "use1-az4"),
        zone(
            "us-east-1-bos-1a",
            "use1-bos1-az1",
            kind="local-zone",
            parent="us-east-1a",
            opt_in="opted-in",
        ),
        zone(
            "us-east-1-mia-1a",
            "use1-mia1-az1",
            kind="local-zone",
            parent="us-east-1c",
            opt_in="not-opted-in",
        ),
    ]


def sample_report(**kwargs) -> ScanReport:
    """Three policies, findings of every severity and status, fleets across AZs and a Local Zone."""
    crit = policy("asg-multi-az", severity="critical")
    med = policy("elb-cross-zone", severity="medium", resource="load_balancer", violation_line=20)
    low = policy("ami-cross-region-copy", severity="low", resource="image", violation_line=7)
    findings = [
        finding(crit, "web", tags={"Team": "web", "Env": "prod"}),
        finding(crit, "batch", region="us-east-1", zones=(("us-east-1b", "use1-az2"),)),
        finding(
            med,
            "api-lb",
            message="Load balancer api-lb has cross-zone load balancing off.",
            zones=(("us-east-1a", "use1-az1"), ("us-east-1b", "use1-az2")),
            tags={"Team": "api"},
        ),
        finding(
            low,
            "ami-1",
            status="unknown",
            message="EC2 DescribeImages failed: data is unknown.",
            zones=(),
        ),
        finding(
            crit,
            "tagged",
            evidence={"tags": {"Name": XSS}},
            zones=(("us-east-1-bos-1a", "use1-bos1-az1"),),
            tags={"Name": XSS, "Team": "edge"},
        ),
    ]
    zones = us_east_1_zones()
    fleets = [
        fleet("web", [zones[0]]),
        fleet("api", [zones[0], zones[1], zones[3]]),
        fleet(XSS, [zones[2]]),
    ]
    model = linked_model(fleets=fleets, zones=zones, **kwargs)
    return build_scan_report(evaluation([crit, med, low], findings), model)
