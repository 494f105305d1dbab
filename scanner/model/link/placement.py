"""Where things run: zones of instances, volumes and subnets, and each workload's zones.

A workload's zones are what AWS would fail over between: an Auto Scaling
group's configured zones, a load balancer's enabled zones, a target group's
zones of the targets that receive traffic. Zones are counted distinct (moto can
repeat one) and a classic load balancer made with subnets gets its zones from
them when the snapshot's ``zones`` is empty.

A registered target receives no traffic when AWS reports it ``unused`` with
reason ``Target.NotInUse`` ("the target is in an Availability Zone that is not
enabled for its load balancer"), or when its zone is not one its load
balancers are enabled in; an IP target outside the VPC (zone ``all``) is in no
zone of ours.
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-register-targets.html
"""

from __future__ import annotations

from typing import Any

from scanner.model.link.balancing import load_balancer_cross_zone, receives_traffic
from scanner.model.link.index import Document, Index
from scanner.model.link.zones import ZoneCatalog, zone_facts


def link_placement(index: Index, zones: ZoneCatalog) -> None:
    for type_name in ("instance", "subnet", "volume"):
        for doc in index.of_type(type_name):
            doc["facts"]["zone"] = zones.zone(doc["account"], doc["region"], doc.get("zone"))
    for asg in index.of_type("auto_scaling_group"):
        asg["facts"].update(_configured_zones(asg, index, zones))
    for clb in index.of_type("classic_load_balancer"):
        clb["facts"].update(_configured_zones(clb, index, zones))
        clb["facts"]["cross_zone"] = clb.get("cross_zone")
    for lb in index.of_type("load_balancer"):
        names = [entry.get("name") for entry in lb.get("zones", [])]
        lb["facts"].update(zone_facts(zones.distinct(lb["account"], lb["region"], names)))
        lb["facts"]["cross_zone"] = load_balancer_cross_zone(lb)
        lb["facts"]["target_group_arns"] = []
    for group in index.of_type("target_group"):
        _link_target_group(group, index, zones)


def _configured_zones(doc: Document, index: Index, zones: ZoneCatalog) -> dict[str, Any]:
    names: list[str | None] = list(doc.get("zones") or [])
    if not names:
        for subnet_id in doc.get("subnet_ids", []):
            subnet = index.get("subnet", doc["account"], doc["region"], subnet_id)
            if subnet is not None:
                names.append(subnet.get("zone"))
    return zone_facts(zones.distinct(doc["account"], doc["region"], names))


def _link_target_group(group: Document, index: Index, zones: ZoneCatalog) -> None:
    account, region = group["account"], group["region"]
    served = _served_zone_names(group, index)
    names: list[str | None] = []
    unresolved: list[str] = []
    idle: list[str] = []
    for target in group.get("targets", []):
        target_names = _target_zone_names(group, target, index)
        if not receives_traffic(target) or (
            served is not None and target_names and not set(target_names) & served
        ):
            idle.append(target["id"])
        elif target_names is None:
            unresolved.append(target["id"])
        else:
            names.extend(target_names)
    target_zones = zones.distinct(account, region, names)
    group["facts"].update(
        {
            "in_use": bool(group.get("load_balancer_arns")),
            "target_zones": target_zones,
            "target_zone_names": [zone["name"] for zone in target_zones],
            "target_zone_count": len(target_zones),
            "unresolved_target_ids": sorted(unresolved),
            "idle_target_ids": sorted(idle),
        }
    )
    for lb_arn in group.get("load_balancer_arns", []):
        lb = index.by_arn(lb_arn)
        if lb is not None and "target_group_arns" in lb["facts"]:
            lb["facts"]["target_group_arns"] = sorted(
                {*lb["facts"]["target_group_arns"], group["arn"]}
            )


def _served_zone_names(group: Document, index: Index) -> set[str] | None:
    """Zones its load balancers are enabled in; None when one of them is not in the snapshot."""
    served: set[str] = set()
    for lb_arn in group.get("load_balancer_arns", []):
        lb = index.by_arn(lb_arn)
        if lb is None or not lb.get("zones"):
            return None
        served.update(entry.get("name") for entry in lb.get("zones", []) if entry.get("name"))
    return served if group.get("load_balancer_arns") else None


def _target_zone_names(group: Document, target: dict[str, Any], index: Index) -> list[str] | None:
    """A target's zone(s): as AWS reports it, else its instance's, else an ALB target's zones."""
    if target.get("zone") == "all":
        return []  # an IP address outside the VPC: in no zone of ours
    if target.get("zone"):
        return [target["zone"]]
    target_id = target["id"]
    if group.get("target_type") == "lambda" or ":lambda:" in target_id:
        return []
    if target_id.startswith("i-"):
        instance = index.get("instance", group["account"], group["region"], target_id)
        return [instance["zone"]] if instance is not None and instance.get("zone") else None
    if target_id.startswith("arn:"):
        lb = index.by_arn(target_id)
        return [entry["name"] for entry in lb.get("zones", [])] if lb is not None else None
    return None
