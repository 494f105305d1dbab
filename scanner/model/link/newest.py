"""The newest completed backups of each volume and instance, found in one pass per kind.

A backup survives the loss of its resource's zone when it is stored in the
Region (a regional snapshot, an AMI, a recovery point) or anywhere else; a
snapshot kept in a Local Zone (``AvailabilityZone`` set) or on an Outpost
(``OutpostArn`` set) does not. It survives the loss of the Region when it is in
another Region, in any account of the scan.

- https://docs.aws.amazon.com/ebs/latest/userguide/snapshots-localzones.html
- https://docs.aws.amazon.com/ebs/latest/userguide/snapshots-outposts.html
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from scanner.model.link.index import Document, Index
from scanner.model.link.recovery_points import RecoveryPoints, arn_account, arn_region
from scanner.model.link.timeparse import parse_time

Backup = dict[str, Any]
_KEYS = ("newest", "newest_outside_zone", "newest_outside_region")


def _moment(backup: Backup) -> tuple[bool, float, str]:
    moment = parse_time(backup["time"])
    return (moment is not None, moment.timestamp() if moment else 0.0, backup["id"])


def _offer(best: dict[str, Backup | None], backup: Backup, home_region: str) -> None:
    outside_zone = backup["location"] == "region" or backup["region"] != home_region
    for key, counts in zip(
        _KEYS, (True, outside_zone, backup["region"] != home_region), strict=True
    ):
        if counts and (best[key] is None or _moment(backup) > _moment(best[key])):
            best[key] = backup


def _empty() -> dict[str, Backup | None]:
    return dict.fromkeys(_KEYS)


def snapshot_location(snapshot: Document) -> str:
    if snapshot.get("outpost_arn"):
        return "outpost"
    return "zone" if snapshot.get("zone") else "region"


def _backup(doc: Document, kind: str, time: str | None, location: str) -> Backup:
    return {
        "id": doc["id"],
        "arn": doc["arn"],
        "kind": kind,
        "time": time,
        "region": doc["region"],
        "account": doc["account"],
        "location": location,
    }


def _copies(doc: Document, kind: str) -> list[Backup]:
    return [
        {
            "id": copy["id"],
            "arn": f"arn:{doc['arn'].split(':')[1]}:ec2:{copy['region']}::{kind}/{copy['id']}",
            "kind": kind,
            "time": copy.get("time"),
            "region": copy["region"],
            "account": copy["account"],
            "location": "region",
        }
        for copy in doc["facts"].get("copies", [])
    ]


class NewestBackups:
    """Per volume (its snapshots and their copies) and per instance (AMIs from it and
    their copies), then recovery points and protected resources by ARN."""

    def __init__(self, index: Index, recovery_points: RecoveryPoints):
        self._points = recovery_points
        self._by_volume: dict[tuple[str, str, str], dict[str, Backup | None]] = defaultdict(_empty)
        for snapshot in index.of_type("snapshot"):
            if snapshot.get("state") != "completed" or not snapshot.get("volume_id"):
                continue
            best = self._by_volume[(snapshot["account"], snapshot["region"], snapshot["volume_id"])]
            time = snapshot.get("start_time")
            for backup in [
                _backup(snapshot, "snapshot", time, snapshot_location(snapshot)),
                *_copies(snapshot, "snapshot"),
            ]:
                _offer(best, backup, snapshot["region"])
        self._by_instance: dict[tuple[str, str, str], dict[str, Backup | None]] = defaultdict(
            _empty
        )
        for image in index.of_type("image"):
            if image.get("state") != "available" or not image.get("source_instance_id"):
                continue
            best = self._by_instance[
                (image["account"], image["region"], image["source_instance_id"])
            ]
            for backup in [
                _backup(image, "image", image.get("creation_date"), "region"),
                *_copies(image, "image"),
            ]:
                _offer(best, backup, image["region"])
        self._protected: dict[str, Document] = {
            record["arn"]: record for record in index.of_type("backup_protected_resource")
        }

    def of_volume(self, volume: Document, instances: list[Document]) -> dict[str, Backup | None]:
        best = dict(
            self._by_volume.get((volume["account"], volume["region"], volume["id"])) or _empty()
        )
        self._add_backup_evidence(best, volume)
        for instance in instances:  # an instance's recovery point is an AMI of its volumes
            for point in self._points.of_resource(instance["arn"]):
                _offer(best, _point_backup(point), volume["region"])
        return best

    def of_instance(self, instance: Document) -> dict[str, Backup | None]:
        key = (instance["account"], instance["region"], instance["id"])
        best = dict(self._by_instance.get(key) or _empty())
        self._add_backup_evidence(best, instance)
        return best

    def _add_backup_evidence(self, best: dict[str, Backup | None], resource: Document) -> None:
        for point in self._points.of_resource(resource["arn"]):
            _offer(best, _point_backup(point), resource["region"])
        protected = self._protected.get(resource["arn"])
        if protected is not None and protected.get("last_backup_time"):
            _offer(best, _last_backup(protected, resource), resource["region"])


def _point_backup(point: Document) -> Backup:
    backup = _backup(
        point,
        "recovery-point",
        point.get("completion_date") or point.get("creation_date"),
        "region",
    )
    return backup


def _last_backup(protected: Document, resource: Document) -> Backup:
    point_arn = protected.get("last_recovery_point_arn")
    vault = protected.get("last_backup_vault_arn")
    return {
        "id": (point_arn or "").split(":")[-1] or resource["id"],
        "arn": point_arn or protected["arn"],
        "kind": "recovery-point",
        "time": protected.get("last_backup_time"),
        "region": arn_region(point_arn) or arn_region(vault) or resource["region"],
        "account": arn_account(vault) or resource["account"],
        "location": "region",
    }
