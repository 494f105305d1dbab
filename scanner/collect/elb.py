"""Classic Load Balancers: zones, subnets, registered instances, cross-zone setting, tags.

Tags come in batches of 20 names (the API's limit). The cross-zone setting has
no batched form: ``DescribeLoadBalancerAttributes`` is one call per load
balancer, unavoidably.
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
            cross_zone=_cross_zone(ctx, name, record["arn"]),
            created_time=iso_utc(balancer.get("CreatedTime")),
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


def _cross_zone(ctx: UnitContext, name: str, arn: str) -> bool | None:
    # Per load balancer: the API has no batched form. None (unknown) if the call failed.
    response = ctx.call(
        "elb", "DescribeLoadBalancerAttributes", resource=arn, LoadBalancerName=name
    )
    if response is None:
        return None
    setting = response.get("LoadBalancerAttributes", {}).get("CrossZoneLoadBalancing")
    return None if setting is None else bool(setting.get("Enabled"))
