"""The fragment expander behind policy test cases: short fragments, valid snapshots."""

from __future__ import annotations

import pytest

from scanner.engine import load_policies
from scanner.engine.fragments import (
    DEFAULT_ACCOUNT,
    FragmentError,
    default_zones,
    expand_fragment,
)
from scanner.errors import InputError
from scanner.model.snapshot import validate_snapshot

CASES = [case for policy in load_policies() for case in policy.cases]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_builtin_fragment_expands_to_a_valid_snapshot(case) -> None:
    validate_snapshot(expand_fragment(case.snapshot))


def test_defaults_and_name_references() -> None:
    snapshot = expand_fragment(
        {
            "resources": {
                "load_balancers": [{"id": "web", "zones": ["us-east-1a"]}],
                "target_groups": [{"id": "tg", "load_balancer_arns": ["web"], "targets": ["i-1"]}],
                "auto_scaling_groups": [
                    {"id": "asg", "target_group_arns": ["tg"], "instances": ["i-1"]}
                ],
                "dlm_policies": [{"id": "p", "target_tags": {"Backup": "yes"}}],
            }
        }
    )
    validate_snapshot(snapshot)
    [unit] = snapshot["units"]
    assert (unit["account"], unit["region"]) == (DEFAULT_ACCOUNT, "us-east-1")
    assert unit["zones"] == default_zones("us-east-1")
    resources = unit["resources"]
    lb_arn = resources["load_balancers"][0]["arn"]
    assert lb_arn.startswith(
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/"
    )
    assert resources["target_groups"][0]["load_balancer_arns"] == [lb_arn]
    assert resources["target_groups"][0]["targets"] == [{"id": "i-1"}]
    assert resources["auto_scaling_groups"][0]["target_group_arns"] == [
        resources["target_groups"][0]["arn"]
    ]
    assert resources["dlm_policies"][0]["target_tags"] == [{"key": "Backup", "value": "yes"}]
    assert snapshot["finished_at"] == "2026-01-15T12:00:00Z"


def test_a_bad_fragment_fails_snapshot_validation() -> None:
    snapshot = expand_fragment({"resources": {"volumes": [{"id": "vol-1", "size_gib": "big"}]}})
    with pytest.raises(InputError, match=r"size_gib"):
        validate_snapshot(snapshot)


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        (
            {"resources": {"instances": [{"zone": "us-east-1a"}]}},
            "resources.instances must be a list",
        ),
        ({"resources": {"instances": {"id": "i-1"}}}, "resources.instances must be a list"),
        (
            {"resources": {}, "errors": [{"code": "AccessDenied"}]},
            "unexpected shape (missing 'service')",
        ),
        ({"units": "us-east-1"}, "unexpected shape"),
    ],
)
def test_a_malformed_fragment_is_a_clear_error(fragment: dict, message: str) -> None:
    with pytest.raises(FragmentError) as raised:
        expand_fragment(fragment)
    assert message in str(raised.value)


def test_default_zones_carry_parents() -> None:
    zones = {zone["name"]: zone for zone in default_zones("us-west-2")}
    assert zones["us-west-2-lax-1a"]["parent_zone_name"] == "us-west-2a"
    assert zones["us-west-2-wl1-las-wlz-1"]["type"] == "wavelength-zone"
    assert zones["us-west-2-wl1-las-wlz-1"]["parent_zone_id"] == zones["us-west-2c"]["id"]
