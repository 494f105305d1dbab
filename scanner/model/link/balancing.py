"""Load balancing as AWS routes it: cross-zone load balancing per (load balancer, target
group) pair, the targets that receive traffic, and what an Auto Scaling group is attached to.

Cross-zone load balancing is decided per target group. Its attribute
``load_balancing.cross_zone.enabled`` is ``true``, ``false`` or
``use_load_balancer_configuration`` (the default); "the target group setting
determines the load balancing behavior for the target group". An Application
Load Balancer always has it on at the load balancer level, and a target group
can turn it off; a Network Load Balancer has it off by default and a target group
can turn it either way. Gateway Load Balancers have only the load balancer's
setting.
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/disable-cross-zone.html
https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html

A target in state ``unused`` with reason ``Target.NotInUse`` receives no traffic:
"the target group is not used by any load balancer or the target is in an
Availability Zone that is not enabled for its load balancer".
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html

An Auto Scaling group's traffic sources are its classic load balancers, its ELBv2
target groups and whatever ``AttachTrafficSources`` attached (VPC Lattice target
groups included); a group attached to VPC Lattice uses the ``VPC_LATTICE`` health
check, one attached to a load balancer the ``ELB`` one.
https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html
https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-vpc-lattice-target-group-asg.html
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scanner.model.link.gaps import MISSING_ATTRIBUTE
from scanner.model.link.index import Document, Index

CROSS_ZONE_ATTRIBUTE = "load_balancing.cross_zone.enabled"
USE_LOAD_BALANCER = "use_load_balancer_configuration"
NOT_IN_USE = ("unused", "Target.NotInUse")
_TARGET_GROUP_SETTING_TYPES = frozenset({"application", "network"})
_LOAD_BALANCER_SOURCE_TYPES = frozenset({"elb", "elbv2"})


def load_balancer_cross_zone(lb: Document) -> bool | None:
    """The load balancer's own setting: always on for an ALB (moto says false), else as read."""
    if lb.get("type") == "application":
        return True
    if lb.get("cross_zone") is not None:
        return bool(lb["cross_zone"])
    attribute = (lb.get("attributes") or {}).get(CROSS_ZONE_ATTRIBUTE)
    return None if attribute is None else attribute.lower() == "true"


def receives_traffic(target: dict[str, Any]) -> bool:
    """False for a target AWS reports as not in use (e.g. in a zone its load balancer lacks)."""
    return (target.get("health_state"), target.get("health_reason")) != NOT_IN_USE


def link_balancing(index: Index, failed: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Cross-zone pairs and Auto Scaling attachment; returns the entries for missing attributes.

    ``failed`` are the (service, operation, ARN) of detail calls that have an error
    entry: a setting they would have read is explained there, and gets no entry here.
    """
    explained = set(failed)
    missing: list[dict[str, Any]] = []
    for lb in index.of_type("load_balancer"):
        call = ("elbv2", "DescribeLoadBalancerAttributes", lb["arn"])
        if load_balancer_cross_zone(lb) is None and call not in explained:
            missing.append(_missing(lb, "DescribeLoadBalancerAttributes"))
    for group in index.of_type("target_group"):
        balancers = [index.by_arn(arn) for arn in group.get("load_balancer_arns", [])]
        found = [lb for lb in balancers if lb is not None]
        group["facts"]["cross_zone"] = [_pair(group, lb) for lb in found]
        group["rests_on_arns"] = [group["arn"], *group.get("load_balancer_arns", [])]
        call = ("elbv2", "DescribeTargetGroupAttributes", group["arn"])
        if _lacks_setting(group, found) and call not in explained:
            missing.append(_missing(group, "DescribeTargetGroupAttributes"))
    for clb in index.of_type("classic_load_balancer"):
        # None: the call failed (its error entry says so) or the answer had no setting.
        call = ("elb", "DescribeLoadBalancerAttributes", clb["arn"])
        if clb.get("cross_zone") is None and call not in explained:
            missing.append(_missing(clb, "DescribeLoadBalancerAttributes", "elb"))
    for lb in index.of_type("load_balancer"):
        _link_load_balancer(lb, index)
    for asg in index.of_type("auto_scaling_group"):
        asg["facts"].update(auto_scaling_attachment(asg))
    return missing


def _pair(group: Document, lb: Document) -> dict[str, Any]:
    """One (load balancer, target group) pair: the setting the target group's traffic gets."""
    lb_setting = load_balancer_cross_zone(lb)
    setting = (group.get("attributes") or {}).get(CROSS_ZONE_ATTRIBUTE)
    if lb.get("type") not in _TARGET_GROUP_SETTING_TYPES or setting == USE_LOAD_BALANCER:
        enabled = lb_setting
    elif setting is None:
        enabled = None
    else:
        enabled = setting.lower() == "true"
    return {
        "load_balancer_arn": lb["arn"],
        "load_balancer_name": lb.get("name") or lb["id"],
        "target_group_setting": setting,
        "enabled": enabled,
    }


def _lacks_setting(group: Document, balancers: list[Document]) -> bool:
    """No target group setting, where an ALB or NLB it is attached to needs one."""
    has_setting = CROSS_ZONE_ATTRIBUTE in (group.get("attributes") or {})
    return not has_setting and any(
        lb.get("type") in _TARGET_GROUP_SETTING_TYPES for lb in balancers
    )


def _link_load_balancer(lb: Document, index: Index) -> None:
    """Per load balancer: each target group's pair, and its own setting when it has none."""
    pairs = []
    for group_arn in lb["facts"].get("target_group_arns", []):
        group = index.by_arn(group_arn)
        for pair in (group or {}).get("facts", {}).get("cross_zone", []):
            if pair["load_balancer_arn"] == lb["arn"]:
                pairs.append({"target_group": group.get("name") or group["id"], **pair})
    lb["facts"]["cross_zone_target_groups"] = [
        {
            "target_group": pair["target_group"],
            "setting": pair["target_group_setting"],
            "enabled": pair["enabled"],
        }
        for pair in pairs
    ]
    lb["facts"]["cross_zone_off_target_groups"] = sorted(
        pair["target_group"] for pair in pairs if pair["enabled"] is False
    )
    lb["rests_on_arns"] = ([] if lb.get("type") == "application" else [lb["arn"]]) + lb[
        "facts"
    ].get("target_group_arns", [])


def routed_cross_zone(lb: Document) -> bool | None:
    """Off if it is off for any target group; on if on for all; its own setting without any."""
    pairs = lb["facts"].get("cross_zone_target_groups", [])
    if not pairs:
        return lb["facts"].get("cross_zone")
    values = [pair["enabled"] for pair in pairs]
    if False in values:
        return False
    return None if None in values else True


def auto_scaling_attachment(asg: Document) -> dict[str, Any]:
    """A group's traffic sources, however attached, and the health checks it uses."""
    sources: dict[str, str] = {}
    for name in asg.get("load_balancer_names", []):
        sources.setdefault(name, "elb")
    for arn in asg.get("target_group_arns", []):
        sources.setdefault(arn, "elbv2")
    for source in asg.get("traffic_sources") or []:
        identifier = source["identifier"]
        sources.setdefault(identifier, source.get("type") or _source_type(identifier))
    kinds = set(sources.values())
    health_checks = [
        part.strip() for part in (asg.get("health_check_type") or "").split(",") if part.strip()
    ]
    return {
        "traffic_sources": [
            {"identifier": identifier, "type": kind} for identifier, kind in sorted(sources.items())
        ],
        "load_balancer_attached": bool(kinds & _LOAD_BALANCER_SOURCE_TYPES),
        "vpc_lattice_attached": "vpc-lattice" in kinds,
        "health_check_types": health_checks,
    }


def _source_type(identifier: str) -> str:
    """What AWS's ``Type`` would say: ARNs name their service; anything else is a CLB name."""
    if identifier.startswith("arn:") and ":vpc-lattice:" in identifier:
        return "vpc-lattice"
    return "elbv2" if identifier.startswith("arn:") else "elb"


def _missing(document: Document, operation: str, service: str = "elbv2") -> dict[str, Any]:
    return {
        "account": document["account"],
        "region": document["region"],
        "service": service,
        "operation": operation,
        "code": MISSING_ATTRIBUTE,
        "message": "the answer has no cross-zone load balancing setting",
        "resource": document["arn"],
    }
