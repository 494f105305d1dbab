"""The ``protection`` fact of every volume and instance: who backs it up, how often, where.

Sources are DLM policy schedules (:mod:`scanner.model.link.dlm`) and AWS Backup
plan rules whose selections select the resource
(:mod:`scanner.model.link.backup_selection`). An EC2 instance backup is an AMI,
which includes the instance's attached EBS volumes, so an AMI source of an
instance (a DLM AMI policy, an AWS Backup plan selecting the instance) protects
its attached volumes too. Each source says its interval in hours (the
worst-case data-loss window), where its backups are made (``zone`` for a Local
Zone snapshot, ``outpost``, ``region``) and where its copy rules send them
(other Regions, other accounts). ``newest*`` are the newest completed backups
found, from any source: snapshots of the volume, AMIs created from the instance
(``SourceInstanceId``), AWS Backup recovery points of the resource (of the
instance, for its volumes) and the last backup time of a protected resource.

- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ProtectedResource.html
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/creating-an-ami-ebs.html
- https://docs.aws.amazon.com/ebs/latest/userguide/ami-policy.html
- https://docs.aws.amazon.com/ebs/latest/userguide/snapshots-outposts.html
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from scanner.model.link.backup_selection import Selection, opted_in, unit_selections
from scanner.model.link.dlm import DlmSources
from scanner.model.link.index import Document, Index
from scanner.model.link.newest import NewestBackups
from scanner.model.link.recovery_points import RecoveryPoints, arn_account, arn_region
from scanner.model.link.schedules import expression_interval_hours
from scanner.model.link.zones import resource_location

_SOURCE_ORDER = itemgetter("kind", "id")
_LOCATION_ORDER = ("zone", "outpost", "region", "other-region", "other-account")


def link_protection(index: Index, recovery_points: RecoveryPoints) -> None:
    dlm = DlmSources(index)
    plans = _PlanSources(index)
    newest = NewestBackups(index, recovery_points)
    by_instance: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for instance in index.of_type("instance"):
        location = resource_location(instance["facts"].get("zone"), instance.get("outpost_arn"))
        backup = plans.sources(instance, "EC2")
        by_instance[(instance["account"], instance["region"], instance["id"])] = backup
        sources = dlm.for_instance(instance, location) + backup
        instance["facts"]["protection"] = protection_fact(sources, newest.of_instance(instance))
    for volume in index.of_type("volume"):
        location = resource_location(volume["facts"].get("zone"), volume.get("outpost_arn"))
        instances = [
            found
            for instance_id in volume["facts"].get("attached_instance_ids", [])
            if (found := index.get("instance", volume["account"], volume["region"], instance_id))
        ]
        sources = dlm.for_volume(volume, location, instances) + plans.sources(volume, "EBS")
        for instance in instances:
            sources += by_instance.get(
                (instance["account"], instance["region"], instance["id"]), []
            )
        volume["facts"]["protection"] = protection_fact(
            sources, newest.of_volume(volume, instances)
        )
    plans.link_plan_facts()


def protection_fact(sources: list[dict[str, Any]], found: dict[str, Any]) -> dict[str, Any]:
    """The documented shape (model schema ``protection``) from sources and backups found."""
    unique = {(s["kind"], s["id"], s["rule"] or ""): s for s in sources}
    ordered = [unique[key] for key in sorted(unique)]
    intervals = [s["interval_hours"] for s in ordered if s["interval_hours"] is not None]
    locations = {location for s in ordered for location in s["locations"]}
    copy_regions = sorted({region for s in ordered for region in s["copy_regions"]})
    if copy_regions:
        locations.add("other-region")
    if any(s["copy_accounts"] for s in ordered):
        locations.add("other-account")
    return {
        "covered": bool(ordered),
        "sources": ordered,
        "interval_hours": min(intervals) if intervals else None,
        "locations": [name for name in _LOCATION_ORDER if name in locations],
        "newest": found["newest"],
        "newest_outside_zone": found["newest_outside_zone"],
        "newest_outside_region": found["newest_outside_region"],
        "copy_regions": copy_regions,
    }


class _PlanSources:
    """AWS Backup plan rules as protection sources; selections compiled once per unit."""

    def __init__(self, index: Index):
        self._index = index
        self._selections: dict[tuple[str, str], list[Selection]] = {}
        self._settings: dict[tuple[str, str], Document | None] = {}
        self._rules: dict[str, list[dict[str, Any]]] = {}
        self._selected: dict[str, int] = {}

    def sources(self, resource: Document, resource_type: str) -> list[dict[str, Any]]:
        unit = (resource["account"], resource["region"])
        selections = self._selections.get(unit)
        if selections is None:
            selections = self._selections[unit] = unit_selections(
                self._index.in_unit("backup_plan", *unit)
            )
            settings = self._index.in_unit("backup_region_settings", *unit)
            self._settings[unit] = settings[0] if settings else None
        if not selections:
            return []
        allowed = opted_in(self._settings[unit], resource_type)
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        for selection in selections:
            plan = selection.plan
            if plan["arn"] in seen or not selection.selects(resource, resource_type, allowed):
                continue
            seen.add(plan["arn"])
            self._selected[plan["arn"]] = self._selected.get(plan["arn"], 0) + 1
            found.extend(self._rule_sources(plan))
        return found

    def _rule_sources(self, plan: Document) -> list[dict[str, Any]]:
        rules = self._rules.get(plan["arn"])
        if rules is None:
            rules = self._rules[plan["arn"]] = [
                rule_source(plan, r) for r in plan.get("rules") or []
            ]
        return rules

    def link_plan_facts(self) -> None:
        for plan in self._index.of_type("backup_plan"):
            regions = sorted(
                {region for rule in self._rule_sources(plan) for region in rule["copy_regions"]}
            )
            plan["facts"].update(
                {
                    "selected_resource_count": self._selected.get(plan["arn"], 0),
                    "copy_regions": regions,
                    "selections_known": plan.get("selections") is not None,
                }
            )


def rule_source(plan: Document, rule: dict[str, Any]) -> dict[str, Any]:
    """One backup rule as a source. Continuous backup does not apply to EC2 or EBS
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html),
    so their interval is the rule's schedule's."""
    destinations = [a.get("destination_vault_arn") for a in rule.get("copy_actions") or []]
    regions = {arn_region(arn) for arn in destinations} - {None, plan["region"]}
    accounts = {arn_account(arn) for arn in destinations} - {None, plan["account"]}
    return {
        "kind": "backup",
        "id": plan["id"],
        "arn": plan["arn"],
        "rule": rule.get("name"),
        "interval_hours": expression_interval_hours(rule.get("schedule_expression")),
        "locations": ["region"],
        "copy_regions": sorted(regions),
        "copy_accounts": sorted(accounts),
    }
