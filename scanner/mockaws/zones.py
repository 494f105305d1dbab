"""Local Zones and Wavelength Zones for moto, whose zone table has only Availability Zones.

AWS's ``DescribeAvailabilityZones(AllAvailabilityZones=True)`` lists a Region's
Local and Wavelength Zones with ``ZoneType``, ``ParentZoneName``/``ParentZoneId``,
``GroupName``, ``NetworkBorderGroup`` and ``OptInStatus``. moto has none, so
:func:`add_local_zones` appends such zones to moto's class-level zone table
(``RegionsAndZonesBackend.zones``); moto's response serializer then returns every
field, and subnets, instances, Auto Scaling groups and load balancers accept the
new zone names like any other. The change is process-wide (in-process
``mock_aws`` and a ``ThreadedMotoServer`` started in this process both see it);
undo it with the returned handle or by using it as a context manager.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend, Zone

_LOCK = threading.Lock()


@dataclass(frozen=True)
class ExtraZone:
    """A Local Zone or Wavelength Zone as AWS describes it."""

    name: str  # e.g. us-west-2-lax-1a
    zone_id: str  # e.g. usw2-lax1-az1
    parent_zone_name: str  # the Availability Zone it hangs off, e.g. us-west-2a
    group_name: str  # e.g. us-west-2-lax-1
    network_border_group: str  # e.g. us-west-2-lax-1
    zone_type: str = "local-zone"  # or "wavelength-zone"
    opt_in_status: str = "opted-in"


DEFAULT_ZONES: dict[str, tuple[ExtraZone, ...]] = {
    "us-west-2": (
        ExtraZone(
            "us-west-2-lax-1a", "usw2-lax1-az1", "us-west-2a", "us-west-2-lax-1", "us-west-2-lax-1"
        ),
        ExtraZone(
            "us-west-2-lax-1b", "usw2-lax1-az2", "us-west-2a", "us-west-2-lax-1", "us-west-2-lax-1"
        ),
        ExtraZone(
            "us-west-2-wl1-sea-wlz-1",
            "usw2-wl1-sea-wlz1",
            "us-west-2c",
            "us-west-2-wl1",
            "us-west-2-wl1-sea-wlz-1",
            zone_type="wavelength-zone",
        ),
    ),
    "us-east-1": (
        ExtraZone(
            "us-east-1-bos-1a", "use1-bos1-az1", "us-east-1b", "us-east-1-bos-1", "us-east-1-bos-1"
        ),
    ),
}


class ZonePatch:
    """The zones one :func:`add_local_zones` call added; :meth:`undo` removes exactly those."""

    def __init__(self, added: list[Zone]) -> None:
        self.added = added

    @property
    def names(self) -> list[str]:
        return [zone.name for zone in self.added]

    def undo(self) -> None:
        with _LOCK:
            for zone in self.added:
                table = RegionsAndZonesBackend.zones.get(zone.region_name, [])
                if zone in table:
                    table.remove(zone)
            self.added = []

    def __enter__(self) -> ZonePatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.undo()


def add_local_zones(
    region: str = "us-west-2", zones: Sequence[ExtraZone] | None = None
) -> ZonePatch:
    """Add Local/Wavelength Zones to moto's ``region`` (default: :data:`DEFAULT_ZONES`).

    Idempotent: a zone whose name is already in the table is left as it is (and
    not removed by this call's undo). ``ParentZoneId`` is the parent's id in
    moto's own table, so name-to-id mappings stay consistent.
    """
    wanted = DEFAULT_ZONES.get(region, ()) if zones is None else tuple(zones)
    added: list[Zone] = []
    with _LOCK:
        table = RegionsAndZonesBackend.zones.setdefault(region, [])
        existing = {zone.name: zone for zone in table}
        for extra in wanted:
            if extra.name in existing:
                continue
            parent = existing.get(extra.parent_zone_name)
            if parent is None:
                raise ValueError(
                    f"{extra.name}: parent zone {extra.parent_zone_name} is not in {region}"
                )
            zone = Zone(
                region_name=region,
                name=extra.name,
                zone_id=extra.zone_id,
                zone_type=extra.zone_type,
            )
            # moto serializes these attributes as ParentZoneName, ParentZoneId, GroupName, ….
            zone.parent_zone_name = extra.parent_zone_name  # type: ignore[attr-defined]
            zone.parent_zone_id = parent.zone_id  # type: ignore[attr-defined]
            zone.group_name = extra.group_name  # type: ignore[attr-defined]
            zone.network_border_group = extra.network_border_group  # type: ignore[attr-defined]
            zone.opt_in_status = extra.opt_in_status  # type: ignore[attr-defined]
            table.append(zone)
            existing[zone.name] = zone
            added.append(zone)
    return ZonePatch(added)
