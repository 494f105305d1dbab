"""AWS Backup: plans with their rules and selections, the Region's service opt-in, protected
resources, vaults and the recovery points of EC2 instances and EBS volumes.

AWS Backup is a protection source next to DLM, so linking needs what decides
coverage (selections, opt-in) and what proves it (recovery points, copies with
their source vault). The summaries of ``ListBackupPlans`` and
``ListBackupSelections`` carry neither rules nor resources, so ``GetBackupPlan``
and ``GetBackupSelection`` are one call each, unavoidably. A plan whose detail
call fails is left out (its error is recorded); a plan whose selections cannot
all be read keeps ``selections: null``, which linking reads as "coverage
unknown", never as "selects nothing". Recovery points are listed per vault with
``ByResourceType`` (one value per request), so only EC2 and EBS points cross
the wire. Any failed call is an error entry under service ``backup``, which
marks only AWS Backup records unknown in this unit.

API reference: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Operations_AWS_Backup.html
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.normalize import arn_resource, iso_utc, tags_to_dict

SERVICE = "backup"
RESOURCE_TYPES = ("EC2", "EBS")  # AWS Backup's names for EC2 instances and EBS volumes
_CONDITION_LISTS = (
    ("StringEquals", "string_equals"),
    ("StringNotEquals", "string_not_equals"),
    ("StringLike", "string_like"),
    ("StringNotLike", "string_not_like"),
)


def collect_backup(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    plans = ctx.pages(SERVICE, "ListBackupPlans", "BackupPlansList")
    if plans is not None:
        records = (_plan(ctx, summary) for summary in plans if summary.get("BackupPlanId"))
        out["backup_plans"] = [record for record in records if record is not None]
    settings = ctx.call(SERVICE, "DescribeRegionSettings")
    if settings is not None:
        out["backup_region_settings"] = [region_settings_record(ctx, settings)]
    protected = ctx.pages(SERVICE, "ListProtectedResources", "Results")
    if protected is not None:
        out["backup_protected_resources"] = [
            protected_resource_record(ctx, item)
            for item in protected
            if item.get("ResourceType") in RESOURCE_TYPES and item.get("ResourceArn")
        ]
    vaults = ctx.pages(SERVICE, "ListBackupVaults", "BackupVaultList")
    if vaults is not None:
        vaults = [vault for vault in vaults if vault.get("BackupVaultName")]
        out["backup_vaults"] = [vault_record(ctx, vault) for vault in vaults]
        points: list[dict[str, Any]] = []
        for vault in vaults:
            points.extend(_recovery_points(ctx, vault))
        out["backup_recovery_points"] = points
    return out


def _tags(ctx: UnitContext, arn: str) -> dict[str, str]:
    """``ListTags`` (no paginator in the model: follow ``NextToken`` by hand)."""
    tags: dict[str, str] = {}
    params: dict[str, Any] = {"ResourceArn": arn, "MaxResults": 1000}
    while True:
        response = ctx.call(SERVICE, "ListTags", **params)
        if response is None:
            return tags
        tags.update(tags_to_dict(response.get("Tags")))
        if not response.get("NextToken"):
            return tags
        params["NextToken"] = response["NextToken"]


def _plan(ctx: UnitContext, summary: dict[str, Any]) -> dict[str, Any] | None:
    plan_id = summary["BackupPlanId"]
    detail = ctx.call(SERVICE, "GetBackupPlan", BackupPlanId=plan_id)
    if detail is None:
        return None
    arn = detail.get("BackupPlanArn") or ctx.arn(SERVICE, f"backup-plan:{plan_id}")
    return plan_record(ctx, detail, _tags(ctx, arn), _selections(ctx, plan_id))


def _selections(ctx: UnitContext, plan_id: str) -> list[dict[str, Any]] | None:
    listed = ctx.pages(
        SERVICE, "ListBackupSelections", "BackupSelectionsList", BackupPlanId=plan_id
    )
    if listed is None:
        return None
    selections = []
    for summary in listed:
        if not summary.get("SelectionId"):
            return None  # a selection that cannot be read: the plan's coverage is unknown
        detail = ctx.call(
            SERVICE, "GetBackupSelection", BackupPlanId=plan_id, SelectionId=summary["SelectionId"]
        )
        if detail is None:
            return None  # one unreadable selection makes the plan's coverage unknown
        selections.append(selection_record(detail))
    return selections


def plan_record(
    ctx: UnitContext,
    detail: dict[str, Any],
    tags: dict[str, str],
    selections: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """One ``GetBackupPlan`` response (with its tags and selections) as a snapshot record."""
    plan_id = detail["BackupPlanId"]
    plan = detail.get("BackupPlan") or {}
    arn = detail.get("BackupPlanArn") or ctx.arn(SERVICE, f"backup-plan:{plan_id}")
    record = ctx.base(plan_id, arn, tags)
    record.update(
        name=plan.get("BackupPlanName") or plan_id,
        version_id=detail.get("VersionId"),
        creation_date=iso_utc(detail.get("CreationDate")),
        last_execution_date=iso_utc(detail.get("LastExecutionDate")),
        rules=[_rule(rule) for rule in plan.get("Rules") or []],
        selections=selections,
    )
    return record


def _lifecycle(lifecycle: dict[str, Any] | None) -> dict[str, Any] | None:
    if not lifecycle:
        return None
    return {
        "delete_after_days": lifecycle.get("DeleteAfterDays"),
        "move_to_cold_storage_after_days": lifecycle.get("MoveToColdStorageAfterDays"),
    }


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rule.get("RuleId"),
        "name": rule["RuleName"],
        "target_vault_name": rule["TargetBackupVaultName"],
        "schedule_expression": rule.get("ScheduleExpression"),
        "schedule_timezone": rule.get("ScheduleExpressionTimezone"),
        "start_window_minutes": rule.get("StartWindowMinutes"),
        "completion_window_minutes": rule.get("CompletionWindowMinutes"),
        "continuous": rule.get("EnableContinuousBackup"),
        "lifecycle": _lifecycle(rule.get("Lifecycle")),
        "copy_actions": [
            {
                "destination_vault_arn": action["DestinationBackupVaultArn"],
                "lifecycle": _lifecycle(action.get("Lifecycle")),
            }
            for action in rule.get("CopyActions") or []
        ],
    }


def selection_record(detail: dict[str, Any]) -> dict[str, Any]:
    """One ``GetBackupSelection`` response as an entry of the plan's ``selections``."""
    selection = detail.get("BackupSelection") or {}
    conditions = selection.get("Conditions") or {}
    return {
        "id": detail["SelectionId"],
        "name": selection.get("SelectionName") or detail["SelectionId"],
        "iam_role_arn": selection.get("IamRoleArn"),
        "resources": list(selection.get("Resources") or []),
        "not_resources": list(selection.get("NotResources") or []),
        "list_of_tags": [
            {
                "condition_type": tag["ConditionType"],
                "key": tag["ConditionKey"],
                "value": tag["ConditionValue"],
            }
            for tag in selection.get("ListOfTags") or []
        ],
        "conditions": {
            name: [
                {"key": item.get("ConditionKey", ""), "value": item.get("ConditionValue", "")}
                for item in conditions.get(api_name) or []
            ]
            for api_name, name in _CONDITION_LISTS
        },
    }


def region_settings_record(ctx: UnitContext, settings: dict[str, Any]) -> dict[str, Any]:
    """``DescribeRegionSettings``: which resource types AWS Backup may protect here."""
    record = ctx.base("region-settings", ctx.arn(SERVICE, "region-settings"), {})
    record.update(
        resource_type_opt_in=dict(settings.get("ResourceTypeOptInPreference") or {}),
        resource_type_management=dict(settings.get("ResourceTypeManagementPreference") or {}),
    )
    return record


def protected_resource_record(ctx: UnitContext, item: dict[str, Any]) -> dict[str, Any]:
    arn = item["ResourceArn"]
    record = ctx.base(arn, arn, {})
    record.update(
        resource_type=item["ResourceType"],
        resource_name=item.get("ResourceName"),
        last_backup_time=iso_utc(item.get("LastBackupTime")),
        last_backup_vault_arn=item.get("LastBackupVaultArn"),
        last_recovery_point_arn=item.get("LastRecoveryPointArn"),
    )
    return record


def vault_record(ctx: UnitContext, vault: dict[str, Any]) -> dict[str, Any]:
    name = vault["BackupVaultName"]
    arn = vault.get("BackupVaultArn") or ctx.arn(SERVICE, f"backup-vault:{name}")
    record = ctx.base(name, arn, _tags(ctx, arn))
    record.update(
        name=name,
        vault_type=vault.get("VaultType"),
        locked=vault.get("Locked"),
        min_retention_days=vault.get("MinRetentionDays"),
        max_retention_days=vault.get("MaxRetentionDays"),
        lock_date=iso_utc(vault.get("LockDate")),
        number_of_recovery_points=vault.get("NumberOfRecoveryPoints"),
    )
    return record


def _recovery_points(ctx: UnitContext, vault: dict[str, Any]) -> list[dict[str, Any]]:
    vault_name = vault["BackupVaultName"]
    vault_arn = vault.get("BackupVaultArn") or ctx.arn(SERVICE, f"backup-vault:{vault_name}")
    records = []
    for resource_type in RESOURCE_TYPES:
        points = ctx.pages(
            SERVICE,
            "ListRecoveryPointsByBackupVault",
            "RecoveryPoints",
            BackupVaultName=vault_name,
            ByResourceType=resource_type,
        )
        for point in points or []:
            # The filter, checked; a point names its resource (AWS always does).
            if point.get("ResourceType") in RESOURCE_TYPES and point.get("ResourceArn"):
                defaults = {"BackupVaultName": vault_name, "BackupVaultArn": vault_arn}
                records.append(recovery_point_record(ctx, {**defaults, **point}))
    return records


def recovery_point_record(ctx: UnitContext, point: dict[str, Any]) -> dict[str, Any]:
    """One ``RecoveryPointByBackupVault``; its id is the ARN's resource part (``snapshot/…``)."""
    arn = point["RecoveryPointArn"]
    created_by = point.get("CreatedBy") or {}
    calculated = point.get("CalculatedLifecycle") or {}
    record = ctx.base(arn_resource(arn), arn, {})
    record.update(
        vault_name=point["BackupVaultName"],
        vault_arn=point["BackupVaultArn"],
        source_vault_arn=point.get("SourceBackupVaultArn"),
        resource_arn=point["ResourceArn"],
        resource_type=point["ResourceType"],
        creation_date=iso_utc(point.get("CreationDate")),
        completion_date=iso_utc(point.get("CompletionDate")),
        status=point.get("Status") or "UNKNOWN",
        delete_at=iso_utc(calculated.get("DeleteAt")),
        move_to_cold_storage_at=iso_utc(calculated.get("MoveToColdStorageAt")),
        plan_id=created_by.get("BackupPlanId"),
        plan_arn=created_by.get("BackupPlanArn"),
        rule_id=created_by.get("BackupRuleId"),
        parent_recovery_point_arn=point.get("ParentRecoveryPointArn"),
        is_parent=point.get("IsParent"),
    )
    return record
