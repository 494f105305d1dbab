"""The zone map: for each (account, Region), what runs in which zones.

Columns are the Region's Availability Zones, each followed by the Local Zones
(and Wavelength Zones) whose parent it is, so a fleet that "spans two zones"
but sits in an AZ and its own Local Zone is visibly one failure domain. Local
Zones appear only if opted in or used, so the map stays readable.

Rows are every zoned workload: fleets, then the instances no fleet holds and
the volumes attached to no fleet instance (a standalone instance and its data
die with their zone just the same). A totals row counts every instance and
volume per zone, fleet members included: what sits in us-east-1a.
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
    instance_totals: tuple[int, ...] = ()  # every instance per column, fleet members included
    volume_totals: tuple[int, ...] = ()
    single_domain_rows: int = 0  # rows (shown or not) in fewer than two failure domains
    total_rows: int = 0

    @property
    def columns(self) -> list[ZoneColumn]:
        return [column for group in self.groups for column in group.columns]

    @property
    def anchor(self) -> str:
        """A stable element id for the table of contents."""
        return "zone-map-" + "".join(
            char if char.isalnum() else "-" for char in f"{self.account}-{self.region}"
        )


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
    zones: list[dict[str, Any]],
    fleets: list[dict[str, Any]],
    *,
    placed: list[dict[str, Any]] = (),  # type: ignore[assignment]
    zone_counts: list[dict[str, Any]] = (),  # type: ignore[assignment]
    max_rows: int = 200,
) -> list[RegionZoneMap]:
    """One map per (account, Region) with zoned workloads; fewest failure domains first.

    ``placed`` are the standalone instances and volumes (``scanner.report.context``),
    each with ``type``, ``id``, ``arn``, ``name`` and ``zone``; ``zone_counts``
    count every instance and volume per (account, Region, zone).
    """
    catalog: dict[tuple[str, str], dict[str, ZoneColumn]] = defaultdict(dict)
    opted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in zones:
        key = (str(record.get("account")), str(record.get("region")))
        column = _column(record)
        catalog[key][column.name] = column
        if column.type == AZ or record.get("opt_in_status") in ("opted-in", "opt-in-not-required"):
            opted[key].add(column.name)
    workloads: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for fleet in fleets:
        workloads[(str(fleet.get("account")), str(fleet.get("region")))].append(fleet)
    for item in placed:
        if item.get("zone"):
            key = (str(item.get("account")), str(item.get("region")))
            workloads[key].append({**item, "kind": item.get("type"), "zones": [item["zone"]]})
    totals: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(dict)
    for count in zone_counts:
        key = (str(count.get("account")), str(count.get("region")))
        totals[key][str(count.get("zone"))] = count
    maps = []
    for key in sorted(workloads):
        known = dict(catalog.get(key, {}))
        shown = set(opted.get(key, set()))
        for workload in workloads[key]:
            for record in workload.get("zones") or []:
                column = known.setdefault(str(record.get("name")), _column(record))
                shown.add(column.name)
        groups = _group(known, shown)
        columns = [column for group in groups for column in group.columns]
        rows = [_row(workload, known, columns) for workload in workloads[key]]
        rows.sort(
            key=lambda row: (row.failure_domains, _KIND_ORDER.get(row.kind, 0), row.name, row.arn)
        )
        maps.append(
            RegionZoneMap(
                key[0],
                key[1],
                groups,
                rows[:max_rows],
                max(0, len(rows) - max_rows),
                instance_totals=_totals(totals[key], "instance", columns),
                volume_totals=_totals(totals[key], "volume", columns),
                single_domain_rows=sum(1 for row in rows if row.failure_domains < 2),
                total_rows=len(rows),
            )
        )
    return maps


_KIND_ORDER = {"instance": 1, "volume": 2}  # fleets first among equals


def _row(
    workload: dict[str, Any], known: dict[str, ZoneColumn], columns: list[ZoneColumn]
) -> FleetRow:
    present = {str(record.get("name")) for record in workload.get("zones") or []}
    domains = {_domain(known[name]) for name in present if name in known}
    return FleetRow(
        name=str(workload.get("name") or workload.get("id")),
        kind=str(workload.get("kind") or "fleet"),
        arn=str(workload.get("arn") or ""),
        cells=tuple(column.name in present for column in columns),
        failure_domains=len(domains),
    )


def _totals(
    counts: dict[str, dict[str, int]], kind: str, columns: list[ZoneColumn]
) -> tuple[int, ...]:
    return tuple(int(counts.get(column.name, {}).get(kind, 0)) for column in columns)


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
