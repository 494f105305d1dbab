"""The zone catalog: every zone's type and parent, joined onto anything that names a zone.

Zone names map to zone ids per account, so the catalog is keyed by account.
Local Zones and Wavelength Zones count as zones of their own and carry their
parent, which is what lets a policy see a workload "in two zones" that is
really a Local Zone and the Availability Zone it hangs off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

ZONE_OBJECT_FIELDS = ("name", "id", "type", "parent_zone_name", "parent_zone_id", "group_name")
LOCAL_ZONE_TYPES = frozenset({"local-zone", "wavelength-zone"})
NOT_A_ZONE = frozenset({"all"})  # an IP target outside the VPC reports zone "all"

# DLM's ResourceLocations for where a resource lives.
_LOCATION_BY_ZONE_TYPE = {
    "availability-zone": "CLOUD",
    "local-zone": "LOCAL_ZONE",
    "wavelength-zone": "LOCAL_ZONE",
    "outpost": "OUTPOST",
}


class ZoneCatalog:
    """Zone lookups for linking; ``records`` is the catalog the linked model exposes."""

    def __init__(self, snapshot: dict[str, Any]):
        self.records: list[dict[str, Any]] = []
        self._by_name: dict[tuple[str, str], dict[str, Any]] = {}
        for unit in snapshot.get("units", []):
            account = unit["account"]
            for zone in unit.get("zones", []):
                self.records.append({**zone, "account": account})
                self._by_name[(account, zone["name"])] = _zone_object(zone)
        self.records.sort(key=lambda z: (z["account"], z["region"], z["name"]))

    def zone(self, account: str, region: str, name: str | None) -> dict[str, Any] | None:
        """The zone object for ``name``; one missing from the catalog keeps what its name says."""
        if not name or name in NOT_A_ZONE:
            return None
        found = self._by_name.get((account, name))
        if found is not None:
            return dict(found)
        return {
            "name": name,
            "id": None,
            "type": "availability-zone" if _looks_like_az(region, name) else None,
            "parent_zone_name": None,
            "parent_zone_id": None,
            "group_name": None,
        }

    def distinct(
        self, account: str, region: str, names: Iterable[str | None]
    ) -> list[dict[str, Any]]:
        """Distinct zone objects sorted by name (AWS lists distinct zones; moto may repeat one)."""
        zones = {}
        for name in names:
            zone = self.zone(account, region, name)
            if zone is not None:
                zones[zone["name"]] = zone
        return [zones[name] for name in sorted(zones)]


def _zone_object(zone: dict[str, Any]) -> dict[str, Any]:
    return {field: zone.get(field) for field in ZONE_OBJECT_FIELDS}


def _looks_like_az(region: str, name: str) -> bool:
    return re.fullmatch(re.escape(region) + r"[a-z]", name) is not None


def resource_location(zone: dict[str, Any] | None) -> str:
    """Where DLM considers a resource to live: CLOUD, LOCAL_ZONE or OUTPOST."""
    if zone is None:
        return "CLOUD"
    return _LOCATION_BY_ZONE_TYPE.get(zone.get("type") or "", "CLOUD")


def zone_facts(zones: list[dict[str, Any]]) -> dict[str, Any]:
    """The zones / zone_names / zone_count trio every workload carries."""
    return {
        "zones": zones,
        "zone_names": [zone["name"] for zone in zones],
        "zone_count": len(zones),
    }


def local_zone_facts(zones: list[dict[str, Any]]) -> dict[str, Any]:
    local = [zone for zone in zones if zone.get("type") in LOCAL_ZONE_TYPES]
    parents = sorted({zone["parent_zone_name"] for zone in local if zone.get("parent_zone_name")})
    return {
        "local_zone_names": [zone["name"] for zone in local],
        "local_zone_parent_names": parents,
        "availability_zones": availability_zones_depended_on(zones),
    }


def availability_zones_depended_on(zones: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The Availability Zones ``zones`` depend on, ``{id, name}`` by zone id; None if unknown.

    An Availability Zone depends on itself; a Local or Wavelength Zone on its parent
    zone, so two Local Zones with the same parent are one failure domain; the EC2
    User Guide's "Resilience in Amazon EC2" gives the failover recommendation.
    https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/disaster-recovery-resiliency.html
    Zone ids, not names, identify a zone (names map to ids differently per account).
    """
    found: dict[str, str | None] = {}
    for zone in zones:
        if zone.get("type") == "availability-zone":
            zone_id, name = zone.get("id"), zone.get("name")
        elif zone.get("type") in LOCAL_ZONE_TYPES:
            zone_id, name = zone.get("parent_zone_id"), zone.get("parent_zone_name")
        else:
            return None
        if not zone_id:
            return None
        found[zone_id] = found.get(zone_id) or name
    return [{"id": zone_id, "name": found[zone_id]} for zone_id in sorted(found)]
