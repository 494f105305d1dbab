"""Which snapshots and AMIs have a copy in another Region, whatever made the copy.

A snapshot or AMI has a copy in another Region when any of these says so:

- EC2 provenance: an AMI's ``SourceImageId`` / ``SourceImageRegion``, or the
  ``[Copied snap-… from REGION]`` / ``[Copied ami-… from REGION]`` description,
  of a copy in any scanned account (a separate DR account is AWS's recommended
  pattern). A snapshot backing an AMI shares that AMI's copies.
- DLM: copy rules belong to a schedule. A snapshot or AMI made by a policy (tag
  ``aws:dlm:lifecycle-policy-id``) is copied where the schedule named by its
  ``aws:dlm:lifecycle-schedule-name`` tag copies, while that copy rule's
  retention has not expired; without the tag, only where every schedule of the
  policy copies. A default policy copies to its ``CrossRegionCopyTargets``.
- AWS Backup: a snapshot or AMI that is a recovery point is judged by AWS
  Backup's evidence: its rule's copy actions (destination vault ARN, hence
  Region and account, while the copy's lifecycle keeps it) and the copies seen
  in other vaults (same resource, this vault as their source vault).

A copy made from another Region (or an AWS Backup copy from another Region's
vault) is itself a copy (``copy_of``), never judged as uncopied.

- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/CopyingAMIs.html
- https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lifecycle.html
- https://docs.aws.amazon.com/dlm/latest/APIReference/API_CrossRegionCopyRule.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

from scanner.model.link.dlm import schedule_copy_regions
from scanner.model.link.index import Document, Index
from scanner.model.link.recovery_points import RecoveryPoints, arn_account, arn_region
from scanner.model.link.timeparse import parse_time

DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id"
DLM_SCHEDULE_TAG = "aws:dlm:lifecycle-schedule-name"
_COPY_ORDER = itemgetter("region", "account", "id")
_COPIED = re.compile(r"\[Copied ((?:snap|ami)-[0-9a-zA-Z]+) from ([a-z0-9-]+)\]")
# The longest a unit can be: an expiry is never declared early.
_RETENTION_DAYS = {"DAYS": 1, "WEEKS": 7, "MONTHS": 31, "YEARS": 366}


def link_copies(index: Index, recovery_points: RecoveryPoints, now: datetime | None) -> None:
    images = index.of_type("image")
    snapshots = index.of_type("snapshot")
    for image in images:
        image["facts"]["copy_of"] = _image_source(image) or recovery_points.copy_source(image)
    for snapshot in snapshots:
        snapshot["facts"]["copy_of"] = _described_source(
            snapshot, "snap-"
        ) or recovery_points.copy_source(snapshot)
    _record_copies(images, "creation_date")
    _record_copies(snapshots, "start_time")
    for image in images:
        image["facts"]["copy_regions"] = _copy_regions(image, index, recovery_points, [], now)
    backed_by = _images_by_snapshot(images)
    for snapshot in snapshots:
        backing = backed_by.get((snapshot["account"], snapshot["region"], snapshot["id"]), [])
        snapshot["facts"]["image_ids"] = sorted(image["id"] for image in backing)
        if snapshot["facts"]["copy_of"] is None:
            snapshot["facts"]["copy_of"] = next(
                (_via_image(image) for image in backing if image["facts"]["copy_of"]), None
            )
        inherited = [region for image in backing for region in image["facts"]["copy_regions"]]
        snapshot["facts"]["copy_regions"] = _copy_regions(
            snapshot, index, recovery_points, inherited, now
        )


def _image_source(image: Document) -> dict[str, Any] | None:
    region = image.get("source_image_region")
    if image.get("source_image_id") and region:
        if region == image["region"]:
            return None  # a copy within the Region is a primary, judged like any other
        return {"id": image["source_image_id"], "region": region, "via": "source_image"}
    return _described_source(image, "ami-")


def _described_source(doc: Document, prefix: str) -> dict[str, Any] | None:
    match = _COPIED.search(doc.get("description") or "")
    if match is None or not match.group(1).startswith(prefix) or match.group(2) == doc["region"]:
        return None
    return {"id": match.group(1), "region": match.group(2), "via": "description"}


def _record_copies(documents: list[Document], time_field: str) -> None:
    """Give every source the copies that name it, whatever account or Region they are in."""
    by_region_id: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in documents:
        by_region_id[(doc["region"], doc["id"])].append(doc)
        doc["facts"]["copies"] = []
    for copy in documents:
        source = copy["facts"]["copy_of"]
        if source is None:
            continue
        for original in by_region_id.get((source["region"], source["id"]), []):
            original["facts"]["copies"].append(
                {
                    "id": copy["id"],
                    "account": copy["account"],
                    "region": copy["region"],
                    "via": source["via"],
                    "time": copy.get(time_field),
                }
            )
    for doc in documents:
        copies = doc["facts"]["copies"]
        if len(copies) > 1:
            copies.sort(key=_COPY_ORDER)


def _copy_regions(
    doc: Document,
    index: Index,
    recovery_points: RecoveryPoints,
    inherited: list[str],
    now: datetime | None,
) -> list[str]:
    regions = {copy["region"] for copy in doc["facts"]["copies"]} | set(inherited)
    tags = doc.get("tags") or {}
    policy_id = tags.get(DLM_POLICY_TAG)
    doc["facts"]["dlm_policy_id"] = policy_id
    if policy_id:
        policy = index.get("dlm_policy", doc["account"], doc["region"], policy_id)
        if policy is not None:
            regions.update(dlm_copy_regions(policy, tags.get(DLM_SCHEDULE_TAG), doc, now))
    point = recovery_points.of_backup(doc)
    doc["facts"]["recovery_point_arn"] = point["arn"] if point else None
    if point is not None:
        regions.update(recovery_points.copy_regions(point, index, now))
    regions.discard(doc["region"])
    return sorted(regions)


def dlm_copy_regions(
    policy: Document, schedule_name: str | None, doc: Document, now: datetime | None
) -> set[str]:
    """Regions holding a live copy of ``doc``, made by ``policy``'s schedule ``schedule_name``."""
    if policy.get("default_policy"):
        return set(policy.get("cross_region_copy_targets") or [])
    schedules = policy.get("schedules", [])
    if schedule_name is not None:
        schedules = [s for s in schedules if s.get("name") == schedule_name]
        return {
            region for schedule in schedules for region in _live_copy_regions(schedule, doc, now)
        }
    per_schedule = [set(_live_copy_regions(s, doc, now)) for s in schedules]
    return set.intersection(*per_schedule) if per_schedule else set()


def _live_copy_regions(schedule: dict[str, Any], doc: Document, now: datetime | None) -> list[str]:
    made = parse_time(doc.get("start_time") or doc.get("creation_date"))
    live = []
    for rule in schedule.get("cross_region_copy_rules") or []:
        retain = rule.get("retain_rule") or {}
        days = _RETENTION_DAYS.get((retain.get("interval_unit") or "").upper())
        interval = retain.get("interval")
        if days and interval and made and now and made + timedelta(days=days * interval) < now:
            continue  # that copy has been deleted by now
        live.extend(schedule_copy_regions({"cross_region_copy_rules": [rule]}))
    return live


def _images_by_snapshot(images: list[Document]) -> dict[tuple[str, str, str], list[Document]]:
    backing: dict[tuple[str, str, str], list[Document]] = defaultdict(list)
    for image in images:
        for snapshot_id in image.get("snapshot_ids", []):
            backing[(image["account"], image["region"], snapshot_id)].append(image)
    return backing


def _via_image(image: Document) -> dict[str, Any]:
    source = image["facts"]["copy_of"]
    return {"id": source["id"], "region": source["region"], "via": "image"}


__all__ = ["arn_account", "arn_region", "dlm_copy_regions", "link_copies"]
