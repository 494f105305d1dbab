"""Amazon Data Lifecycle Manager: which policy schedules protect each volume and instance.

A policy covers a resource when it is ENABLED, its resource type matches
(VOLUME policies by the volume's tags; INSTANCE policies by the instance's
tags, covering its attached volumes too), one of its target tags equals one of
the resource's tags (key and value), and its resource locations include where
the resource lives (CLOUD, LOCAL_ZONE, OUTPOST). An enabled default policy
covers every resource of its type in its Region that its exclusions do not
exclude; default policies do not cover resources on an Outpost. A custom
INSTANCE snapshot policy's ``Parameters`` leave out the boot volume
(``ExcludeBootVolume``) or data volumes with given tags
(``ExcludeDataVolumeTags``). An AMI of an instance includes its attached
volumes, which AWS's own default snapshot policy therefore treats as backed up.

Each schedule is a source of its own: its ``CreateRule.Location`` decides where
its snapshots live (CLOUD, the default, in the Region; LOCAL_ZONE in the
resource's Local Zone; OUTPOST_LOCAL on its Outpost) and its copy rules are its
own, not the policy's.

- https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lifecycle.html
- https://docs.aws.amazon.com/ebs/latest/userguide/ami-policy.html
- https://docs.aws.amazon.com/ebs/latest/userguide/default-policies.html
- https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html
- https://docs.aws.amazon.com/dlm/latest/APIReference/API_Parameters.html
- https://docs.aws.amazon.com/ebs/latest/userguide/snapshots-outposts.html
"""

from __future__ import annotations

from typing import Any

from scanner.model.link.index import Document, Index
from scanner.model.link.schedules import dlm_interval_hours

SNAPSHOT_POLICY = "EBS_SNAPSHOT_MANAGEMENT"
AMI_POLICY = "IMAGE_MANAGEMENT"
CLOUD, LOCAL_ZONE, OUTPOST = "CLOUD", "LOCAL_ZONE", "OUTPOST"
# CreateRule.Location -> where the snapshots live (protection fact vocabulary)
_CREATED_AT = {"CLOUD": "region", "LOCAL_ZONE": "zone", "OUTPOST_LOCAL": "outpost"}


def link_dlm_policies(index: Index) -> None:
    for policy in index.of_type("dlm_policy"):
        policy["facts"].update(
            {
                "enabled": policy.get("state") == "ENABLED",
                "region_located": creates_in_region(policy),
                "cross_region_copy_regions": region_copy_target_regions(policy),
            }
        )


def creates_in_region(policy: Document) -> bool:
    """A default policy, or one with a schedule that creates its snapshots in the Region.

    A LOCAL_ZONE or OUTPOST policy's schedule creates in the Region when its
    ``CreateRule.Location`` is CLOUD or omitted (CLOUD is the default).
    """
    if policy.get("default_policy"):
        return True
    return any(_created_at(schedule) == "region" for schedule in policy.get("schedules", []))


def region_copy_target_regions(policy: Document) -> list[str]:
    """Regions the policy's Region-created backups are copied to (its own Region excluded)."""
    if policy.get("default_policy"):
        regions = set(policy.get("cross_region_copy_targets") or [])
    else:
        regions = set()
        for schedule in policy.get("schedules", []):
            if _created_at(schedule) == "region":
                regions.update(schedule_copy_regions(schedule))
    regions.discard(policy["region"])
    return sorted(regions)


def schedule_copy_regions(schedule: dict[str, Any]) -> list[str]:
    """A schedule's cross-Region copy targets; an Outpost ARN target is not a Region."""
    regions = set()
    for rule in schedule.get("cross_region_copy_rules") or []:
        target = rule.get("target_region") or rule.get("target")
        if target and not target.startswith("arn:"):
            regions.add(target)
    return sorted(regions)


def _created_at(schedule: dict[str, Any]) -> str:
    create = schedule.get("create_rule") or {}
    return _CREATED_AT.get(create.get("location") or "CLOUD", "region")


class DlmSources:
    """Enabled policies per unit and resource type, computed once; sources per resource."""

    def __init__(self, index: Index):
        self._index = index
        self._found: dict[tuple[str, str, str], list[Document]] = {}

    def for_instance(self, instance: Document, location: str | None) -> list[dict[str, Any]]:
        """Sources protecting an instance: INSTANCE snapshot policies and AMI policies."""
        sources: list[dict[str, Any]] = []
        for policy in self._candidates(instance, "INSTANCE"):
            if covers(policy, "INSTANCE", instance, location):
                sources.extend(policy_sources(policy))
        return sources

    def for_volume(
        self, volume: Document, location: str | None, instances: list[Document]
    ) -> list[dict[str, Any]]:
        """VOLUME policies by its tags; its instances' snapshot policies (less their
        Parameters' exclusions) and AMI policies."""
        sources: list[dict[str, Any]] = []
        for policy in self._candidates(volume, "VOLUME"):
            if covers(policy, "VOLUME", volume, location):
                sources.extend(policy_sources(policy))
        for instance in instances:
            instance_location = location
            for policy in self._candidates(instance, "INSTANCE"):
                if not covers(policy, "INSTANCE", instance, instance_location):
                    continue
                if policy.get("policy_type") == SNAPSHOT_POLICY and _left_out(policy, volume):
                    continue
                sources.extend(policy_sources(policy))
        return sources

    def _candidates(self, resource: Document, resource_type: str) -> list[Document]:
        key = (resource["account"], resource["region"], resource_type)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = [
                policy
                for policy in self._index.in_unit("dlm_policy", key[0], key[1])
                if policy.get("state") == "ENABLED"
                and resource_type in _resource_types(policy)
                and policy.get("policy_type") in (SNAPSHOT_POLICY, AMI_POLICY)
            ]
        return found


def policy_sources(policy: Document) -> list[dict[str, Any]]:
    """One protection source per schedule (a default policy is one source)."""
    kind = "dlm-ami" if policy.get("policy_type") == AMI_POLICY else "dlm-snapshot"
    base = {"kind": kind, "id": policy["id"], "arn": policy["arn"], "copy_accounts": []}
    if policy.get("default_policy"):
        days = policy.get("create_interval") or 1  # CreateInterval: days, default 1
        regions = set(policy.get("cross_region_copy_targets") or []) - {policy["region"]}
        return [
            {
                **base,
                "rule": None,
                "interval_hours": float(days) * 24,
                "locations": ["region"],
                "copy_regions": sorted(regions),
            }
        ]
    return [
        {
            **base,
            "rule": schedule.get("name"),
            "interval_hours": dlm_interval_hours(schedule.get("create_rule")),
            "locations": [_created_at(schedule)],
            "copy_regions": sorted(set(schedule_copy_regions(schedule)) - {policy["region"]}),
        }
        for schedule in policy.get("schedules", [])
    ]


def covers(policy: Document, resource_type: str, resource: Document, location: str | None) -> bool:
    """Whether ``policy`` targets ``resource`` (a VOLUME or an INSTANCE) living at ``location``.

    ``location`` is CLOUD, LOCAL_ZONE, OUTPOST, or None when its zone's type is
    unknown: then only a policy for both CLOUD and LOCAL_ZONE surely covers it.
    """
    if policy.get("state") != "ENABLED" or resource_type not in _resource_types(policy):
        return False
    tags: dict[str, str] = resource.get("tags") or {}
    if policy.get("default_policy"):
        return location != OUTPOST and not _excluded(policy, resource_type, resource, tags)
    locations = _locations(policy)
    if location is None:
        if not {CLOUD, LOCAL_ZONE} <= set(locations):
            return False
    elif location not in locations:
        return False
    return any(tags.get(tag["key"]) == tag["value"] for tag in policy.get("target_tags", []))


def _left_out(policy: Document, volume: Document) -> bool:
    """An INSTANCE snapshot policy's Parameters leave this attached volume out.

    A volume whose boot status is unknown stays covered: AWS decides, we cannot.
    """
    parameters: dict[str, Any] = policy.get("parameters") or {}
    boot = volume["facts"].get("boot")
    if parameters.get("exclude_boot_volume") and boot is True:
        return True
    excluded_tags = parameters.get("exclude_data_volume_tags") or []
    if boot is False and excluded_tags:
        tags = volume.get("tags") or {}
        return any(tags.get(tag["key"]) == tag["value"] for tag in excluded_tags)
    return False


def _excluded(
    policy: Document, resource_type: str, resource: Document, tags: dict[str, str]
) -> bool:
    exclusions: dict[str, Any] = policy.get("exclusions") or {}
    if any(tags.get(tag["key"]) == tag["value"] for tag in exclusions.get("exclude_tags") or []):
        return True
    if resource_type != "VOLUME":
        return False
    if resource.get("volume_type") in (exclusions.get("exclude_volume_types") or []):
        return True
    # A volume whose boot status is unknown stays covered: AWS decides, we cannot.
    return bool(exclusions.get("exclude_boot_volumes")) and resource["facts"].get("boot") is True


def _resource_types(policy: Document) -> list[str]:
    """A default policy names one type (``ResourceType``); else infer it from its policy type."""
    types = policy.get("resource_types") or []
    if types or not policy.get("default_policy"):
        return types
    return {SNAPSHOT_POLICY: ["VOLUME"], AMI_POLICY: ["INSTANCE"]}.get(
        policy.get("policy_type"), []
    )


def _locations(policy: Document) -> list[str]:
    return policy.get("resource_locations") or [CLOUD]  # AWS's default is CLOUD
