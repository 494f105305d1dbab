"""The data-loss window of a volume or instance when its zone or its Region fails.

The window is the hours between the snapshot's time and the newest backup that
outlives the failed domain, read from the ``protection`` fact:

- a zone: Regional backups count (EBS snapshots and AMIs are stored
  Regionally, "snapshots are ... stored in Amazon S3" and not tied to the
  volume's zone: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-snapshots.html),
  zone-local ones (EBS local snapshots on Outposts) do not;
- a Region: only backups in another Region count, in any account; a copy in
  another account of the same Region dies with it.

A copy rule to a Region (or account) the scan did not cover counts too, dated
by its schedule: its newest copy is at most one interval old. No backup outside
the domain: the data is *lost*. The worst case beside it is the shortest
interval among the sources whose backups outlive the domain. Without a
``protection`` fact nothing is known: the window is null and ``lost`` is null.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scanner.model.link.timeparse import parse_time
from scanner.scenarios.domains import zone_key

_GONE_VOLUME = frozenset({"deleting", "deleted", "error"})
_GONE_INSTANCE = frozenset({"terminated", "shutting-down"})


@dataclass(frozen=True, slots=True)
class Window:
    hours: float | None  # current data-loss window; None when unknown or lost
    lost: bool | None  # no backup outlives the domain; None when unknown
    worst_hours: float | None  # the shortest interval of a source that outlives it
    basis: str  # newest-backup | copy-schedule | none | unknown


@dataclass(slots=True)
class DataItem:
    kind: str  # volume | instance
    id: str
    arn: str
    account: str
    region: str
    zone: str | None  # zone domain id
    zone_name: str | None
    size_gib: int | None
    zone_window: Window
    region_window: Window
    document: dict[str, Any]


UNKNOWN = Window(None, None, None, "unknown")


def build_data_items(
    model: Any, now: datetime, scanned_regions: Iterable[str], scanned_accounts: Iterable[str]
) -> list[DataItem]:
    regions, accounts = frozenset(scanned_regions), frozenset(scanned_accounts)
    items: list[DataItem] = []
    for kind, gone in (("volume", _GONE_VOLUME), ("instance", _GONE_INSTANCE)):
        for doc in model.of_type(kind):
            if doc.get("state") in gone:
                continue
            facts = doc["facts"]
            zone = facts.get("zone")
            protection = facts.get("protection")
            items.append(
                DataItem(
                    kind,
                    doc["id"],
                    doc["arn"],
                    doc["account"],
                    doc["region"],
                    zone_key(doc["account"], zone),
                    zone.get("name") if zone else None,
                    doc.get("size_gib") if kind == "volume" else None,
                    zone_window(protection, now, regions, accounts),
                    region_window(protection, now, regions),
                    doc,
                )
            )
    return items


def _hours(now: datetime, backup: dict[str, Any] | None) -> float | None:
    moment = parse_time((backup or {}).get("time"))
    if moment is None:
        return None
    return round(max(0.0, (now - moment).total_seconds() / 3600), 2)


def _window(
    observed: float | None, scheduled: list[float | None], surviving_intervals: list[float]
) -> Window:
    worst = min(surviving_intervals) if surviving_intervals else None
    known = [hours for hours in scheduled if hours is not None]
    if observed is not None:
        known.append(observed)
    if known:
        basis = (
            "newest-backup" if observed is not None and observed <= min(known) else "copy-schedule"
        )
        return Window(min(known), False, worst, basis)
    if scheduled:  # a copy rule to an unscanned place whose schedule has no interval
        return Window(None, False, worst, "copy-schedule")
    return Window(None, True, worst, "none")


def zone_window(
    protection: dict[str, Any] | None,
    now: datetime,
    regions: frozenset[str],
    accounts: frozenset[str],
) -> Window:
    if not isinstance(protection, dict):
        return UNKNOWN
    scheduled, surviving = [], []
    for source in protection.get("sources") or []:
        interval = source.get("interval_hours")
        copies = source.get("copy_regions") or []
        other_accounts = source.get("copy_accounts") or []
        outlives = "region" in (source.get("locations") or []) or copies or other_accounts
        if outlives and interval is not None:
            surviving.append(interval)
        unscanned = [r for r in copies if r not in regions] + [
            a for a in other_accounts if a not in accounts
        ]
        if unscanned:
            scheduled.append(interval)
    observed = _hours(now, protection.get("newest_outside_zone"))
    return _window(observed, scheduled, surviving)


def region_window(
    protection: dict[str, Any] | None, now: datetime, regions: frozenset[str]
) -> Window:
    if not isinstance(protection, dict):
        return UNKNOWN
    scheduled, surviving = [], []
    for source in protection.get("sources") or []:
        interval = source.get("interval_hours")
        copies = source.get("copy_regions") or []
        if copies and interval is not None:
            surviving.append(interval)
        if any(region not in regions for region in copies):
            scheduled.append(interval)
    observed = _hours(now, protection.get("newest_outside_region"))
    return _window(observed, scheduled, surviving)
