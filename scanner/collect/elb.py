"""Classic Load Balancers: zones, subnets, registered instances, cross-zone and connection
draining settings, tags.

Tags come in batches of 20 names (the API's limit). The cross-zone setting has
no batched form: ``DescribeLoadBalancerAttributes`` is one call per load
balancer, unavoidably; it answers both settings.
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.limits import ELB_TAGS_BATCH
from scanner.collect.normalize import chunks, iso_utc, tags_to_dict


def collect_elb(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    balancers = ctx.pages("elb", "DescribeLoadBalancers", "LoadBalancerDescriptions")
    if balancers is None:
        return {}
    names = [balancer["LoadBalancerName"] for balancer in balancers]
    tags = _tags(ctx, names)
    records = []
    for balancer in balancers:
        name = balancer["LoadBalancerName"]
        record = ctx.base(name, ctx.arn("elasticloadbalancing", f"loadbalancer/{name}"), {})
        record["tags"] = tags.get(name, {})
        record.update(
            # As AWS (or moto, which leaves it empty for subnet-made LBs) returns it.
            zones=list(balancer.get("AvailabilityZones", [])),
            subnet_ids=list(balancer.get("Subnets", [])),
            vpc_id=balancer.get("VPCId"),
            scheme=balancer.get("Scheme"),
            dns_name=balancer.get("DNSName"),
            instance_ids=[i["InstanceId"] for i in balancer.get("Instances", [])],
            created_time=iso_utc(balancer.get("CreatedTime")),
            **_attributes(ctx, name, record["arn"]),
        )
        records.append(record)
    return {"classic_load_balancers": records}


def _tags(ctx: UnitContext, names: list[str]) -> dict[str, dict[str, str]]:
    tags: dict[str, dict[str, str]] = {}
    for batch in chunks(names, ELB_TAGS_BATCH):
        response = ctx.call("elb", "DescribeTags", LoadBalancerNames=batch)
        for description in (response or {}).get("TagDescriptions", []):
            tags[description["LoadBalancerName"]] = tags_to_dict(description.get("Tags"))
    return tags


def _attributes(ctx: UnitContext, name: str, arn: str) -> dict[str, Any]:
    """Cross-zone and connection draining settings; None (unknown) where the call failed."""
    # Per load balancer: the API has no batched form.
    response = ctx.call(
        "elb", "DescribeLoadBalancerAttributes", resource=arn, LoadBalancerName=name
    )
    attributes = (response or {}).get("LoadBalancerAttributes", {})
    cross_zone = attributes.get("CrossZoneLoadBalancing")
    draining = attributes.get("ConnectionDraining")
    return {
        "cross_zone": None if cross_zone is None else bool(cross_zone.get("Enabled")),
        "connection_draining": (
            None
            if draining is None
            else {"enabled": bool(draining.get("Enabled")), "timeout": draining.get("Timeout")}
        ),
    }
