"""AWS Backup's evidence about EC2 and EBS backups: recovery points, their copies, their rules.

An EBS recovery point is an EBS snapshot and an EC2 one an AMI (its resource
part, ``snapshot/snap-…`` or ``image/ami-…``, is the EC2 id). A copy in another
vault keeps the source's ``ResourceArn`` and names the vault it was copied from
(``SourceBackupVaultArn``). Where a copy goes is set by the rule that made the
recovery point: its copy actions' destination vault ARNs, each kept for its
lifecycle's ``DeleteAfterDays``.

- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RecoveryPointByBackupVault.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyAction.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from scanner.model.link.index import Document, Index
from scanner.model.link.timeparse import parse_time

COMPLETED = "COMPLETED"


def arn_region(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[3] or None if len(parts) > 4 else None


def arn_account(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[4] or None if len(parts) > 4 else None


class RecoveryPoints:
    """Completed recovery points by the backup they are and by the resource they protect."""

    def __init__(self, index: Index):
        self._by_backup: dict[tuple[str, str, str], Document] = {}
        self._by_resource: dict[str, list[Document]] = defaultdict(list)
        for point in index.of_type("backup_recovery_point"):
            if point.get("status") != COMPLETED:
                continue
            backup_id = (point.get("id") or "").rsplit("/", 1)[-1]
            self._by_backup[(point["account"], point["region"], backup_id)] = point
            if point.get("resource_arn"):
                self._by_resource[point["resource_arn"]].append(point)

    def of_backup(self, doc: Document) -> Document | None:
        """The recovery point that this snapshot or AMI is, if AWS Backup made it."""
        return self._by_backup.get((doc["account"], doc["region"], doc["id"]))

    def of_resource(self, arn: str) -> list[Document]:
        return self._by_resource.get(arn, [])

    def copy_source(self, doc: Document) -> dict[str, Any] | None:
        """``copy_of`` for a snapshot or AMI that is an AWS Backup copy from another Region."""
        point = self.of_backup(doc)
        if point is None or not point.get("source_vault_arn"):
            return None
        region = arn_region(point["source_vault_arn"])
        if region is None or region == doc["region"]:
            return None
        resource = (point.get("resource_arn") or "").rsplit("/", 1)[-1]
        return {"id": resource or point["id"], "region": region, "via": "backup"}

    def copy_regions(self, point: Document, index: Index, now: datetime | None) -> set[str]:
        """Regions holding a copy of ``point``: its rule's live copy actions, observed copies."""
        regions = {region for region, _ in self.copy_destinations(point, index, now)}
        made = parse_time(point.get("creation_date"))
        for other in self.of_resource(point.get("resource_arn") or ""):
            if other.get("source_vault_arn") != point.get("vault_arn"):
                continue
            copied = parse_time(other.get("creation_date"))
            if made is None or copied is None or copied >= made:
                regions.add(other["region"])
        regions.discard(point["region"])
        return regions

    def copy_destinations(
        self, point: Document, index: Index, now: datetime | None
    ) -> list[tuple[str, str]]:
        """(Region, account) of each copy action of the rule that made ``point``, still kept."""
        plan = self.plan_of(point, index)
        if plan is None:
            return []
        rule = next(
            (r for r in plan.get("rules") or [] if r.get("id") == point.get("rule_id")), None
        )
        if rule is None:
            return []
        made = parse_time(point.get("creation_date"))
        found = []
        for action in rule.get("copy_actions") or []:
            days = ((action.get("lifecycle") or {}).get("delete_after_days")) or None
            if days and made and now and made + timedelta(days=days) < now:
                continue
            arn = action.get("destination_vault_arn")
            region, account = arn_region(arn), arn_account(arn)
            if region and account:
                found.append((region, account))
        return found

    @staticmethod
    def plan_of(point: Document, index: Index) -> Document | None:
        if not point.get("plan_id"):
            return None
        return index.get("backup_plan", point["account"], point["region"], point["plan_id"])
