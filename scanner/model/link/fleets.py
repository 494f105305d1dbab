"""Fleets: the workloads a zone failure takes down together.

Each Auto Scaling group is a fleet, each load balancer is a fleet (with its
registered instances), and running instances no Auto Scaling group manages are
grouped by the first tag key from ``fleet_tag_keys`` they carry. A fleet's
zones are its configured zones (ASG), enabled zones (load balancer) or its
instances' zones (tag fleet).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from scanner.model.link.balancing import routed_cross_zone
from scanner.model.link.index import Document, Index
from scanner.model.link.zones import ZoneCatalog, local_zone_facts, zone_facts

DEFAULT_FLEET_TAG_KEYS: tuple[str, ...] = ("Fleet", "Service", "Application")
_KIND_TITLES = {
    "auto_scaling_group": "Auto Scaling group",
    "classic_load_balancer": "Classic Load Balancer",
    "tag": "tag fleet",
}
_LOAD_BALANCER_TITLES = {
    "application": "Application Load Balancer",
    "network": "Network Load Balancer",
    "gateway": "Gateway Load Balancer",
}


def build_fleets(
    index: Index, zones: ZoneCatalog, fleet_tag_keys: tuple[str, ...]
) -> list[Document]:
    fleets: list[Document] = []
    for asg in index.of_type("auto_scaling_group"):
        members = sorted({member["id"] for member in asg.get("instances", [])})
        fleets.append(
            _fleet(
                asg,
                "auto_scaling_group",
                f"asg/{asg['id']}",
                asg["id"],
                asg["facts"]["zones"],
                members,
                asg.get("subnet_ids") or [],
            )
        )
    for clb in index.of_type("classic_load_balancer"):
        fleet = _fleet(
            clb,
            "classic_load_balancer",
            f"elb/{clb['id']}",
            clb["id"],
            clb["facts"]["zones"],
            sorted(set(clb.get("instance_ids", []))),
            clb.get("subnet_ids") or [],
        )
        fleet["facts"].update(
            {"cross_zone": clb["facts"]["cross_zone"], "load_balancer_type": "classic"}
        )
        fleet["rests_on_arns"] = [clb["arn"]]
        fleets.append(fleet)
    for lb in index.of_type("load_balancer"):
        fleet = _fleet(
            lb,
            "load_balancer",
            f"elbv2/{lb['name']}",
            lb["name"],
            lb["facts"]["zones"],
            _registered_instances(lb, index),
            [entry.get("subnet_id") for entry in lb.get("zones", [])],
        )
        fleet["title"] = (
            f"{_LOAD_BALANCER_TITLES.get(lb.get('type'), 'Load balancer')} {lb['name']}"
        )
        fleet["facts"].update(
            {
                "cross_zone": routed_cross_zone(lb),
                "cross_zone_off_target_groups": lb["facts"]["cross_zone_off_target_groups"],
                "load_balancer_type": lb.get("type"),
            }
        )
        fleet["rests_on_arns"] = list(lb["rests_on_arns"])
        fleets.append(fleet)
    fleets.extend(_tag_fleets(index, zones, fleet_tag_keys))
    return fleets


def _fleet(
    source: Document,
    kind: str,
    fleet_id: str,
    name: str,
    fleet_zones: list[dict[str, Any]],
    members: list[str],
    subnet_ids: list[str | None],
) -> Document:
    return {
        "id": fleet_id,
        "arn": source["arn"],
        "account": source["account"],
        "region": source["region"],
        "tags": dict(source.get("tags") or {}),
        "kind": kind,
        "name": name,
        "title": f"{_KIND_TITLES.get(kind, kind)} {name}",  # for messages: "Auto Scaling group web"
        "subnet_ids": sorted({subnet for subnet in subnet_ids if subnet}),
        "facts": {
            **zone_facts([dict(zone) for zone in fleet_zones]),
            **local_zone_facts(fleet_zones),
            "instance_ids": members,
            "instance_count": len(members),
            "cross_zone": None,
            "cross_zone_off_target_groups": [],
            "load_balancer_type": None,
        },
    }


def _registered_instances(lb: Document, index: Index) -> list[str]:
    members: set[str] = set()
    for group_arn in lb["facts"].get("target_group_arns", []):
        group = index.by_arn(group_arn)
        if group is None:
            continue
        for target in group.get("targets", []):
            if target["id"].startswith("i-"):
                members.add(target["id"])
    return sorted(members)


def _tag_fleets(
    index: Index, zones: ZoneCatalog, fleet_tag_keys: tuple[str, ...]
) -> list[Document]:
    groups: dict[tuple[str, str, str, str], list[Document]] = defaultdict(list)
    for instance in index.of_type("instance"):
        if instance.get("state") != "running" or instance["facts"].get("asg_managed"):
            continue
        tags = instance.get("tags") or {}
        key = next((k for k in fleet_tag_keys if k in tags), None)
        if key is not None:
            groups[(instance["account"], instance["region"], key, tags[key])].append(instance)
    fleets = []
    for (account, region, key, value), members in sorted(groups.items()):
        fleet_id = f"tag/{key}={value}"
        source = {
            "arn": f"stormproof:fleet:{account}:{region}:{fleet_id}",
            "account": account,
            "region": region,
            "tags": {key: value},
        }
        fleet_zones = zones.distinct(account, region, (m.get("zone") for m in members))
        fleets.append(
            _fleet(
                source,
                "tag",
                fleet_id,
                f"{key}={value}",
                fleet_zones,
                sorted(m["id"] for m in members),
                [m.get("subnet_id") for m in members],
            )
        )
    return fleets
