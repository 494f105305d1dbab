"""Where a resource is: the one place a finding's location is derived from its linked document.

A location answers "what sits in us-east-1a?" for every output: account,
Region, zones (name, zone id, type), subnets, and the resource's name and tags.
A resource in one zone (instance, volume, subnet) has one zone; a multi-zone
resource (Auto Scaling group, load balancer, fleet) lists every zone it is
configured for or enabled in, sorted by name; a target group lists its
registered targets' zones. Regional resources (AMIs, snapshots, DLM policies)
have no zone and no subnet: an empty list, not a guess.
"""

from __future__ import annotations

from typing import Any

_ZONE_FIELDS = ("name", "id", "type")
# Types whose AWS identifier is the name people gave them.
_NAMED_BY_ID = frozenset({"auto_scaling_group", "classic_load_balancer", "launch_configuration"})


def resource_location(resource_type: str, document: dict[str, Any]) -> dict[str, Any]:
    """The location of one linked document (any resource type, including derived fleets)."""
    tags = document.get("tags") if isinstance(document.get("tags"), dict) else {}
    return {
        "account": document.get("account"),
        "region": document.get("region"),
        "zones": _zones(document),
        "subnet_ids": _subnet_ids(document),
        "name": _name(resource_type, document, tags),
        "tags": {str(key): str(value) for key, value in sorted(tags.items())},
    }


def empty_location(account: str, region: str) -> dict[str, Any]:
    """The location of a finding about no single resource (a blind spot of collection)."""
    return {
        "account": account,
        "region": region,
        "zones": [],
        "subnet_ids": [],
        "name": None,
        "tags": {},
    }


def _zones(document: dict[str, Any]) -> list[dict[str, Any]]:
    facts = document.get("facts") if isinstance(document.get("facts"), dict) else {}
    found: list[Any] = []
    if isinstance(facts.get("zone"), dict):
        found = [facts["zone"]]
    elif isinstance(facts.get("zones"), list):
        found = facts["zones"]
    elif isinstance(facts.get("target_zones"), list):
        found = facts["target_zones"]
    zones = {}
    for zone in found:
        if isinstance(zone, dict) and zone.get("name"):
            zones[str(zone["name"])] = {field: zone.get(field) for field in _ZONE_FIELDS}
    return [zones[name] for name in sorted(zones)]


def _subnet_ids(document: dict[str, Any]) -> list[str]:
    ids: set[str] = set()
    if isinstance(document.get("subnet_id"), str):
        ids.add(document["subnet_id"])
    for subnet_id in document.get("subnet_ids") or []:
        if isinstance(subnet_id, str):
            ids.add(subnet_id)
    for zone in document.get("zones") or []:  # ELBv2: AvailabilityZones[].SubnetId
        if isinstance(zone, dict) and isinstance(zone.get("subnet_id"), str):
            ids.add(zone["subnet_id"])
    if str(document.get("id", "")).startswith("subnet-"):
        ids.add(document["id"])
    return sorted(ids)


def _name(resource_type: str, document: dict[str, Any], tags: dict[str, Any]) -> str | None:
    """The resource's own name (ASG, load balancer, AMI, fleet), else its ``Name`` tag."""
    own = document.get("id") if resource_type in _NAMED_BY_ID else document.get("name")
    for candidate in (own, tags.get("Name")):
        if isinstance(candidate, str) and candidate:
            return candidate
    return None
