"""Data Lifecycle Manager: every lifecycle policy with its targets, schedules, retention and
cross-Region copy rules, including default policies.

``GetLifecyclePolicies`` only returns summaries and has no batched detail form,
so ``GetLifecyclePolicy`` is one call per policy, unavoidably. A policy whose
detail call fails is left out (its error is recorded): a summary cannot say
what the policy covers.
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.normalize import iso_utc, tags_to_dict


def collect_dlm(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    response = ctx.call("dlm", "GetLifecyclePolicies")
    if response is None:
        return {}
    records = []
    for summary in response.get("Policies", []):
        detail = ctx.call("dlm", "GetLifecyclePolicy", PolicyId=summary["PolicyId"])
        if detail is not None:
            records.append(policy_record(ctx, detail["Policy"]))
    return {"dlm_policies": records}


def policy_record(ctx: UnitContext, policy: dict[str, Any]) -> dict[str, Any]:
    """One ``GetLifecyclePolicy`` ``Policy`` as a snapshot record."""
    policy_id = policy["PolicyId"]
    details = policy.get("PolicyDetails") or {}
    arn = policy.get("PolicyArn") or ctx.arn("dlm", f"policy/{policy_id}")
    record = ctx.base(policy_id, arn, tags_to_dict(policy.get("Tags")))
    # Default policies name one ResourceType (VOLUME / INSTANCE) instead of ResourceTypes.
    resource_types = list(details.get("ResourceTypes") or [])
    if not resource_types and details.get("ResourceType"):
        resource_types = [details["ResourceType"]]
    record.update(
        description=policy.get("Description"),
        state=policy.get("State", "UNKNOWN"),
        status_message=policy.get("StatusMessage"),
        execution_role_arn=policy.get("ExecutionRoleArn"),
        policy_type=details.get("PolicyType", "EBS_SNAPSHOT_MANAGEMENT"),
        policy_language=details.get("PolicyLanguage"),
        default_policy=bool(policy.get("DefaultPolicy", False)),
        resource_types=resource_types,
        resource_locations=list(details.get("ResourceLocations") or []),
        target_tags=_key_values(details.get("TargetTags")),
        schedules=[_schedule(schedule) for schedule in details.get("Schedules") or []],
        create_interval=details.get("CreateInterval"),
        retain_interval=details.get("RetainInterval"),
        cross_region_copy_targets=[
            target["TargetRegion"]
            for target in details.get("CrossRegionCopyTargets") or []
            if target.get("TargetRegion")
        ],
        exclusions=_exclusions(details.get("Exclusions")),
        parameters=_parameters(details.get("Parameters")),
        date_created=iso_utc(policy.get("DateCreated")),
        date_modified=iso_utc(policy.get("DateModified")),
    )
    return record


def _key_values(tags: list[dict[str, str]] | None) -> list[dict[str, str]]:
    return [{"key": tag["Key"], "value": tag.get("Value", "")} for tag in tags or []]


def _schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    create = schedule.get("CreateRule")
    retain = schedule.get("RetainRule")
    return {
        "name": schedule.get("Name"),
        "copy_tags": schedule.get("CopyTags"),
        "create_rule": (
            {
                "interval": create.get("Interval"),
                "interval_unit": create.get("IntervalUnit"),
                "times": list(create.get("Times") or []),
                "cron_expression": create.get("CronExpression"),
                "location": create.get("Location"),
            }
            if create
            else None
        ),
        "retain_rule": (
            {
                "count": retain.get("Count"),
                "interval": retain.get("Interval"),
                "interval_unit": retain.get("IntervalUnit"),
            }
            if retain
            else None
        ),
        "cross_region_copy_rules": [
            {
                "target_region": rule.get("TargetRegion"),
                "target": rule.get("Target"),
                "encrypted": rule.get("Encrypted"),
                "retain_rule": (
                    {
                        "interval": rule["RetainRule"].get("Interval"),
                        "interval_unit": rule["RetainRule"].get("IntervalUnit"),
                    }
                    if rule.get("RetainRule")
                    else None
                ),
            }
            for rule in schedule.get("CrossRegionCopyRules") or []
        ],
    }


def _exclusions(exclusions: dict[str, Any] | None) -> dict[str, Any] | None:
    if not exclusions:
        return None
    return {
        "exclude_boot_volumes": exclusions.get("ExcludeBootVolumes"),
        "exclude_volume_types": list(exclusions.get("ExcludeVolumeTypes") or []),
        "exclude_tags": _key_values(exclusions.get("ExcludeTags")),
    }


def _parameters(parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    """Custom INSTANCE snapshot policies: which attached volumes are left out; AMI: reboot."""
    if not parameters:
        return None
    return {
        "exclude_boot_volume": parameters.get("ExcludeBootVolume"),
        "exclude_data_volume_tags": _key_values(parameters.get("ExcludeDataVolumeTags")),
        "no_reboot": parameters.get("NoReboot"),
    }
