"""AWS Backup fragment defaults: short cases expand to valid records shaped as AWS reports them."""

from __future__ import annotations

import pytest

from scanner.engine.fragments import FragmentError, expand_fragment
from scanner.errors import InputError
from scanner.model.snapshot import validate_snapshot

BACKUP_KEYS = (
    "backup_plans",
    "backup_vaults",
    "backup_recovery_points",
    "backup_protected_resources",
    "backup_region_settings",
)
EU_VAULT = "arn:aws:backup:eu-west-1:111122223333:backup-vault:x"
WEST_VAULT = "arn:aws:backup:us-west-2:111122223333:backup-vault:Default"


def _resources(resources: dict) -> dict:
    snapshot = expand_fragment({"resources": resources})
    validate_snapshot(snapshot)
    return snapshot["units"][0]["resources"]


def test_a_case_without_backup_records_has_none() -> None:
    resources = _resources({"volumes": [{"id": "vol-1"}]})
    assert not set(BACKUP_KEYS) & set(resources)


def test_a_plan_gets_a_daily_rule_arns_and_filled_selections() -> None:
    [plan] = _resources(
        {
            "backup_plans": [
                {
                    "id": "plan-1",
                    "selections": [
                        {
                            "resources": ["arn:aws:ec2:*:*:volume/*", "vol-9"],
                            "list_of_tags": {"Backup": "daily"},
                            "conditions": {"string_like": {"aws:ResourceTag/Env": "prod*"}},
                        }
                    ],
                }
            ]
        }
    )["backup_plans"]
    assert plan["arn"] == "arn:aws:backup:us-east-1:111122223333:backup-plan:plan-1"
    [rule] = plan["rules"]
    assert rule["schedule_expression"] == "cron(0 5 ? * * *)"
    assert (rule["target_vault_name"], rule["copy_actions"], rule["lifecycle"]) == (
        "Default",
        [],
        None,
    )
    [selection] = plan["selections"]
    assert selection["resources"] == [
        "arn:aws:ec2:*:*:volume/*",
        "arn:aws:ec2:us-east-1:111122223333:volume/vol-9",
    ]
    assert selection["list_of_tags"] == [
        {"condition_type": "STRINGEQUALS", "key": "Backup", "value": "daily"}
    ]
    assert selection["conditions"]["string_like"] == [
        {"key": "aws:ResourceTag/Env", "value": "prod*"}
    ]
    assert selection["conditions"]["string_equals"] == []
    assert selection["not_resources"] == []


def test_unknown_selections_stay_null_and_copy_actions_build_vault_arns() -> None:
    [plan] = _resources(
        {
            "backup_plans": [
                {
                    "id": "p",
                    "selections": None,
                    "rules": [
                        {
                            "name": "dr",
                            "copy_actions": [
                                {"region": "us-west-2", "account": "444455556666", "vault": "dr"},
                                {"destination_vault_arn": EU_VAULT},
                            ],
                        }
                    ],
                }
            ]
        }
    )["backup_plans"]
    assert plan["selections"] is None
    assert [a["destination_vault_arn"] for a in plan["rules"][0]["copy_actions"]] == [
        "arn:aws:backup:us-west-2:444455556666:backup-vault:dr",
        EU_VAULT,
    ]


def test_recovery_points_are_snapshots_or_images_as_aws_names_them() -> None:
    ebs, ec2, copy = _resources(
        {
            "backup_recovery_points": [
                {"resource_arn": "vol-1", "completion_date": "2026-01-14T05:00:00Z"},
                {"resource_arn": "i-1"},
                {
                    "resource_arn": "vol-1",
                    "vault_name": "dr",
                    "source_vault_arn": WEST_VAULT,
                    "plan_id": "plan-1",
                },
            ]
        }
    )["backup_recovery_points"]
    assert ebs["resource_type"] == "EBS" and ebs["id"].startswith("snapshot/snap-")
    assert ebs["arn"] == f"arn:aws:ec2:us-east-1::{ebs['id']}"
    assert ebs["creation_date"] == ebs["completion_date"] == "2026-01-14T05:00:00Z"
    assert ebs["vault_arn"] == "arn:aws:backup:us-east-1:111122223333:backup-vault:Default"
    assert ec2["resource_type"] == "EC2" and ec2["arn"].startswith(
        "arn:aws:ec2:us-east-1::image/ami-"
    )
    assert copy["vault_arn"].endswith(":backup-vault:dr")
    assert copy["plan_arn"] == "arn:aws:backup:us-east-1:111122223333:backup-plan:plan-1"
    assert copy["id"] != ebs["id"]


def test_region_settings_and_protected_resources() -> None:
    resources = _resources(
        {
            "backup_region_settings": [{"resource_type_opt_in": {"EBS": False, "EC2": True}}],
            "backup_protected_resources": [{"arn": "vol-1"}],
        }
    )
    [settings] = resources["backup_region_settings"]
    assert settings["id"] == "region-settings"
    assert settings["arn"] == "arn:aws:backup:us-east-1:111122223333:region-settings"
    assert settings["resource_type_opt_in"] == {"EBS": False, "EC2": True}
    [protected] = resources["backup_protected_resources"]
    assert protected["id"] == protected["arn"] == "arn:aws:ec2:us-east-1:111122223333:volume/vol-1"
    assert protected["resource_type"] == "EBS"
    defaulted = _resources({"backup_region_settings": [{}]})["backup_region_settings"][0]
    assert defaulted["resource_type_opt_in"] == {"EC2": True, "EBS": True}


def test_a_recovery_point_of_an_unsupported_resource_fails_validation() -> None:
    snapshot = expand_fragment(
        {"resources": {"backup_recovery_points": [{"resource_arn": "arn:aws:s3:::bucket"}]}}
    )
    with pytest.raises(InputError, match="resource_type"):
        validate_snapshot(snapshot)


def test_plans_still_need_an_id() -> None:
    with pytest.raises(FragmentError, match=r"resources\.backup_plans must be a list"):
        expand_fragment({"resources": {"backup_plans": [{"name": "p"}]}})
