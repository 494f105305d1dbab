"""Failure domains: every Availability Zone (by zone id), Local/Wavelength Zone, and Region.

Zone names map to physical zones differently in every account (AWS: "AZ IDs
... are the same across all accounts"; names are not), so a zone domain is
keyed by its zone id and lists the name each account uses for it:
https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html.
A Local Zone or Wavelength Zone is its own domain and names its parent zone,
whose failure puts it at risk:
https://docs.aws.amazon.com/local-zones/latest/ug/how-local-zones-work.html.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ZONE, LOCAL_ZONE, REGION = "zone", "local-zone", "region"
KIND_ORDER = {ZONE: 0, LOCAL_ZONE: 1, REGION: 2}
_LOCAL_TYPES = frozenset({"local-zone", "wavelength-zone"})
_SHOWN_OPT_IN = frozenset({"opted-in", "opt-in-not-required"})


def zone_key(account: str, zone: dict[str, Any] | None) -> str | None:
    """A zone's domain id: its zone id, or ``account:name`` when the catalog has no id for it."""
    if not zone or not zone.get("name"):
        return None
    return zone.get("id") or f"{account}:{zone['name']}"


def parent_key(zone: dict[str, Any] | None) -> str | None:
    """The parent zone id of a Local or Wavelength Zone; None for anything else."""
    if not zone or zone.get("type") not in _LOCAL_TYPES:
        return None
    return zone.get("parent_zone_id")


@dataclass
class Domain:
    kind: str  # zone | local-zone | region
    id: str  # zone id (use1-az4) or Region name
    region: str
    zone_type: str | None = None  # availability-zone | local-zone | wavelength-zone
    parent_id: str | None = None  # Local/Wavelength Zones: the parent zone id
    names: dict[str, str] = field(default_factory=dict)  # account -> zone name

    def label(self) -> str:
        """``use1-az4 (us-east-1a in 111…, us-east-1c in 222…)`` or the Region's name."""
        if self.kind == REGION:
            return self.id
        names = ", ".join(f"{name} in {account}" for account, name in sorted(self.names.items()))
        return f"{self.id} ({names})" if names else self.id

    def phrase(self) -> str:
        """What the objective says it must survive: 'a zone' or 'a Region'."""
        return "a Region" if self.kind == REGION else "a zone"

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "region": self.region,
            "zone_type": self.zone_type,
            "parent_id": self.parent_id,
            "names": dict(sorted(self.names.items())),
        }


class DomainCatalog:
    """The domains of a scan, built from the zone catalog and the Regions scanned."""

    def __init__(self, zones: Iterable[dict[str, Any]], regions: Iterable[str]):
        self.domains: dict[str, Domain] = {}
        self._unused_local: set[str] = set()
        for record in zones:
            zone_type = record.get("type") or "availability-zone"
            if zone_type not in _LOCAL_TYPES and zone_type != "availability-zone":
                continue  # Outposts are not failure domains of this model
            account = str(record.get("account"))
            key = zone_key(account, record)
            if key is None:
                continue
            domain = self.domains.get(key)
            if domain is None:
                local = zone_type in _LOCAL_TYPES
                domain = self.domains[key] = Domain(
                    kind=LOCAL_ZONE if local else ZONE,
                    id=key,
                    region=str(record.get("region")),
                    zone_type=zone_type,
                    parent_id=parent_key(record),
                )
                if local:
                    self._unused_local.add(key)
            domain.names[account] = str(record["name"])
            if domain.kind == LOCAL_ZONE and record.get("opt_in_status") in _SHOWN_OPT_IN:
                self._unused_local.discard(key)
        for region in regions:
            self.region(region)

    def region(self, name: str) -> Domain:
        domain = self.domains.get(name)
        if domain is None:
            domain = self.domains[name] = Domain(kind=REGION, id=name, region=name)
        return domain

    def zone(self, account: str, region: str, zone: dict[str, Any]) -> Domain | None:
        """The domain of a zone something runs in (added when the catalog lacks it); now shown."""
        key = zone_key(account, zone)
        if key is None:
            return None
        domain = self.domains.get(key)
        if domain is None:
            zone_type = zone.get("type") or "availability-zone"
            local = zone_type in _LOCAL_TYPES
            domain = self.domains[key] = Domain(
                kind=LOCAL_ZONE if local else ZONE,
                id=key,
                region=region,
                zone_type=zone_type,
                parent_id=parent_key(zone),
            )
        domain.names.setdefault(account, str(zone["name"]))
        self._unused_local.discard(key)
        return domain

    def shown(self) -> list[Domain]:
        """Every domain except Local Zones nobody opted into or uses."""
        return [d for key, d in self.domains.items() if key not in self._unused_local]
