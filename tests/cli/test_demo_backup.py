"""The demo's AWS Backup seeding, collected: one volume that AWS Backup alone protects (with a
recovery point and its copy in the recovery Region) and one plan that copies nowhere."""

from __future__ import annotations

import pytest
from moto import mock_aws

from scanner.collect import CollectOptions, collect_snapshot
from scanner.demo.estate import seed_demo_estate
from scanner.demo.regions import PRIMARY, RECOVERY
from scanner.mockaws import DlmStandIn, add_local_zones
from scanner.mockaws.estate import plain_clients
from scanner.model.snapshot import validate_snapshot
from tests.offline import apply_offline_environment


@pytest.fixture(scope="module")
def demo() -> tuple[dict, dict]:
    with pytest.MonkeyPatch.context() as patch:
        apply_offline_environment(patch)
        with add_local_zones(RECOVERY), mock_aws(), DlmStandIn() as dlm:
            patch.setenv("AWS_ENDPOINT_URL_DLM", dlm.endpoint_url)
            estate = seed_demo_estate(plain_clients(), dlm)
            document = collect_snapshot(
                CollectOptions(regions=[PRIMARY, RECOVERY], rate_limit=1000.0)
            )
    validate_snapshot(document)
    units = {unit["region"]: unit for unit in document["units"]}
    return units, estate.facts


def _plan(unit: dict, name: str) -> dict:
    (plan,) = [p for p in unit["resources"]["backup_plans"] if p["name"] == name]
    return plan


def test_one_volume_is_selected_by_aws_backup_and_by_no_dlm_policy(demo) -> None:
    units, facts = demo
    primary = units[PRIMARY]
    assert primary["errors"] == [] and units[RECOVERY]["errors"] == []
    [selection] = _plan(primary, "inventory-daily")["selections"]
    [condition] = selection["conditions"]["string_equals"]
    key = condition["key"].removeprefix("aws:ResourceTag/")
    tagged = [
        v["id"] for v in primary["resources"]["volumes"] if v["tags"].get(key) == condition["value"]
    ]
    assert tagged == [facts["inventory_volume"]]
    volume = next(v for v in primary["resources"]["volumes"] if v["id"] == tagged[0])
    dlm_targets = {
        (tag["key"], tag["value"])
        for policy in primary["resources"]["dlm_policies"]
        for tag in policy["target_tags"]
    }
    assert not dlm_targets & set(volume["tags"].items())
    assert not [p for p in primary["resources"]["dlm_policies"] if p["default_policy"]]


def test_the_volume_has_a_recovery_point_and_a_copy_in_the_recovery_region(demo) -> None:
    units, facts = demo
    plan = _plan(units[PRIMARY], "inventory-daily")
    [rule] = plan["rules"]
    [copy_action] = rule["copy_actions"]
    assert copy_action["destination_vault_arn"].split(":")[3] == RECOVERY
    [point] = units[PRIMARY]["resources"]["backup_recovery_points"]
    assert point["resource_arn"].endswith(f":volume/{facts['inventory_volume']}")
    assert (point["plan_id"], point["rule_id"], point["status"]) == (
        plan["id"],
        rule["id"],
        "COMPLETED",
    )
    [copy] = units[RECOVERY]["resources"]["backup_recovery_points"]
    assert copy["resource_arn"] == point["resource_arn"]
    assert copy["vault_arn"] == copy_action["destination_vault_arn"]
    assert copy["source_vault_arn"] == point["vault_arn"]


def test_one_plan_copies_nowhere(demo) -> None:
    units, _ = demo
    plan = _plan(units[RECOVERY], "game-sessions-hourly")
    assert plan["rules"] and all(rule["copy_actions"] == [] for rule in plan["rules"])
    [selection] = plan["selections"]
    assert selection["resources"] == ["arn:aws:ec2:*:*:instance/*"]
