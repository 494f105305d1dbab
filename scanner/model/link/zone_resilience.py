"""Settings that decide how a workload rides out a zone event, as facts with AWS's defaults.

- Auto Scaling: whether ARC zonal shift is on (the zone impairment policy), the
  zone distribution strategy (AWS's default ``balanced-best-effort`` when the
  group says nothing), whether the group buys Spot capacity, and how its
  in-service instances spread over its zones.
  https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-zonal-shift.html
  https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html
  https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html
- ELBv2: ARC zonal shift integration (``zonal_shift.config.enabled``), "disabled
  by default" for Application and Network Load Balancers; Gateway Load Balancers
  have no such attribute (null).
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-zonal-shift.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-zonal-shift.html
- Classic Load Balancers: connection draining, null where the attributes call failed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scanner.model.link.index import Document, Index

DEFAULT_DISTRIBUTION = "balanced-best-effort"  # API_AvailabilityZoneDistribution: the default
DEFAULT_ON_DEMAND_PERCENTAGE = 100  # API_InstancesDistribution: OnDemandPercentageAboveBaseCapacity
ZONAL_SHIFT_ATTRIBUTE = "zonal_shift.config.enabled"
_ZONAL_SHIFT_TYPES = frozenset({"application", "network"})
_COUNTED_STATES = frozenset({"InService"})


def link_zone_resilience(index: Index) -> None:
    for group in index.of_type("auto_scaling_group"):
        group["facts"].update(_group_facts(group))
    for lb in index.of_type("load_balancer"):
        lb["facts"]["zonal_shift_enabled"] = zonal_shift_enabled(lb)
    for clb in index.of_type("classic_load_balancer"):
        draining = clb.get("connection_draining")
        clb["facts"]["connection_draining_enabled"] = (
            bool(draining.get("enabled")) if isinstance(draining, dict) else None
        )


def zonal_shift_enabled(lb: Document) -> bool | None:
    """True/false for an ALB or NLB whose attributes were read; null otherwise."""
    if lb.get("type") not in _ZONAL_SHIFT_TYPES or lb.get("attributes") is None:
        return None
    value = lb["attributes"].get(ZONAL_SHIFT_ATTRIBUTE)
    return False if value is None else str(value).lower() == "true"


def _group_facts(group: Document) -> dict[str, Any]:
    policy = group.get("zone_impairment_policy")
    if "zone_impairment_policy" not in group:
        zonal_shift = None  # a snapshot from before stormproof read the policy
    else:
        zonal_shift = bool(policy and policy.get("zonal_shift_enabled"))
    counts = _instance_zone_counts(group)
    return {
        "zonal_shift_enabled": zonal_shift,
        "zone_distribution_strategy": group.get("capacity_distribution_strategy")
        or DEFAULT_DISTRIBUTION,
        "uses_spot": _uses_spot(group),
        "instance_zone_counts": counts,
        "zone_imbalance": (max(counts.values()) - min(counts.values())) if len(counts) > 1 else 0,
    }


def _uses_spot(group: Document) -> bool | None:
    """Spot from a mixed policy's split, or from the launch template a plain group uses.

    A mixed instances policy that leaves capacity above its On-Demand base to
    Spot; else the launch template version's market type; null when a plain
    group's template version was not read.
    """
    split = group.get("instances_distribution")
    if not isinstance(split, dict):
        if group.get("launch_template_market_type"):
            return group["launch_template_market_type"] == "spot"
        return None if group.get("launch_template") else False
    percentage = split.get("on_demand_percentage_above_base_capacity")
    if percentage is None:
        percentage = DEFAULT_ON_DEMAND_PERCENTAGE
    base = split.get("on_demand_base_capacity") or 0
    return percentage < 100 and int(group.get("max_size") or 0) > base


def _instance_zone_counts(group: Document) -> dict[str, int]:
    """In-service instances per configured zone (zones without any count 0), sorted by zone."""
    zones = group["facts"].get("zone_names") or []
    counts: Counter[str] = Counter({zone: 0 for zone in zones})
    for instance in group.get("instances", []):
        if instance.get("lifecycle_state") in _COUNTED_STATES and instance.get("zone"):
            counts[instance["zone"]] += 1
    return dict(sorted(counts.items()))
