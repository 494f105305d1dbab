"""Data-loss windows from the protection fact: zone vs Region, copies, schedules, unknown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scanner.scenarios import build_scenarios, resolver_from_config
from tests.scenarios.helpers import A, backup, model_of, protection, source

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _iso(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


FRAGMENT = {
    "account": A,
    "resources": {
        "instances": [{"id": "i-1", "zone": "us-east-1a", "volume_ids": ["vol-1"]}],
        "volumes": [
            {"id": "vol-1", "zone": "us-east-1a", "size_gib": 100, "attachments": ["i-1"]},
            {"id": "vol-2", "zone": "us-east-1a", "size_gib": 20},
        ],
    },
}


def _run(vol1: dict | None, vol2: dict | None = None, instance: dict | None = None):
    model = model_of(FRAGMENT)
    for doc in model.of_type("volume"):
        doc["facts"]["protection"] = {"vol-1": vol1, "vol-2": vol2}[doc["id"]]
    for doc in model.of_type("instance"):
        doc["facts"]["protection"] = instance
    return model, build_scenarios(model, NOW, resolver_from_config(None))


def _data(scenarios, domain: str) -> dict[str, tuple]:
    [scenario] = scenarios.find(domain)
    return {
        item.id: (window.hours, window.lost, window.worst_hours, window.basis)
        for item, window in scenario.entries()
    }


def test_zone_counts_regional_backups_and_region_only_other_regions() -> None:
    regional = protection(
        [source(24), source(168, copy_regions=("us-west-2",))],
        outside_zone=backup(_iso(5)),
        outside_region=backup(_iso(30), region="us-west-2"),
    )
    local_only = protection(
        [source(12, locations=("outpost",))], outside_zone=None, outside_region=None
    )
    _, scenarios = _run(regional, local_only, instance=None)
    zone = _data(scenarios, "ue1-az1")
    assert zone["vol-1"] == (5.0, False, 24, "newest-backup")
    assert zone["vol-2"] == (None, True, None, "none")  # zone-local backups die with the zone
    assert zone["i-1"] == (None, None, None, "unknown")  # no protection fact: unknown, not lost
    region = _data(scenarios, "us-east-1")
    assert region["vol-1"] == (30.0, False, 168, "newest-backup")
    assert region["vol-2"] == (None, True, None, "none")
    [scenario] = scenarios.find("us-east-1")
    totals = scenario.totals
    assert (totals["volumes_lost"], totals["gib_lost"], totals["data_unknown"]) == (1, 20, 1)
    assert totals["longest_window_hours"] == 30.0
    assert [item.id for item in scenario.data] == ["vol-2", "i-1", "vol-1"]  # lost first


def test_a_copy_in_another_account_of_the_same_region_dies_with_the_region() -> None:
    same_region_copy = protection(
        [source(24, copy_accounts=(A,))],
        outside_zone=backup(_iso(3), account="999999999999"),
        outside_region=None,
    )
    _, scenarios = _run(same_region_copy)
    assert _data(scenarios, "ue1-az1")["vol-1"][:2] == (3.0, False)
    assert _data(scenarios, "us-east-1")["vol-1"] == (None, True, None, "none")


@pytest.mark.parametrize(
    ("interval", "expected"),
    [(12, (12, False, 12, "copy-schedule")), (None, (None, False, None, "copy-schedule"))],
)
def test_a_copy_rule_to_an_unscanned_region_counts_dated_by_its_schedule(interval, expected):
    unscanned = protection([source(interval, copy_regions=("eu-west-1",))])
    _, scenarios = _run(unscanned)
    assert _data(scenarios, "us-east-1")["vol-1"] == expected


def test_the_observed_copy_wins_when_it_is_newer_than_the_schedule() -> None:
    both = protection(
        [source(48, copy_regions=("eu-west-1",))],
        outside_region=backup(_iso(2), region="us-west-2"),
    )
    _, scenarios = _run(both)
    assert _data(scenarios, "us-east-1")["vol-1"] == (2.0, False, 48, "newest-backup")


def test_without_any_protection_fact_the_scenarios_say_so() -> None:
    _, scenarios = _run(None, None)
    assert scenarios.protection_known is False
    assert set(_data(scenarios, "us-east-1").values()) == {(None, None, None, "unknown")}
