"""The protection fact: sources, intervals, where backups live, and the newest backups."""

from __future__ import annotations

import pytest

from scanner.engine.fragments import expand_fragment
from scanner.model.link import link_snapshot
from scanner.model.link.schedules import dlm_interval_hours, expression_interval_hours

WEST_VAULT = "arn:aws:backup:us-west-2:111122223333:backup-vault:Default"
EAST_VAULT = "arn:aws:backup:us-east-1:111122223333:backup-vault:Default"


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        ("cron(0 5 ? * * *)", 24.0),  # AWS Backup's default: daily at 05:00 UTC
        ("cron(0 5,17 ? * * *)", 12.0),
        ("cron(0 */4 * * ? *)", 4.0),
        ("cron(0/15 * * * ? *)", 0.25),
        ("cron(0 9 ? * MON-FRI *)", 72.0),  # Friday to Monday is the longest gap
        ("cron(0 3 ? * SUN *)", 168.0),
        ("cron(0 0 1 * ? *)", 744.0),  # monthly: the longest gap is a 31-day month
        ("rate(12 hours)", 12.0),
        ("rate(1 day)", 24.0),
        ("rate(30 minutes)", 0.5),
        ("cron(0 5 L * ? *)", None),  # L, W and # are not bounded here
        ("cron(0 5 ? * 2#1 *)", None),
        ("cron(0 5 1 1 ? 2027)", None),  # a fixed year does not recur
        ("cron(bad)", None),
        (None, None),
    ],
)
def test_schedule_intervals(expression: str | None, hours: float | None) -> None:
    assert expression_interval_hours(expression) == hours


def test_dlm_create_rule_intervals() -> None:
    assert dlm_interval_hours({"interval": 12, "interval_unit": "HOURS"}) == 12.0
    assert dlm_interval_hours({"cron_expression": "cron(0 1 ? * * *)"}) == 24.0
    assert dlm_interval_hours(None) is None


ESTATE = {
    "finished_at": "2026-01-15T12:00:00Z",
    "units": [
        {
            "resources": {
                "instances": [
                    {"id": "i-app", "tags": {"backup": "ami"}},
                    {"id": "i-edge", "zone": "us-east-1-lax-1a", "tags": {"Backup": "local"}},
                ],
                "volumes": [
                    {"id": "vol-app", "attachments": ["i-app"]},
                    {"id": "vol-edge", "zone": "us-east-1-lax-1a", "attachments": ["i-edge"]},
                ],
                "snapshots": [
                    {
                        "id": "snap-old",
                        "volume_id": "vol-app",
                        "start_time": "2026-01-01T00:00:00Z",
                    },
                    {
                        "id": "snap-lz",
                        "volume_id": "vol-edge",
                        "zone": "us-east-1-lax-1a",
                        "start_time": "2026-01-14T00:00:00Z",
                    },
                    {
                        "id": "snap-reg",
                        "volume_id": "vol-edge",
                        "start_time": "2026-01-10T00:00:00Z",
                    },
                ],
                "images": [
                    {
                        "id": "ami-app",
                        "source_instance_id": "i-app",
                        "creation_date": "2026-01-12T00:00:00Z",
                    }
                ],
                "dlm_policies": [
                    {
                        "id": "policy-edge",
                        "resource_types": ["INSTANCE"],
                        "resource_locations": ["LOCAL_ZONE"],
                        "target_tags": {"Backup": "local"},
                        "schedules": [
                            {
                                "name": "local",
                                "create_rule": {
                                    "cron_expression": "cron(0 */6 * * ? *)",
                                    "location": "LOCAL_ZONE",
                                },
                            }
                        ],
                    }
                ],
                "backup_plans": [
                    {
                        "id": "plan-ami",
                        "rules": [
                            {
                                "name": "daily",
                                "copy_actions": [
                                    {"region": "us-west-2"},
                                    {"account": "444455556666"},
                                ],
                            }
                        ],
                        "selections": [
                            {
                                "resources": ["arn:aws:ec2:*:*:instance/*"],
                                "conditions": {"string_equals": {"aws:ResourceTag/backup": "ami"}},
                            }
                        ],
                    }
                ],
                "backup_recovery_points": [
                    {"resource_arn": "i-app", "creation_date": "2026-01-13T05:00:00Z"}
                ],
                "backup_protected_resources": [
                    {"resource_arn": "i-app", "last_backup_time": "2026-01-14T05:00:00Z"}
                ],
            }
        },
        {
            "region": "us-west-2",
            "resources": {
                "backup_recovery_points": [
                    {
                        "resource_arn": "arn:aws:ec2:us-east-1:111122223333:instance/i-app",
                        "creation_date": "2026-01-13T06:00:00Z",
                        "vault_arn": WEST_VAULT,
                        "source_vault_arn": EAST_VAULT,
                    }
                ]
            },
        },
    ],
}


@pytest.fixture(scope="module")
def model():
    return link_snapshot(expand_fragment(ESTATE))


def protection(model, type_name: str, resource_id: str) -> dict:
    return next(d for d in model.of_type(type_name) if d["id"] == resource_id)["facts"][
        "protection"
    ]


def test_an_aws_backup_plan_of_the_instance_protects_it_and_its_volumes(model) -> None:
    for type_name, resource_id in (("instance", "i-app"), ("volume", "vol-app")):
        fact = protection(model, type_name, resource_id)
        assert fact["covered"] is True
        [source] = fact["sources"]
        assert source == {
            "kind": "backup",
            "id": "plan-ami",
            "arn": "arn:aws:backup:us-east-1:111122223333:backup-plan:plan-ami",
            "rule": "daily",
            "interval_hours": 24.0,
            "locations": ["region"],
            "copy_regions": ["us-west-2"],
            "copy_accounts": ["444455556666"],
        }
        assert fact["locations"] == ["region", "other-region", "other-account"]
        assert fact["copy_regions"] == ["us-west-2"]
        assert fact["interval_hours"] == 24.0


def test_newest_backups_from_every_source(model) -> None:
    instance = protection(model, "instance", "i-app")
    # The protected resource's last backup time is the newest; the AMI and recovery points older.
    assert (instance["newest"]["kind"], instance["newest"]["time"]) == (
        "recovery-point",
        "2026-01-14T05:00:00Z",
    )
    assert instance["newest_outside_region"]["region"] == "us-west-2"
    assert instance["newest_outside_region"]["time"] == "2026-01-13T06:00:00Z"
    volume = protection(model, "volume", "vol-app")
    # The instance's recovery points (AMIs) count for its volume; its own snapshot is older.
    assert volume["newest"]["time"] == "2026-01-13T06:00:00Z"
    assert volume["newest_outside_region"]["region"] == "us-west-2"


def test_a_local_zone_schedule_keeps_its_snapshots_in_the_zone(model) -> None:
    fact = protection(model, "volume", "vol-edge")
    [source] = fact["sources"]
    assert (source["kind"], source["rule"], source["interval_hours"]) == (
        "dlm-snapshot",
        "local",
        6.0,
    )
    assert fact["locations"] == ["zone"]
    assert fact["newest"]["id"] == "snap-lz"
    assert fact["newest"]["location"] == "zone"
    assert (
        fact["newest_outside_zone"]["id"] == "snap-reg"
    )  # the zone-local snapshot would not survive
    assert fact["newest_outside_region"] is None


def test_plan_facts(model) -> None:
    [plan] = model.of_type("backup_plan")
    assert plan["facts"] == {
        "selected_resource_count": 1,
        "copy_regions": ["us-west-2"],
        "selections_known": True,
    }


def test_unprotected_resources_have_an_empty_fact() -> None:
    model = link_snapshot(
        expand_fragment(
            {
                "resources": {
                    "instances": [{"id": "i-1"}],
                    "volumes": [{"id": "vol-1", "attachments": ["i-1"]}],
                }
            }
        )
    )
    fact = protection(model, "volume", "vol-1")
    assert fact == {
        "covered": False,
        "sources": [],
        "interval_hours": None,
        "locations": [],
        "newest": None,
        "newest_outside_zone": None,
        "newest_outside_region": None,
        "copy_regions": [],
    }
