"""Which enabled DLM policies cover each volume and instance.

The semantics (Amazon Data Lifecycle Manager): a policy covers a resource when
it is ENABLED, its resource type matches (VOLUME policies by the volume's tags;
INSTANCE policies by the instance's tags, covering its volumes too), one of its
target tags equals one of the resource's tags (key and value), and its
resource locations include where the resource lives (CLOUD, LOCAL_ZONE,
OUTPOST). An enabled default policy covers every resource of its type in its
Region that its exclusions do not exclude (default policies skip Outposts).
"""

from __future__ import annotations

from typing import Any

from scanner.model.link.index import Document, Index
from scanner.model.link.zones import resource_location

SNAPSHOT_POLICY = "EBS_SNAPSHOT_MANAGEMENT"
AMI_POLICY = "IMAGE_MANAGEMENT"


def link_dlm(index: Index) -> None:
    for policy in index.of_type("dlm_policy"):
        policy["facts"].update(
            {
                "enabled": policy.get("state") == "ENABLED",
                "region_located": policy.get("default_policy", False)
                or "CLOUD" in _locations(policy),
                "cross_region_copy_regions": copy_target_regions(policy),
            }
        )
    candidates = _Candidates(index)
    for instance in index.of_type("instance"):
        policies = candidates.of(instance, "INSTANCE")
        location = resource_location(instance["facts"].get("zone"))
        covering = [p for p in policies if covers(p, "INSTANCE", instance, location)]
        instance["facts"]["dlm"] = _by_policy_type(covering)
    for volume in index.of_type("volume"):
        _link_volume(volume, index, candidates.of(volume, "VOLUME"))


class _Candidates:
    """The enabled policies of a unit that target a resource type: computed once per unit."""

    def __init__(self, index: Index):
        self._index = index
        self._found: dict[tuple[str, str, str], list[Document]] = {}

    def of(self, resource: Document, resource_type: str) -> list[Document]:
        key = (resource["account"], resource["region"], resource_type)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = [
                policy
                for policy in self._index.in_unit("dlm_policy", key[0], key[1])
                if policy.get("state") == "ENABLED" and resource_type in _resource_types(policy)
            ]
        return found


def _link_volume(volume: Document, index: Index, policies: list[Document]) -> None:
    location = resource_location(volume["facts"].get("zone"))
    covering = [p for p in policies if covers(p, "VOLUME", volume, location)]
    coverage = _by_policy_type(covering)
    snapshot_ids, ami_ids = set(coverage["snapshot_policy_ids"]), set(coverage["ami_policy_ids"])
    for instance_id in volume["facts"].get("attached_instance_ids", []):
        instance = index.get("instance", volume["account"], volume["region"], instance_id)
        if instance is not None:
            snapshot_ids.update(instance["facts"]["dlm"]["snapshot_policy_ids"])
            ami_ids.update(instance["facts"]["dlm"]["ami_policy_ids"])
    volume["facts"]["dlm"] = {
        "snapshot_policy_ids": sorted(snapshot_ids),
        "ami_policy_ids": sorted(ami_ids),
    }


def covers(policy: Document, resource_type: str, resource: Document, location: str) -> bool:
    """Whether ``policy`` targets ``resource`` (a VOLUME or an INSTANCE) living at ``location``."""
    if policy.get("state") != "ENABLED" or resource_type not in _resource_types(policy):
        return False
    tags: dict[str, str] = resource.get("tags") or {}
    if policy.get("default_policy"):
        return location != "OUTPOST" and not _excluded(policy, resource_type, resource, tags)
    if location not in _locations(policy):
        return False
    return any(tags.get(tag["key"]) == tag["value"] for tag in policy.get("target_tags", []))


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
    return policy.get("resource_locations") or ["CLOUD"]  # AWS's default is CLOUD


def _by_policy_type(policies: list[Document]) -> dict[str, list[str]]:
    return {
        "snapshot_policy_ids": sorted(
            p["id"] for p in policies if p.get("policy_type") == SNAPSHOT_POLICY
        ),
        "ami_policy_ids": sorted(p["id"] for p in policies if p.get("policy_type") == AMI_POLICY),
    }


def copy_target_regions(policy: Document) -> list[str]:
    """Regions the policy copies to: schedules' cross-Region rules and default-policy targets."""
    regions = set(policy.get("cross_region_copy_targets") or [])
    for schedule in policy.get("schedules", []):
        for rule in schedule.get("cross_region_copy_rules") or []:
            target = rule.get("target_region") or rule.get("target")
            if target and not target.startswith("arn:"):  # an Outpost ARN is not a Region
                regions.add(target)
    regions.discard(policy["region"])
    return sorted(regions)
