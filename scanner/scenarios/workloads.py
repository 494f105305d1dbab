"""Workloads and where their capacity sits: the weight each zone carries for each workload.

A workload is an Auto Scaling group, a load balancer with its target groups, a
tag fleet, or a running instance that belongs to none of these. Its capacity
per zone is counted from running instances where the snapshot has them, else
from its configured zones (one share each):

- Auto Scaling group: its ``InService`` instances per zone (instances in
  other lifecycle states do not serve:
  https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html),
  else its configured zones.
- Load balancer: targets that take traffic, counted only in zones the load
  balancer is enabled in ("If you register targets in an Availability Zone but
  do not enable the Availability Zone, these registered targets do not receive
  traffic":
  https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html).
  With cross-zone load balancing off, a zone's load balancer node routes only
  to targets in its own zone, so a zone serves only with targets of its own;
  with it on, every enabled zone's node reaches every enabled zone's targets
  (same page, "Cross-zone load balancing"). Target groups may override the
  load balancer's setting (``load_balancing.cross_zone.enabled``). Draining,
  unused and unhealthy targets take no traffic, unless every target is
  unhealthy, when the load balancer fails open to all of them:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html.
- Tag fleet and standalone instance: running instances per zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scanner.scenarios.domains import parent_key, zone_key

INSTANCES, TARGETS, CONFIGURED = "running-instances", "targets", "configured-zones"
_NO_TRAFFIC = frozenset({"draining", "unused", "unhealthy"})


@dataclass(slots=True)
class Slot:
    zone: str | None  # zone domain id; None for capacity in no zone (regional targets)
    parent: str | None  # the parent zone id when ``zone`` is a Local or Wavelength Zone
    name: str | None  # the zone's name in the workload's account
    weight: float


@dataclass(slots=True)
class Workload:
    id: str
    arn: str
    account: str
    region: str
    kind: str  # auto_scaling_group | load_balancer | classic_load_balancer | tag | instance
    title: str
    basis: str  # running-instances | targets | configured-zones
    slots: list[Slot]
    tags: dict[str, str] = field(default_factory=dict)
    serving_zones: list[str] | None = None  # load balancers: zones that still take traffic
    configured: tuple[str, ...] = ()  # zone domain ids it is configured or enabled in

    @property
    def total(self) -> float:
        return sum(slot.weight for slot in self.slots)


class _Lookups:
    def __init__(self, model: Any):
        self.instances = {
            (d["account"], d["region"], d["id"]): d for d in model.of_type("instance")
        }
        self.by_arn = {
            d["arn"]: d
            for name in ("auto_scaling_group", "classic_load_balancer", "load_balancer")
            for d in model.of_type(name)
        }
        self.groups = {d["arn"]: d for d in model.of_type("target_group")}
        self.zones = {(str(z.get("account")), z["name"]): z for z in model.zones if z.get("name")}

    def zone(self, account: str, name: str | None) -> dict[str, Any] | None:
        if not name:
            return None
        return self.zones.get((account, name)) or {"name": name, "id": None, "type": None}

    def slot(self, account: str, zone: dict[str, Any] | None, weight: float) -> Slot:
        return Slot(
            zone_key(account, zone), parent_key(zone), zone.get("name") if zone else None, weight
        )


def build_workloads(model: Any) -> list[Workload]:
    """Every workload of the linked model, with its capacity slots."""
    look = _Lookups(model)
    workloads: list[Workload] = []
    in_fleet: set[tuple[str, str, str]] = set()
    for fleet in model.of_type("fleet"):
        facts = fleet["facts"]
        account, region = fleet["account"], fleet["region"]
        for member in facts.get("instance_ids", []):
            in_fleet.add((account, region, member))
        source = look.by_arn.get(fleet["arn"])
        kind = fleet.get("kind")
        if kind == "auto_scaling_group" and source is not None:
            basis, slots = _asg_slots(source, look)
            serving = None
        elif kind in ("load_balancer", "classic_load_balancer") and source is not None:
            basis, slots, serving = _load_balancer_slots(source, kind, look)
        else:
            basis, slots = INSTANCES, _instance_slots(account, region, facts["instance_ids"], look)
            serving = None
        if not slots:
            basis = CONFIGURED
            slots = [look.slot(account, zone, 1.0) for zone in facts.get("zones", [])]
        tags = _tag_fleet_tags(fleet, look) if kind == "tag" else dict(fleet.get("tags") or {})
        configured = tuple(
            key for key in (zone_key(account, z) for z in facts.get("zones", [])) if key
        )
        workloads.append(
            Workload(
                fleet["id"],
                fleet["arn"],
                account,
                region,
                str(kind),
                fleet["title"],
                basis,
                slots,
                tags,
                serving,
                configured,
            )
        )
    for instance in model.of_type("instance"):
        key = (instance["account"], instance["region"], instance["id"])
        if instance.get("state") != "running" or key in in_fleet:
            continue
        if instance["facts"].get("asg_managed"):
            continue
        zone = instance["facts"].get("zone")
        workloads.append(
            Workload(
                instance["id"],
                instance["arn"],
                instance["account"],
                instance["region"],
                "instance",
                f"EC2 instance {instance['id']}",
                INSTANCES,
                [look.slot(instance["account"], zone, 1.0)] if zone else [],
                dict(instance.get("tags") or {}),
            )
        )
    return workloads


def _asg_slots(asg: dict[str, Any], look: _Lookups) -> tuple[str, list[Slot]]:
    account, region = asg["account"], asg["region"]
    slots = []
    for member in asg.get("instances", []):
        if member.get("lifecycle_state") not in (None, "InService"):
            continue
        name = member.get("zone")
        if not name:
            instance = look.instances.get((account, region, member["id"]))
            name = instance.get("zone") if instance else None
        if name:
            slots.append(look.slot(account, look.zone(account, name), 1.0))
    return INSTANCES, slots


def _instance_slots(
    account: str, region: str, instance_ids: Iterable[str], look: _Lookups
) -> list[Slot]:
    slots = []
    for instance_id in instance_ids:
        instance = look.instances.get((account, region, instance_id))
        if instance is None or instance.get("state") != "running":
            continue
        slots.append(look.slot(account, instance["facts"].get("zone"), 1.0))
    return [slot for slot in slots if slot.zone is not None]


def _load_balancer_slots(
    lb: dict[str, Any], kind: str, look: _Lookups
) -> tuple[str, list[Slot], list[str]]:
    account, region = lb["account"], lb["region"]
    enabled = set(lb["facts"].get("zone_names", []))
    lb_cross = lb["facts"].get("cross_zone")
    # what linking worked out per target group (its setting, or the load balancer's)
    effective = {
        entry.get("target_group"): entry.get("enabled")
        for entry in lb["facts"].get("cross_zone_target_groups") or []
        if isinstance(entry, dict)
    }
    slots: list[Slot] = []
    serving: set[str] = set()
    if kind == "classic_load_balancer":
        targets = [(instance_id, None, None) for instance_id in lb.get("instance_ids", [])]
        groups = [(targets, lb_cross)]
    else:
        groups = []
        for arn in lb["facts"].get("target_group_arns", []):
            group = look.groups.get(arn)
            if group is None:
                continue
            cross = (group.get("attributes") or {}).get("load_balancing.cross_zone.enabled")
            cross_zone = lb_cross if cross not in ("true", "false") else cross == "true"
            if group.get("name") in effective:
                cross_zone = effective[group.get("name")]
            targets = [
                (t["id"], t.get("zone"), t.get("health_state")) for t in group.get("targets", [])
            ]
            groups.append((targets, cross_zone))
    for targets, cross_zone in groups:
        placed = _placed_targets(account, region, targets, look)
        taking = [(zone, state) for zone, state in placed if state not in _NO_TRAFFIC]
        if not taking:  # fail open: every target unhealthy still gets traffic
            taking = [(zone, state) for zone, state in placed if state == "unhealthy"]
        for zone, _ in taking:
            if zone is None:
                slots.append(Slot(None, None, None, 1.0))  # outside any zone (IP outside the VPC)
            elif zone["name"] in enabled:
                slots.append(look.slot(account, zone, 1.0))
                serving.add(zone["name"])
        if taking and cross_zone is not False:
            serving |= enabled  # every enabled zone's node reaches the targets
    return TARGETS, slots, sorted(serving)


def _placed_targets(
    account: str, region: str, targets: list[tuple[str, str | None, str | None]], look: _Lookups
) -> list[tuple[dict[str, Any] | None, str | None]]:
    placed = []
    for target_id, zone_name, state in targets:
        if zone_name == "all":
            placed.append((None, state))
            continue
        if not zone_name and target_id.startswith("i-"):
            instance = look.instances.get((account, region, target_id))
            if instance is None or instance.get("state") != "running":
                continue
            zone_name = instance.get("zone")
        zone = look.zone(account, zone_name)
        if zone is not None:
            placed.append((zone, state))
    return placed


def _tag_fleet_tags(fleet: dict[str, Any], look: _Lookups) -> dict[str, str]:
    """Tags every member carries (a tag fleet has no tags of its own)."""
    common: dict[str, str] | None = None
    for member in fleet["facts"].get("instance_ids", []):
        instance = look.instances.get((fleet["account"], fleet["region"], member))
        tags = (instance or {}).get("tags") or {}
        common = (
            dict(tags) if common is None else {k: v for k, v in common.items() if tags.get(k) == v}
        )
    return {**(common or {}), **(fleet.get("tags") or {})}
