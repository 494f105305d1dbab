"""The zone map: for each (account, Region), which fleets run in which zones.

Columns are the Region's Availability Zones, each followed by the Local Zones
(and Wavelength Zones) whose parent it is, so a fleet that "spans two zones"
but sits in an AZ and its own Local Zone is visibly one failure domain. Local
Zones appear only if opted in or used, so the map stays readable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

AZ = "availability-zone"


@dataclass(frozen=True)
class ZoneColumn:
    name: str
    zone_id: str | None
    type: str
    parent: str | None


@dataclass
class ZoneGroup:
    """One AZ and the zones whose parent it is; ``parent`` is None for zones of unknown parent."""

    parent: str | None
    columns: list[ZoneColumn] = field(default_factory=list)


@dataclass(frozen=True)
class FleetRow:
    name: str
    kind: str
    arn: str
    cells: tuple[bool, ...]  # aligned with RegionZoneMap.columns
    failure_domains: int  # distinct parent AZs the fleet touches


@dataclass
class RegionZoneMap:
    account: str
    region: str
    groups: list[ZoneGroup]
    rows: list[FleetRow]
    hidden_rows: int = 0

    @property
    def columns(self) -> list[ZoneColumn]:
        return [column for group in self.groups for column in group.columns]


def _column(record: dict[str, Any]) -> ZoneColumn:
    return ZoneColumn(
        name=str(record.get("name")),
        zone_id=record.get("id"),
        type=str(record.get("type") or AZ),
        parent=record.get("parent_zone_name"),
    )


def _domain(column: ZoneColumn) -> str:
    return column.name if column.type == AZ or not column.parent else column.parent


def build_zone_maps(
    zones: list[dict[str, Any]], fleets: list[dict[str, Any]], *, max_rows: int = 200
) -> list[RegionZoneMap]:
    """One map per (account, Region) that has fleets; rows sorted fewest failure domains first."""
    catalog: dict[tuple[str, str], dict[str, ZoneColumn]] = defaultdict(dict)
    opted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in zones:
        key = (str(record.get("account")), str(record.get("region")))
        column = _column(record)
        catalog[key][column.name] = column
        if column.type == AZ or record.get("opt_in_status") in ("opted-in", "opt-in-not-required"):
            opted[key].add(column.name)
    by_unit: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for fleet in fleets:
        by_unit[(str(fleet.get("account")), str(fleet.get("region")))].append(fleet)
    maps = []
    for key in sorted(by_unit):
        known = dict(catalog.get(key, {}))
        shown = set(opted.get(key, set()))
        for fleet in by_unit[key]:
            for record in fleet.get("zones") or []:
                column = known.setdefault(str(record.get("name")), _column(record))
                shown.add(column.name)
        groups = _group(known, shown)
        columns = [column for group in groups for column in group.columns]
        rows = []
        for fleet in by_unit[key]:
            present = {str(record.get("name")) for record in fleet.get("zones") or []}
            domains = {_domain(known[name]) for name in present if name in known}
            rows.append(
                FleetRow(
                    name=str(fleet.get("name") or fleet.get("id")),
                    kind=str(fleet.get("kind") or "fleet"),
                    arn=str(fleet.get("arn") or ""),
                    cells=tuple(column.name in present for column in columns),
                    failure_domains=len(domains),
                )
            )
        rows.sort(key=lambda row: (row.failure_domains, row.name, row.arn))
        maps.append(
            RegionZoneMap(key[0], key[1], groups, rows[:max_rows], max(0, len(rows) - max_rows))
        )
    return maps


def _group(known: dict[str, ZoneColumn], shown: set[str]) -> list[ZoneGroup]:
    azs = sorted(name for name in shown if known[name].type == AZ)
    groups = {name: ZoneGroup(parent=name, columns=[known[name]]) for name in azs}
    orphans = ZoneGroup(parent=None)
    for name in sorted(shown):
        column = known[name]
        if column.type == AZ:
            continue
        if column.parent in groups:
            groups[column.parent].columns.append(column)
        else:
            orphans.columns.append(column)
    ordered = [groups[name] for name in azs]
    return ordered + ([orphans] if orphans.columns else [])
