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
_LOST = Window(None, True, None, "none")


class _Clock:
    """Hours from a backup's time to the snapshot's; each distinct time string parsed once."""

    def __init__(self, now: datetime):
        self.now = now
        self._hours: dict[str, float | None] = {}
        self._plain: dict[float | None, Window] = {None: _LOST}

    def hours(self, backup: dict[str, Any] | None) -> float | None:
        if not backup:
            return None
        text = backup.get("time")
        if not isinstance(text, str):
            return None
        if text not in self._hours:
            moment = parse_time(text)
            self._hours[text] = (
                None
                if moment is None
                else round(max(0.0, (self.now - moment).total_seconds() / 3600), 2)
            )
        return self._hours[text]

    def plain(self, backup: dict[str, Any] | None) -> Window:
        """The window of data with no schedule, shared by all data whose newest backup is as old."""
        hours = self.hours(backup)
        window = self._plain.get(hours)
        if window is None:
            window = self._plain[hours] = Window(hours, False, None, "newest-backup")
        return window


def build_data_items(
    model: Any, now: datetime, scanned_regions: Iterable[str], scanned_accounts: Iterable[str]
) -> list[DataItem]:
    regions, accounts = frozenset(scanned_regions), frozenset(scanned_accounts)
    clock = _Clock(now)
    items: list[DataItem] = []
    for kind, gone in (("volume", _GONE_VOLUME), ("instance", _GONE_INSTANCE)):
        is_volume = kind == "volume"
        for doc in model.of_type(kind):
            if doc.get("state") in gone:
                continue
            facts = doc["facts"]
            zone = facts.get("zone")
            account = doc["account"]
            in_zone, in_region = windows(facts.get("protection"), clock, regions, accounts)
            items.append(
                DataItem(
                    kind,
                    doc["id"],
                    doc["arn"],
                    account,
                    doc["region"],
                    zone_key(account, zone),
                    zone.get("name") if zone else None,
                    doc.get("size_gib") if is_volume else None,
                    in_zone,
                    in_region,
                    doc,
                )
            )
    return items


def _window(
    observed: float | None, scheduled: list[float | None], surviving: list[float]
) -> Window:
    worst = min(surviving) if surviving else None
    known = [hours for hours in scheduled if hours is not None]
    if observed is not None:
        if not known or observed <= min(known):
            return Window(observed, False, worst, "newest-backup")
        return Window(min(known), False, worst, "copy-schedule")
    if known:
        return Window(min(known), False, worst, "copy-schedule")
    if scheduled:  # a copy rule to an unscanned place whose schedule has no interval
        return Window(None, False, worst, "copy-schedule")
    return Window(None, True, worst, "none") if worst is not None else _LOST


def windows(
    protection: dict[str, Any] | None,
    clock: _Clock,
    regions: frozenset[str],
    accounts: frozenset[str],
) -> tuple[Window, Window]:
    """The (zone, Region) windows of one volume or instance, in one pass over its sources."""
    if not isinstance(protection, dict):
        return UNKNOWN, UNKNOWN
    sources = protection.get("sources") or ()
    outside_zone = protection.get("newest_outside_zone")
    outside_region = protection.get("newest_outside_region")
    if not sources:  # unscheduled (ad hoc snapshots, or none): windows from the newest alone
        return clock.plain(outside_zone), clock.plain(outside_region)
    zone_scheduled: list[float | None] = []
    zone_surviving: list[float] = []
    region_scheduled: list[float | None] = []
    region_surviving: list[float] = []
    for source in sources:
        interval = source.get("interval_hours")
        copies = source.get("copy_regions") or ()
        other_accounts = source.get("copy_accounts") or ()
        if interval is not None:
            if copies:
                region_surviving.append(interval)
                zone_surviving.append(interval)
            elif other_accounts or "region" in (source.get("locations") or ()):
                zone_surviving.append(interval)
        unscanned_region = any(region not in regions for region in copies)
        if unscanned_region:
            region_scheduled.append(interval)
        if unscanned_region or any(account not in accounts for account in other_accounts):
            zone_scheduled.append(interval)
    return (
        _window(clock.hours(outside_zone), zone_scheduled, zone_surviving),
        _window(clock.hours(outside_region), region_scheduled, region_surviving),
    )
