"""The AWS Backup collector on in-process moto with the AWS Backup stand-in: records,
paging, opt-in, copies, and failures that leave only AWS Backup unknown."""

from __future__ import annotations

import boto3
import pytest
from moto.backup.responses import BackupResponse

from scanner.collect import CollectOptions, collect_snapshot, limits
from scanner.collect.normalize import arn_resource
from scanner.mockaws import (
    DlmStandIn,
    add_recovery_point,
    deny_service,
    fill_backup_gaps,
    set_region_settings,
)
from scanner.model.link.facts import Dependency
from scanner.model.link.gaps import CollectionGaps, affected_dependencies
from scanner.model.resource_types import RESOURCE_TYPES
from scanner.model.snapshot import validate_snapshot
from tests.collect.estate import ACCOUNT, EAST, WEST

ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole"
BACKUP_TYPES = {name for name, rt in RESOURCE_TYPES.items() if rt.service == "backup"}


def collect(regions: list[str]) -> dict:
    document = collect_snapshot(CollectOptions(regions=regions, rate_limit=1000.0))
    validate_snapshot(document)
    return document


def unit_of(document: dict, region: str) -> dict:
    return next(unit for unit in document["units"] if unit["region"] == region)


@pytest.fixture
def seeded(moto_in_process: None, dlm_stand_in: DlmStandIn) -> dict:
    west, east = boto3.client("backup", region_name=WEST), boto3.client("backup", region_name=EAST)
    ec2 = boto3.client("ec2", region_name=WEST)
    volume = ec2.create_volume(AvailabilityZone="us-west-2a", Size=8)["VolumeId"]
    volume_arn = f"arn:aws:ec2:{WEST}:{ACCOUNT}:volume/{volume}"
    source = west.create_backup_vault(BackupVaultName="Default")["BackupVaultArn"]
    dr = east.create_backup_vault(BackupVaultName="dr")["BackupVaultArn"]
    plans = []
    for name in ("alpha", "beta", "gamma"):
        plan = west.create_backup_plan(
            BackupPlan={
                "BackupPlanName": name,
                "Rules": [
                    {
                        "RuleName": f"{name}-daily",
                        "TargetBackupVaultName": "Default",
                        "CopyActions": [{"DestinationBackupVaultArn": dr}],
                    }
                ],
            }
        )["BackupPlanId"]
        for index in range(2):
            west.create_backup_selection(
                BackupPlanId=plan,
                BackupSelection={
                    "SelectionName": f"{name}-{index}",
                    "IamRoleArn": ROLE,
                    "ListOfTags": [
                        {
                            "ConditionType": "STRINGEQUALS",
                            "ConditionKey": "backup",
                            "ConditionValue": name,
                        }
                    ],
                    "NotResources": [volume_arn] if index else [],
                },
            )
        plans.append(plan)
    points = [
        add_recovery_point(WEST, "Default", volume_arn, plan_id=plans[0], creation_date=1.7e9 + i)
        for i in range(3)
    ]
    copy = add_recovery_point(EAST, "dr", volume_arn, source_vault_arn=source)
    set_region_settings(WEST, {"EC2": False})
    return {"plans": plans, "points": points, "copy": copy, "volume_arn": volume_arn, "dr": dr}


def test_plans_selections_vaults_and_points_are_collected(seeded: dict) -> None:
    document = collect([WEST, EAST])
    west, east = unit_of(document, WEST), unit_of(document, EAST)
    assert west["errors"] == [] and east["errors"] == []
    plans = {plan["id"]: plan for plan in west["resources"]["backup_plans"]}
    assert sorted(plans) == sorted(seeded["plans"])
    alpha = plans[seeded["plans"][0]]
    assert alpha["name"] == "alpha"
    assert alpha["arn"] == f"arn:aws:backup:{WEST}:{ACCOUNT}:backup-plan:{alpha['id']}"
    [rule] = alpha["rules"]
    assert rule["name"] == "alpha-daily" and rule["target_vault_name"] == "Default"
    assert rule["copy_actions"] == [{"destination_vault_arn": seeded["dr"], "lifecycle": None}]
    assert sorted(s["name"] for s in alpha["selections"]) == ["alpha-0", "alpha-1"]
    excluding = next(s for s in alpha["selections"] if s["name"] == "alpha-1")
    assert excluding["not_resources"] == [seeded["volume_arn"]]
    assert excluding["list_of_tags"] == [
        {"condition_type": "STRINGEQUALS", "key": "backup", "value": "alpha"}
    ]
    assert excluding["iam_role_arn"] == ROLE
    [settings] = west["resources"]["backup_region_settings"]
    assert settings["resource_type_opt_in"]["EC2"] is False
    assert settings["resource_type_opt_in"]["EBS"] is True
    assert [v["id"] for v in west["resources"]["backup_vaults"]] == ["Default"]
    points = {p["arn"]: p for p in west["resources"]["backup_recovery_points"]}
    assert sorted(points) == sorted(seeded["points"])
    point = points[seeded["points"][0]]
    assert point["id"] == arn_resource(point["arn"]) and point["id"].startswith("snapshot/snap-")
    assert point["resource_type"] == "EBS" and point["plan_id"] == alpha["id"]
    assert point["plan_arn"] == alpha["arn"] and point["source_vault_arn"] is None
    [copy] = east["resources"]["backup_recovery_points"]
    assert copy["arn"] == seeded["copy"] and copy["vault_name"] == "dr"
    assert copy["source_vault_arn"] == f"arn:aws:backup:{WEST}:{ACCOUNT}:backup-vault:Default"
    [protected] = west["resources"]["backup_protected_resources"]
    assert protected["id"] == protected["arn"] == seeded["volume_arn"]
    assert protected["last_recovery_point_arn"] == seeded["points"][-1]


def test_every_listing_is_paged_to_the_end(seeded: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {
        f"backup:{name}": ("MaxResults", 1)
        for name in (
            "ListBackupPlans",
            "ListBackupSelections",
            "ListBackupVaults",
            "ListProtectedResources",
            "ListRecoveryPointsByBackupVault",
        )
    }
    monkeypatch.setattr("scanner.collect.context.PAGE_SIZES", {**limits.PAGE_SIZES, **pages})
    west = unit_of(collect([WEST]), WEST)
    assert len(west["resources"]["backup_recovery_points"]) == 3
    assert all(len(plan["selections"]) == 2 for plan in west["resources"]["backup_plans"])
    calls = west["api_calls"]
    # moto's own ListBackupPlans/ListBackupVaults ignore MaxResults (one page); the
    # stand-in's listings page as AWS does: one request per item, plus none for EC2.
    assert calls["backup:ListBackupSelections"] == 3 * 2
    assert calls["backup:GetBackupSelection"] == 3 * 2
    assert calls["backup:ListRecoveryPointsByBackupVault"] == 1 + 3  # EC2: empty; EBS: 3
    assert calls["backup:ListProtectedResources"] == 1


def test_a_failed_selection_read_makes_that_plans_coverage_unknown(
    seeded: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = BackupResponse.get_backup_selection
    beta = seeded["plans"][1]

    def failing(self: BackupResponse) -> str:
        if self.uri_match.get("backupPlanId") == beta:
            from moto.backup.exceptions import InvalidRequestException

            raise InvalidRequestException(msg="simulated")
        return original(self)

    monkeypatch.setattr(BackupResponse, "get_backup_selection", failing)
    west = unit_of(collect([WEST]), WEST)
    plans = {plan["id"]: plan for plan in west["resources"]["backup_plans"]}
    assert plans[beta]["selections"] is None
    assert all(plans[p]["selections"] for p in plans if p != beta)
    assert {(e["service"], e["operation"]) for e in west["errors"]} == {
        ("backup", "GetBackupSelection")
    }


def test_a_denied_backup_service_leaves_only_backup_records_unknown(seeded: dict) -> None:
    with deny_service("backup", WEST, code="AccessDeniedException", status=403):
        document = collect([WEST, EAST])
    west, east = unit_of(document, WEST), unit_of(document, EAST)
    assert {(e["service"], e["operation"]) for e in west["errors"]} == {
        ("backup", "ListBackupPlans"),
        ("backup", "DescribeRegionSettings"),
        ("backup", "ListProtectedResources"),
        ("backup", "ListBackupVaults"),
    }
    assert not {rt.snapshot_key for rt in RESOURCE_TYPES.values() if rt.service == "backup"} & set(
        west["resources"]
    )
    assert west["resources"]["volumes"] and east["errors"] == []
    gaps = CollectionGaps(west["errors"])
    for name in RESOURCE_TYPES:
        if RESOURCE_TYPES[name].snapshot_key is None:
            continue
        missing = gaps.failures(ACCOUNT, WEST, [Dependency(name)])
        assert bool(missing) == (name in BACKUP_TYPES), name
    for error in west["errors"]:  # never wider than AWS Backup's own records
        assert set(affected_dependencies("backup", error["operation"])) <= BACKUP_TYPES


def test_the_stand_in_is_idempotent_and_undoable(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite installs it once (tests/conftest.py); a second install adds nothing.
    again = fill_backup_gaps()
    assert again.methods == [] and again.paths == []
    again.undo()
    assert hasattr(BackupResponse, "describe_region_settings")
    # With one operation missing, an install adds exactly that one and its undo removes it.
    monkeypatch.delattr(BackupResponse, "describe_region_settings")
    with fill_backup_gaps() as patch:
        assert patch.methods == ["describe_region_settings"] and patch.paths == []
        assert hasattr(BackupResponse, "describe_region_settings")
    assert not hasattr(BackupResponse, "describe_region_settings")
