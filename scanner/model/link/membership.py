"""Which fleets each instance belongs to, and where it sits in a placement group.

An instance in no fleet (no Auto Scaling group, no load balancer or target
group, no fleet tag) is a single point of failure: nothing replaces it or
routes around it when its zone or host fails. A cluster placement group packs
its instances into one zone, close together on shared hardware:
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/placement-strategies.html
"""

from __future__ import annotations

from collections import Counter, defaultdict

from scanner.model.link.index import Document, Index


def link_membership(index: Index, fleets: list[Document]) -> None:
    members: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for fleet in fleets:
        for instance_id in fleet["facts"]["instance_ids"]:
            members[(fleet["account"], fleet["region"], instance_id)].append(fleet["id"])
    group_sizes: Counter[tuple[str, str, str]] = Counter(
        (doc["account"], doc["region"], doc["placement_group_name"])
        for doc in index.of_type("instance")
        if doc.get("placement_group_name") and doc.get("state") == "running"
    )
    for instance in index.of_type("instance"):
        account, region = instance["account"], instance["region"]
        name = instance.get("placement_group_name")
        group = index.get("placement_group", account, region, name) if name else None
        instance["facts"].update(
            {
                "fleet_ids": sorted(set(members.get((account, region, instance["id"]), []))),
                "placement_strategy": group.get("strategy") if group else None,
                "placement_group_size": group_sizes[(account, region, name)] if name else 0,
            }
        )
