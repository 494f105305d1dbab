"""ELBv2 (Application, Network, Gateway Load Balancers): load balancers with their zones,
cross-zone setting and attributes; target groups with attributes and targets' health.

Tags of load balancers and target groups share batches of 20 ARNs. Attributes
and target health have no batched form: one ``DescribeLoadBalancerAttributes``
per load balancer, one ``DescribeTargetGroupAttributes`` and one
``DescribeTargetHealth`` per target group, unavoidably.
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.limits import ELBV2_TAGS_BATCH
from scanner.collect.normalize import arn_resource, chunks, iso_utc, tags_to_dict

CROSS_ZONE_ATTRIBUTE = "load_balancing.cross_zone.enabled"


def collect_elbv2(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    balancers = ctx.pages("elbv2", "DescribeLoadBalancers", "LoadBalancers")
    groups = ctx.pages("elbv2", "DescribeTargetGroups", "TargetGroups")
    arns = [b["LoadBalancerArn"] for b in balancers or []]
    arns += [g["TargetGroupArn"] for g in groups or []]
    tags = _tags(ctx, arns)
    resources: dict[str, list[dict[str, Any]]] = {}
    if balancers is not None:
        resources["load_balancers"] = [_balancer(ctx, b, tags) for b in balancers]
    if groups is not None:
        resources["target_groups"] = [_target_group(ctx, g, tags) for g in groups]
    return resources


def _tags(ctx: UnitContext, arns: list[str]) -> dict[str, dict[str, str]]:
    tags: dict[str, dict[str, str]] = {}
    for batch in chunks(arns, ELBV2_TAGS_BATCH):
        response = ctx.call("elbv2", "DescribeTags", ResourceArns=batch)
        for description in (response or {}).get("TagDescriptions", []):
            tags[description["ResourceArn"]] = tags_to_dict(description.get("Tags"))
    return tags


def _attributes(response: dict[str, Any] | None) -> dict[str, str] | None:
    if response is None:
        return None
    return {a["Key"]: a.get("Value", "") for a in response.get("Attributes", []) if "Key" in a}


def _balancer(
    ctx: UnitContext, balancer: dict[str, Any], tags: dict[str, dict[str, str]]
) -> dict[str, Any]:
    arn = balancer["LoadBalancerArn"]
    # Per load balancer: the API has no batched form.
    attributes = _attributes(
        ctx.call("elbv2", "DescribeLoadBalancerAttributes", resource=arn, LoadBalancerArn=arn)
    )
    cross_zone = attributes.get(CROSS_ZONE_ATTRIBUTE) if attributes is not None else None
    record = ctx.base(arn_resource(arn).removeprefix("loadbalancer/"), arn, tags.get(arn, {}))
    record.update(
        name=balancer["LoadBalancerName"],
        type=balancer.get("Type", "application"),
        scheme=balancer.get("Scheme"),
        state=(balancer.get("State") or {}).get("Code"),
        vpc_id=balancer.get("VpcId"),
        dns_name=balancer.get("DNSName"),
        zones=[
            {
                "name": zone["ZoneName"],
                "subnet_id": zone.get("SubnetId"),
                "outpost_id": zone.get("OutpostId"),
            }
            for zone in balancer.get("AvailabilityZones", [])
        ],
        # As reported (moto says false for ALBs, where AWS always has it on).
        cross_zone=None if cross_zone is None else cross_zone == "true",
        created_time=iso_utc(balancer.get("CreatedTime")),
    )
    if attributes is not None:
        record["attributes"] = attributes
    return record


def _target_group(
    ctx: UnitContext, group: dict[str, Any], tags: dict[str, dict[str, str]]
) -> dict[str, Any]:
    arn = group["TargetGroupArn"]
    # Per target group, both: the APIs have no batched form.
    # Their error entries name the target group, so only its own facts become unknown.
    attributes = _attributes(
        ctx.call("elbv2", "DescribeTargetGroupAttributes", resource=arn, TargetGroupArn=arn)
    )
    health = ctx.call("elbv2", "DescribeTargetHealth", resource=arn, TargetGroupArn=arn)
    record = ctx.base(arn_resource(arn).removeprefix("targetgroup/"), arn, tags.get(arn, {}))
    record.update(
        name=group["TargetGroupName"],
        target_type=group.get("TargetType"),
        protocol=group.get("Protocol"),
        port=group.get("Port"),
        vpc_id=group.get("VpcId"),
        load_balancer_arns=list(group.get("LoadBalancerArns", [])),
        health_check_enabled=group.get("HealthCheckEnabled"),
        targets=[
            {
                "id": description["Target"]["Id"],
                "port": description["Target"].get("Port"),
                "zone": description["Target"].get("AvailabilityZone"),
                "health_state": description.get("TargetHealth", {}).get("State"),
                "health_reason": description.get("TargetHealth", {}).get("Reason"),
            }
            for description in (health or {}).get("TargetHealthDescriptions", [])
        ],
    )
    if attributes is not None:
        record["attributes"] = attributes
    return record
