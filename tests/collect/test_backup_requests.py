"""AWS Backup request shapes with botocore's Stubber against the real service model:
largest pages, NextToken paging, detail calls, the ByResourceType filter, and what a
failed call leaves out. Responses follow the AWS Backup API reference's response syntax."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from botocore.stub import Stubber

from scanner.collect.backup import collect_backup
from scanner.collect.context import UnitContext

REGION = "eu-west-1"
ACCOUNT = "111122223333"
PLAN_ARN = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-plan:"
VAULT_ARN = f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:Default"
DR_VAULT_ARN = "arn:aws:backup:eu-central-1:444455556666:backup-vault:dr"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole"
VOLUME_ARN = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/vol-0123456789abcdef0"
INSTANCE_ARN = f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-0123456789abcdef0"
WHEN = dt.datetime(2026, 5, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def backup(ctx: UnitContext) -> Iterator[Stubber]:
    stubber = Stubber(ctx.client("backup"))
    stubber.activate()
    yield stubber
    stubber.assert_no_pending_responses()
    stubber.deactivate()


def _plan_summary(plan_id: str) -> dict:
    return {
        "BackupPlanArn": PLAN_ARN + plan_id,
        "BackupPlanId": plan_id,
        "BackupPlanName": f"name-{plan_id}",
        "CreationDate": WHEN,
        "VersionId": f"version-{plan_id}",
    }


def _plan_detail(plan_id: str, rules: list[dict]) -> dict:
    return {
        "BackupPlan": {"BackupPlanName": f"name-{plan_id}", "Rules": rules},
        "BackupPlanArn": PLAN_ARN + plan_id,
        "BackupPlanId": plan_id,
        "VersionId": f"version-{plan_id}",
        "CreationDate": WHEN,
        "LastExecutionDate": WHEN,
    }


DAILY_RULE = {
    "RuleName": "DailyBackups",
    "TargetBackupVaultName": "Default",
    "ScheduleExpression": "cron(0 5 ? * * *)",
    "ScheduleExpressionTimezone": "Etc/UTC",
    "StartWindowMinutes": 480,
    "CompletionWindowMinutes": 10080,
    "Lifecycle": {"DeleteAfterDays": 35},
    "RuleId": "rule-1",
    "EnableContinuousBackup": False,
    "CopyActions": [
        {
            "DestinationBackupVaultArn": DR_VAULT_ARN,
            "Lifecycle": {"MoveToColdStorageAfterDays": 30, "DeleteAfterDays": 120},
        }
    ],
}


def _no_region_settings_vaults_or_resources(backup: Stubber) -> None:
    backup.add_response("describe_region_settings", {"ResourceTypeOptInPreference": {}}, {})
    backup.add_response("list_protected_resources", {"Results": []}, {"MaxResults": 1000})
    backup.add_response("list_backup_vaults", {"BackupVaultList": []}, {"MaxResults": 1000})


def test_plans_are_paged_and_read_in_full_with_their_selections(
    ctx: UnitContext, backup: Stubber
) -> None:
    backup.add_response(
        "list_backup_plans",
        {"BackupPlansList": [_plan_summary("p1")], "NextToken": "page-2"},
        {"MaxResults": 1000},
    )
    backup.add_response(
        "list_backup_plans",
        {"BackupPlansList": [_plan_summary("p2")]},
        {"MaxResults": 1000, "NextToken": "page-2"},
    )
    backup.add_response("get_backup_plan", _plan_detail("p1", [DAILY_RULE]), {"BackupPlanId": "p1"})
    backup.add_response(
        "list_tags",
        {"Tags": {"team": "platform"}, "NextToken": "tags-2"},
        {"ResourceArn": PLAN_ARN + "p1", "MaxResults": 1000},
    )
    backup.add_response(
        "list_tags",
        {"Tags": {"env": "prod"}},
        {"ResourceArn": PLAN_ARN + "p1", "MaxResults": 1000, "NextToken": "tags-2"},
    )
    summary = {"BackupPlanId": "p1", "IamRoleArn": ROLE, "CreationDate": WHEN}
    backup.add_response(
        "list_backup_selections",
        {
            "BackupSelectionsList": [{**summary, "SelectionId": "s1", "SelectionName": "a"}],
            "NextToken": "sel-2",
        },
        {"BackupPlanId": "p1", "MaxResults": 1000},
    )
    backup.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{**summary, "SelectionId": "s2", "SelectionName": "b"}]},
        {"BackupPlanId": "p1", "MaxResults": 1000, "NextToken": "sel-2"},
    )
    backup.add_response(
        "get_backup_selection",
        {
            "BackupPlanId": "p1",
            "SelectionId": "s1",
            "CreationDate": WHEN,
            "BackupSelection": {
                "SelectionName": "a",
                "IamRoleArn": ROLE,
                "Resources": ["arn:aws:ec2:*:*:volume/*"],
                "NotResources": [VOLUME_ARN],
                "Conditions": {
                    "StringEquals": [
                        {"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "daily"}
                    ],
                    "StringNotLike": [
                        {"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "dev*"}
                    ],
                },
            },
        },
        {"BackupPlanId": "p1", "SelectionId": "s1"},
    )
    backup.add_response(
        "get_backup_selection",
        {
            "BackupPlanId": "p1",
            "SelectionId": "s2",
            "BackupSelection": {
                "SelectionName": "b",
                "IamRoleArn": ROLE,
                "ListOfTags": [
                    {
                        "ConditionType": "STRINGEQUALS",
                        "ConditionKey": "backup",
                        "ConditionValue": "yes",
                    }
                ],
            },
        },
        {"BackupPlanId": "p1", "SelectionId": "s2"},
    )
    backup.add_response(
        "get_backup_plan",
        _plan_detail("p2", [{"RuleName": "bare", "TargetBackupVaultName": "Default"}]),
        {"BackupPlanId": "p2"},
    )
    backup.add_response(
        "list_tags", {"Tags": {}}, {"ResourceArn": PLAN_ARN + "p2", "MaxResults": 1000}
    )
    backup.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": []},
        {"BackupPlanId": "p2", "MaxResults": 1000},
    )
    _no_region_settings_vaults_or_resources(backup)

    resources = collect_backup(ctx)
    assert ctx.errors == []
    p1, p2 = resources["backup_plans"]
    assert (p1["id"], p1["arn"], p1["name"]) == ("p1", PLAN_ARN + "p1", "name-p1")
    assert p1["tags"] == {"team": "platform", "env": "prod"}
    assert p1["version_id"] == "version-p1" and p1["last_execution_date"] == "2026-05-01T05:00:00Z"
    assert p1["rules"] == [
        {
            "id": "rule-1",
            "name": "DailyBackups",
            "target_vault_name": "Default",
            "schedule_expression": "cron(0 5 ? * * *)",
            "schedule_timezone": "Etc/UTC",
            "start_window_minutes": 480,
            "completion_window_minutes": 10080,
            "continuous": False,
            "lifecycle": {"delete_after_days": 35, "move_to_cold_storage_after_days": None},
            "copy_actions": [
                {
                    "destination_vault_arn": DR_VAULT_ARN,
                    "lifecycle": {"delete_after_days": 120, "move_to_cold_storage_after_days": 30},
                }
            ],
        }
    ]
    a, b = p1["selections"]
    assert a["resources"] == ["arn:aws:ec2:*:*:volume/*"] and a["not_resources"] == [VOLUME_ARN]
    assert a["conditions"] == {
        "string_equals": [{"key": "aws:ResourceTag/backup", "value": "daily"}],
        "string_not_equals": [],
        "string_like": [],
        "string_not_like": [{"key": "aws:ResourceTag/env", "value": "dev*"}],
    }
    assert a["list_of_tags"] == [] and a["iam_role_arn"] == ROLE
    assert b["list_of_tags"] == [
        {"condition_type": "STRINGEQUALS", "key": "backup", "value": "yes"}
    ]
    assert b["resources"] == [] and b["conditions"]["string_equals"] == []
    assert p2["selections"] == [] and p2["tags"] == {}
    bare = p2["rules"][0]
    assert bare["continuous"] is None and bare["lifecycle"] is None and bare["copy_actions"] == []
    assert resources["backup_vaults"] == resources["backup_recovery_points"] == []


def test_failed_details_drop_the_plan_or_make_its_selections_unknown(
    ctx: UnitContext, backup: Stubber
) -> None:
    backup.add_response(
        "list_backup_plans",
        {"BackupPlansList": [_plan_summary("gone"), _plan_summary("p1")]},
        {"MaxResults": 1000},
    )
    backup.add_client_error(
        "get_backup_plan",
        "ResourceNotFoundException",
        http_status_code=404,
        expected_params={"BackupPlanId": "gone"},
    )
    backup.add_response("get_backup_plan", _plan_detail("p1", [DAILY_RULE]), {"BackupPlanId": "p1"})
    backup.add_response(
        "list_tags", {"Tags": {}}, {"ResourceArn": PLAN_ARN + "p1", "MaxResults": 1000}
    )
    backup.add_response(
        "list_backup_selections",
        {
            "BackupSelectionsList": [
                {"SelectionId": "s1", "SelectionName": "a", "BackupPlanId": "p1"},
                {"SelectionId": "s2", "SelectionName": "b", "BackupPlanId": "p1"},
            ]
        },
        {"BackupPlanId": "p1", "MaxResults": 1000},
    )
    backup.add_response(
        "get_backup_selection",
        {
            "BackupPlanId": "p1",
            "SelectionId": "s1",
            "BackupSelection": {"SelectionName": "a", "IamRoleArn": ROLE},
        },
        {"BackupPlanId": "p1", "SelectionId": "s1"},
    )
    backup.add_client_error(
        "get_backup_selection",
        "AccessDeniedException",
        http_status_code=403,
        expected_params={"BackupPlanId": "p1", "SelectionId": "s2"},
    )
    _no_region_settings_vaults_or_resources(backup)

    resources = collect_backup(ctx)
    [plan] = resources["backup_plans"]
    assert plan["id"] == "p1" and plan["selections"] is None and plan["rules"]
    assert [(e["service"], e["operation"], e["code"]) for e in ctx.errors] == [
        ("backup", "GetBackupPlan", "ResourceNotFoundException"),
        ("backup", "GetBackupSelection", "AccessDeniedException"),
    ]


def test_settings_protected_resources_vaults_and_recovery_points(
    ctx: UnitContext, backup: Stubber
) -> None:
    backup.add_response("list_backup_plans", {"BackupPlansList": []}, {"MaxResults": 1000})
    backup.add_response(
        "describe_region_settings",
        {
            "ResourceTypeOptInPreference": {"EBS": True, "EC2": False, "RDS": True},
            "ResourceTypeManagementPreference": {"DynamoDB": False, "EFS": True},
        },
        {},
    )
    protected = {"LastBackupTime": WHEN, "LastBackupVaultArn": VAULT_ARN}
    backup.add_response(
        "list_protected_resources",
        {
            "Results": [
                {**protected, "ResourceArn": VOLUME_ARN, "ResourceType": "EBS"},
                {
                    **protected,
                    "ResourceArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:orders",
                    "ResourceType": "RDS",
                },
            ],
            "NextToken": "more",
        },
        {"MaxResults": 1000},
    )
    backup.add_response(
        "list_protected_resources",
        {"Results": [{**protected, "ResourceArn": INSTANCE_ARN, "ResourceType": "EC2"}]},
        {"MaxResults": 1000, "NextToken": "more"},
    )
    backup.add_response(
        "list_backup_vaults",
        {
            "BackupVaultList": [
                {
                    "BackupVaultName": "Default",
                    "BackupVaultArn": VAULT_ARN,
                    "VaultType": "BACKUP_VAULT",
                    "Locked": True,
                    "MinRetentionDays": 7,
                    "MaxRetentionDays": 365,
                    "LockDate": WHEN,
                    "NumberOfRecoveryPoints": 2,
                }
            ]
        },
        {"MaxResults": 1000},
    )
    backup.add_response(
        "list_tags", {"Tags": {"owner": "ops"}}, {"ResourceArn": VAULT_ARN, "MaxResults": 1000}
    )
    image_point = f"arn:aws:ec2:{REGION}::image/ami-0123456789abcdef0"
    snapshot_point = f"arn:aws:ec2:{REGION}::snapshot/snap-0123456789abcdef0"
    common = {
        "BackupVaultName": "Default",
        "BackupVaultArn": VAULT_ARN,
        "Status": "COMPLETED",
        "CreationDate": WHEN,
        "CompletionDate": WHEN + dt.timedelta(minutes=20),
        "CreatedBy": {
            "BackupPlanId": "p1",
            "BackupPlanArn": PLAN_ARN + "p1",
            "BackupPlanVersion": "v1",
            "BackupRuleId": "rule-1",
        },
        "CalculatedLifecycle": {"DeleteAt": WHEN + dt.timedelta(days=35)},
    }
    backup.add_response(
        "list_recovery_points_by_backup_vault",
        {
            "RecoveryPoints": [
                {
                    **common,
                    "RecoveryPointArn": image_point,
                    "ResourceArn": INSTANCE_ARN,
                    "ResourceType": "EC2",
                }
            ]
        },
        {"BackupVaultName": "Default", "ByResourceType": "EC2", "MaxResults": 1000},
    )
    backup.add_response(
        "list_recovery_points_by_backup_vault",
        {
            "RecoveryPoints": [
                {
                    **common,
                    "RecoveryPointArn": snapshot_point,
                    "ResourceArn": VOLUME_ARN,
                    "ResourceType": "EBS",
                    "SourceBackupVaultArn": DR_VAULT_ARN,
                }
            ],
            "NextToken": "next",
        },
        {"BackupVaultName": "Default", "ByResourceType": "EBS", "MaxResults": 1000},
    )
    backup.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": []},
        {
            "BackupVaultName": "Default",
            "ByResourceType": "EBS",
            "MaxResults": 1000,
            "NextToken": "next",
        },
    )

    resources = collect_backup(ctx)
    assert ctx.errors == [] and resources["backup_plans"] == []
    [settings] = resources["backup_region_settings"]
    assert settings["id"] == "region-settings"
    assert settings["arn"] == f"arn:aws:backup:{REGION}:{ACCOUNT}:region-settings"
    assert settings["resource_type_opt_in"] == {"EBS": True, "EC2": False, "RDS": True}
    assert settings["resource_type_management"] == {"DynamoDB": False, "EFS": True}
    protected_records = resources["backup_protected_resources"]
    assert [r["id"] for r in protected_records] == [VOLUME_ARN, INSTANCE_ARN]  # RDS left out
    assert protected_records[0]["last_backup_time"] == "2026-05-01T05:00:00Z"
    [vault] = resources["backup_vaults"]
    assert (vault["id"], vault["arn"], vault["tags"]) == ("Default", VAULT_ARN, {"owner": "ops"})
    assert (vault["locked"], vault["min_retention_days"], vault["max_retention_days"]) == (
        True,
        7,
        365,
    )
    assert vault["vault_type"] == "BACKUP_VAULT" and vault["number_of_recovery_points"] == 2
    image, snapshot = resources["backup_recovery_points"]
    assert image["id"] == "image/ami-0123456789abcdef0" and image["resource_type"] == "EC2"
    assert image["source_vault_arn"] is None
    assert snapshot["id"] == "snapshot/snap-0123456789abcdef0"
    assert snapshot["source_vault_arn"] == DR_VAULT_ARN
    assert (snapshot["plan_id"], snapshot["plan_arn"], snapshot["rule_id"]) == (
        "p1",
        PLAN_ARN + "p1",
        "rule-1",
    )
    assert snapshot["completion_date"] == "2026-05-01T05:20:00Z"
    assert snapshot["delete_at"] == "2026-06-05T05:00:00Z"
    assert snapshot["status"] == "COMPLETED" and snapshot["vault_arn"] == VAULT_ARN


def test_failed_listings_leave_their_records_out(ctx: UnitContext, backup: Stubber) -> None:
    denied = {"service_error_code": "AccessDeniedException", "http_status_code": 403}
    backup.add_client_error("list_backup_plans", **denied)
    backup.add_client_error("describe_region_settings", **denied)
    backup.add_client_error("list_protected_resources", **denied)
    backup.add_client_error("list_backup_vaults", **denied)
    assert collect_backup(ctx) == {}
    assert [e["operation"] for e in ctx.errors] == [
        "ListBackupPlans",
        "DescribeRegionSettings",
        "ListProtectedResources",
        "ListBackupVaults",
    ]
    assert {e["service"] for e in ctx.errors} == {"backup"}
