"""The installed ``stormproof collect`` against moto on loopback and the DLM stand-in.

Two Regions, a Local Zone and every resource kind are seeded; the subprocess
writes a snapshot that must validate, hold exactly what was seeded with the
documented fields, count exactly the requests needed, and use exactly the
operations the IAM policy grants.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner.collect.readonly import ALLOWED_OPERATIONS, iam_action, iam_policy_document
from scanner.errors import ExitCode
from scanner.mockaws import DlmStandIn, add_local_zones, deny_service
from scanner.model.snapshot import load_snapshot
from tests.collect.estate import (
    EAST,
    LOCAL_ZONE,
    PARENT_ZONE,
    WEST,
    Estate,
    expected_api_calls,
    plain_clients,
    seed_estate,
)
from tests.collect.servers import offline_environment, running_moto_server, subprocess_env

pytestmark = pytest.mark.slow

SECRET = "e2eSecretKeyThatMustNeverAppear0123456789"
ACCESS_KEY = "AKIAE2ETESTKEY000001"


@dataclass
class World:
    """One seeded moto server and DLM stand-in, shared by this module's tests."""

    moto_url: str
    dlm: DlmStandIn
    estate: Estate


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with (
        offline_environment(),
        add_local_zones(WEST),
        running_moto_server() as url,
        DlmStandIn() as dlm,
    ):
        yield World(url, dlm, seed_estate(plain_clients(url), dlm))


@pytest.fixture
def estate(world: World) -> Estate:
    return world.estate


def run_collect(world: World, output: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it, with only the standard AWS variables."""
    command = [sys.executable, "-m", "scanner", "collect", "--regions", f"{WEST},{EAST}"]
    return subprocess.run(
        [*command, "--output", str(output)],
        env=subprocess_env(
            AWS_ACCESS_KEY_ID=ACCESS_KEY,
            AWS_SECRET_ACCESS_KEY=SECRET,
            AWS_ENDPOINT_URL=world.moto_url,
            AWS_ENDPOINT_URL_DLM=world.dlm.endpoint_url,
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def by_id(unit: dict, key: str) -> dict[str, dict]:
    return {record["id"]: record for record in unit["resources"][key]}


def unit_of(document: dict, region: str) -> dict:
    return next(unit for unit in document["units"] if unit["region"] == region)


@pytest.fixture(scope="module")
def collected(world: World, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    output = tmp_path_factory.mktemp("collect") / "snapshot.json.gz"
    result = run_collect(world, output)
    assert result.returncode == ExitCode.CLEAN, result.stderr
    assert "collected 2 unit(s)" in result.stderr
    assert "INCOMPLETE" not in result.stderr
    for text in (result.stdout, result.stderr, output.read_bytes().decode("latin-1")):
        assert SECRET not in text and ACCESS_KEY not in text
    return load_snapshot(output), result.stderr


def test_snapshot_holds_exactly_what_was_seeded(collected: tuple[dict, str], estate: Estate):
    document, _ = collected
    assert document["scope"]["regions"] == [EAST, WEST]
    assert document["scope"]["accounts"] == ["123456789012"]
    assert document["errors"] == []
    for region in (WEST, EAST):
        unit = unit_of(document, region)
        assert unit["errors"] == []
        for key, ids in estate.ids[region].items():
            found = {record["id"] for record in unit["resources"][key]}
            if key in ("load_balancers", "target_groups"):
                found = {record["arn"] for record in unit["resources"][key]}
            assert found == ids, key
        for records in unit["resources"].values():
            for record in records:
                assert record["account"] == "123456789012" and record["region"] == region
                assert record["arn"].startswith("arn:aws:")


def test_local_zone_is_described_with_its_parent(collected: tuple[dict, str], estate: Estate):
    zones = {zone["name"]: zone for zone in unit_of(collected[0], WEST)["zones"]}
    local = zones[LOCAL_ZONE]
    assert local["type"] == "local-zone"
    assert local["parent_zone_name"] == PARENT_ZONE
    assert local["parent_zone_id"] == zones[PARENT_ZONE]["id"]
    assert local["group_name"] == local["network_border_group"] == "us-west-2-lax-1"
    assert local["opt_in_status"] == "opted-in"
    assert zones[PARENT_ZONE]["type"] == "availability-zone"
    edge = by_id(unit_of(collected[0], WEST), "instances")[estate.facts["edge_instance"]]
    assert edge["zone"] == LOCAL_ZONE


def test_ec2_records_carry_the_documented_fields(collected: tuple[dict, str], estate: Estate):
    west, east = unit_of(collected[0], WEST), unit_of(collected[0], EAST)
    facts = estate.facts
    web = by_id(west, "instances")[facts["web_instance"]]
    assert (web["placement_group_name"], web["auto_recovery"]) == ("web-cluster", "disabled")
    assert by_id(west, "placement_groups")["web-cluster"]["strategy"] == "cluster"
    assert web["zone"] == "us-west-2a"
    assert web["subnet_id"] == facts["west_subnets"]["us-west-2a"]
    assert web["image_id"] == facts["west_image"] and web["vpc_id"].startswith("vpc-")
    assert facts["data_volume"] in web["volume_ids"] and len(web["volume_ids"]) == 2
    assert web["tags"] == {"Name": "web-a"} and web["lifecycle"] == "normal"
    assert web["state"] == "running" and web["launch_time"].endswith("Z")
    assert web["arn"] == f"arn:aws:ec2:{WEST}:123456789012:instance/{web['id']}"

    data = by_id(west, "volumes")[facts["data_volume"]]
    assert data["tags"] == {"backup": "daily"} and data["volume_type"] == "gp3"
    assert data["size_gib"] == 20 and data["zone"] == "us-west-2a" and data["state"] == "in-use"
    assert data["attachments"][0]["instance_id"] == web["id"]
    assert data["attachments"][0]["device"] == "/dev/sdf"

    snapshot = by_id(west, "snapshots")[facts["west_snapshot"]]
    assert snapshot["volume_id"] == facts["data_volume"] and snapshot["description"] == "nightly"
    assert snapshot["tags"] == {"backup": "daily"} and snapshot["state"] == "completed"
    assert snapshot["arn"] == f"arn:aws:ec2:{WEST}::snapshot/{snapshot['id']}"
    copy = by_id(east, "snapshots")[facts["east_snapshot"]]
    assert copy["description"] == f"[Copied {facts['west_snapshot']} from {WEST}] nightly"
    assert copy["volume_id"] == "vol-ffffffff"

    image = by_id(west, "images")[facts["west_image"]]
    assert image["name"] == "web-ami" and image["tags"] == {"role": "web"}
    assert image["snapshot_ids"] and image["creation_date"].endswith("Z")
    assert image["source_image_id"] is None
    image_copy = by_id(east, "images")[facts["east_image"]]
    assert image_copy["source_image_id"] == facts["west_image"]
    assert image_copy["source_image_region"] == WEST
    assert image_copy["description"] == f"[Copied {facts['west_image']} from {WEST}] web server"


def test_auto_scaling_records_and_their_images(collected: tuple[dict, str], estate: Estate):
    west = unit_of(collected[0], WEST)
    groups = by_id(west, "auto_scaling_groups")
    web = groups["web-asg"]
    assert set(web["zones"]) == {"us-west-2a", "us-west-2b"}
    assert len(web["subnet_ids"]) == 2
    assert (web["min_size"], web["max_size"], web["desired_capacity"]) == (2, 4, 2)
    assert web["health_check_type"] == "ELB" and web["health_check_grace_period"] == 120
    assert web["target_group_arns"] == [estate.facts["target_group"]]
    assert web["capacity_rebalance"] is True and web["mixed_instances_policy"] is False
    assert web["launch_template"]["version"] == "$Latest"
    assert web["image_ids"] == ["ami-0000000000000000b"]  # version 2 is $Latest
    assert web["tags"] == {"team": "web"}
    assert len(web["instances"]) == 2
    assert all(i["lifecycle_state"] == "InService" and i["zone"] for i in web["instances"])

    pinned = groups["pinned-asg"]
    assert pinned["mixed_instances_policy"] is True
    assert pinned["launch_template"]["version"] == "1"
    assert pinned["image_ids"] == [estate.facts["west_image"]]

    legacy = groups["legacy-asg"]
    assert legacy["launch_configuration_name"] == "legacy-lc"
    assert legacy["load_balancer_names"] == ["legacy-clb"]
    assert legacy["image_ids"] == [estate.facts["west_image"]]
    assert (
        by_id(west, "launch_configurations")["legacy-lc"]["image_id"] == estate.facts["west_image"]
    )

    versions = by_id(west, "launch_template_versions")
    template = estate.facts["template"]
    assert versions[f"{template}:1"]["is_default"] is True
    assert versions[f"{template}:1"]["is_latest"] is False
    assert versions[f"{template}:2"]["is_latest"] is True
    assert versions[f"{template}:2"]["image_id"] == "ami-0000000000000000b"


def test_load_balancer_records(collected: tuple[dict, str], estate: Estate):
    west = unit_of(collected[0], WEST)
    classic = by_id(west, "classic_load_balancers")["legacy-clb"]
    assert classic["zones"] == []  # moto leaves it empty for subnet-made LBs; recorded as seen
    assert len(classic["subnet_ids"]) == 2
    legacy_group = by_id(west, "auto_scaling_groups")["legacy-asg"]
    registered = {estate.facts["web_instance"]} | {i["id"] for i in legacy_group["instances"]}
    assert set(classic["instance_ids"]) == registered and len(registered) == 2
    assert classic["cross_zone"] is False and classic["tags"] == {"team": "legacy"}

    balancers = {record["arn"]: record for record in west["resources"]["load_balancers"]}
    alb = balancers[estate.facts["alb"]]
    assert alb["type"] == "application" and alb["name"] == "web-alb"
    assert {zone["name"] for zone in alb["zones"]} == {"us-west-2a", "us-west-2b"}
    assert all(zone["subnet_id"] for zone in alb["zones"])
    assert alb["cross_zone"] is False  # as moto reports it (AWS: always on for ALBs)
    assert alb["attributes"]["load_balancing.cross_zone.enabled"] == "false"
    assert alb["tags"] == {"team": "web"} and alb["id"].startswith("app/web-alb/")
    nlb = balancers[estate.facts["nlb"]]
    assert nlb["type"] == "network"
    assert LOCAL_ZONE in {zone["name"] for zone in nlb["zones"]}

    group = {r["arn"]: r for r in west["resources"]["target_groups"]}[estate.facts["target_group"]]
    assert group["name"] == "web-tg" and group["tags"] == {"team": "web"}
    assert group["load_balancer_arns"] == [estate.facts["alb"]]
    web_group = by_id(west, "auto_scaling_groups")["web-asg"]
    expected = {estate.facts["web_instance"]} | {i["id"] for i in web_group["instances"]}
    assert {target["id"] for target in group["targets"]} == expected and len(expected) == 3
    web_target = next(t for t in group["targets"] if t["id"] == estate.facts["web_instance"])
    assert web_target == {
        "id": estate.facts["web_instance"],
        "port": 80,
        "zone": None,
        "health_state": "healthy",
        "health_reason": None,
    }
    assert "deregistration_delay.timeout_seconds" in group["attributes"]


def test_dlm_policies(collected: tuple[dict, str], estate: Estate):
    west = by_id(unit_of(collected[0], WEST), "dlm_policies")
    volumes = west[estate.facts["dlm_volumes"]]
    assert volumes["state"] == "ENABLED" and volumes["default_policy"] is False
    assert volumes["resource_types"] == ["VOLUME"] and volumes["resource_locations"] == ["CLOUD"]
    assert volumes["target_tags"] == [{"key": "backup", "value": "daily"}]
    assert volumes["tags"] == {"owner": "platform"}
    schedule = volumes["schedules"][0]
    assert schedule["retain_rule"]["count"] == 7
    assert schedule["create_rule"]["times"] == ["03:00"]
    assert schedule["cross_region_copy_rules"] == [
        {
            "target_region": EAST,
            "target": None,
            "encrypted": False,
            "retain_rule": {"interval": 14, "interval_unit": "DAYS"},
        }
    ]
    amis = west[estate.facts["dlm_amis"]]
    assert amis["state"] == "DISABLED" and amis["policy_type"] == "IMAGE_MANAGEMENT"
    assert amis["schedules"][0]["create_rule"]["cron_expression"] == "cron(0 3 ? * SUN *)"

    default = by_id(unit_of(collected[0], EAST), "dlm_policies")[estate.facts["dlm_default"]]
    assert default["default_policy"] is True and default["policy_language"] == "SIMPLIFIED"
    assert default["resource_types"] == ["VOLUME"]
    assert (default["create_interval"], default["retain_interval"]) == (1, 7)
    assert default["cross_region_copy_targets"] == [WEST]
    assert default["exclusions"]["exclude_boot_volumes"] is True
    assert default["exclusions"]["exclude_tags"] == [{"key": "backup", "value": "none"}]


def test_api_calls_are_the_pages_needed_plus_detail_calls(
    collected: tuple[dict, str], estate: Estate
):
    document, stderr = collected
    units = {region: unit_of(document, region) for region in (WEST, EAST)}
    for region, unit in units.items():
        assert unit["api_calls"] == expected_api_calls(estate, region), region
        assert unit["duration_seconds"] >= 0 and unit["finished_at"] >= unit["started_at"]
    totals: dict[str, int] = {"sts:GetCallerIdentity": 1, "ec2:DescribeRegions": 1}
    for unit in units.values():
        for name, count in unit["api_calls"].items():
            totals[name] = totals.get(name, 0) + count
    assert document["api_calls"] == dict(sorted(totals.items()))
    # Not a terminal: one plain line per unit.
    assert "[1/2]" in stderr and "[2/2]" in stderr


def test_operations_made_are_exactly_the_allowlist_and_the_iam_policy(
    collected: tuple[dict, str],
):
    recorded = set(collected[0]["api_calls"])
    assert recorded == ALLOWED_OPERATIONS
    granted = set(iam_policy_document()["Statement"][0]["Action"])
    assert {iam_action(operation) for operation in recorded} == granted


def test_failing_services_are_recorded_and_the_rest_is_complete(
    tmp_path: Path, world: World, estate: Estate, collected: tuple[dict, str]
):
    output = tmp_path / "snapshot.json"
    world.dlm.fail(500)
    try:
        with deny_service("ec2", EAST):
            result = run_collect(world, output, AWS_DEFAULT_REGION=WEST, AWS_MAX_ATTEMPTS="2")
    finally:
        world.dlm.clear_faults()
    assert result.returncode == ExitCode.INCOMPLETE, result.stderr
    assert "INCOMPLETE" in result.stderr and "UnauthorizedOperation" in result.stderr
    document = load_snapshot(output)
    west, east = unit_of(document, WEST), unit_of(document, EAST)

    east_errors = {(e["service"], e["operation"], e["code"]) for e in east["errors"]}
    assert east_errors == {
        ("ec2", operation, "UnauthorizedOperation")
        for operation in (
            "DescribeAvailabilityZones",
            "DescribeInstances",
            "DescribeSubnets",
            "DescribeVolumes",
            "DescribeSnapshots",
            "DescribeImages",
        )
    } | {("dlm", "GetLifecyclePolicies", "InternalServerException")}
    assert all(e["account"] == "123456789012" and e["region"] == EAST for e in east["errors"])
    # What could not be seen is absent, never an empty "nothing here".
    assert not {"instances", "volumes", "snapshots", "images", "dlm_policies"} & set(
        east["resources"]
    )
    assert {"auto_scaling_groups", "load_balancers", "classic_load_balancers"} <= set(
        east["resources"]
    )
    # The other Region is complete apart from DLM.
    assert [(e["service"], e["code"]) for e in west["errors"]] == [
        ("dlm", "InternalServerException")
    ]
    for key in ("instances", "volumes", "snapshots", "images", "auto_scaling_groups"):
        assert {r["id"] for r in west["resources"][key]} == estate.ids[WEST][key]
    # Retries count: a 500 is retried (2 attempts); an access denial is not.
    assert west["api_calls"]["dlm:GetLifecyclePolicies"] == 2
    assert east["api_calls"]["ec2:DescribeInstances"] == 1


def test_aws_backup_records(collected: tuple[dict, str], estate: Estate):
    west, east = unit_of(collected[0], WEST), unit_of(collected[0], EAST)
    facts = estate.facts
    plan = by_id(west, "backup_plans")[facts["backup_plan"]]
    assert plan["name"] == "daily-ebs" and plan["tags"] == {"team": "platform"}
    [rule] = plan["rules"]
    assert rule["id"] == facts["backup_rule"] and rule["start_window_minutes"] == 60
    assert rule["lifecycle"] == {"delete_after_days": 35, "move_to_cold_storage_after_days": None}
    assert rule["copy_actions"] == [
        {
            "destination_vault_arn": facts["backup_vaults"][EAST],
            "lifecycle": {"delete_after_days": 90, "move_to_cold_storage_after_days": None},
        }
    ]
    selections = {s["name"]: s for s in plan["selections"]}
    assert {name: s["id"] for name, s in selections.items()} == facts["backup_selections"]
    assert selections["tagged-volumes"]["conditions"]["string_equals"] == [
        {"key": "aws:ResourceTag/backup", "value": "daily"}
    ]
    assert selections["web-instance"]["resources"] == [facts["web_arn"]]
    assert by_id(west, "backup_vaults")["Default"]["tags"] == {"owner": "platform"}
    opt_in = {
        region: unit["resources"]["backup_region_settings"][0]["resource_type_opt_in"]
        for region, unit in ((WEST, west), (EAST, east))
    }
    assert (opt_in[WEST]["EC2"], opt_in[EAST]["EC2"], opt_in[EAST]["EBS"]) == (True, False, True)
    points = {p["arn"]: p for p in west["resources"]["backup_recovery_points"]}
    volume_point = points[facts["volume_recovery_point"]]
    assert volume_point["resource_arn"] == facts["volume_arn"]
    assert (volume_point["plan_id"], volume_point["rule_id"]) == (
        facts["backup_plan"],
        facts["backup_rule"],
    )
    assert volume_point["delete_at"] is not None
    assert points[facts["image_recovery_point"]]["resource_type"] == "EC2"
    [copy] = east["resources"]["backup_recovery_points"]
    assert copy["arn"] == facts["copy_recovery_point"]
    assert copy["source_vault_arn"] == facts["backup_vaults"][WEST]
