"""Objectives from the config file and from tags, judged against the scenarios."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scanner.engine.config import load_config
from scanner.errors import InputError
from scanner.scenarios import build_scenarios, resolver_from_config
from tests.scenarios.helpers import backup, model_of, protection, source

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
ESTATE = {
    "resources": {
        "instances": [
            {"id": "i-db", "zone": "us-east-1a", "tags": {"Tier": "critical"}},
            {"id": "i-web1", "zone": "us-east-1a", "tags": {"Service": "web", "Tier": "critical"}},
            {"id": "i-web2", "zone": "us-east-1b", "tags": {"Service": "web", "Tier": "critical"}},
        ],
        "volumes": [
            {"id": "vol-db", "zone": "us-east-1a", "attachments": ["i-db"]},
            {"id": "vol-own", "zone": "us-east-1a", "tags": {"stormproof:rpo-hours": "1"}},
            {"id": "vol-none", "zone": "us-east-1a"},
        ],
    }
}


def _verdicts(objectives=None, protections=None, fragment=ESTATE):
    model = model_of(fragment)
    for doc in model.of_type("volume"):
        doc["facts"]["protection"] = (protections or {}).get(doc["id"])
    scenarios = build_scenarios(model, NOW, resolver_from_config(objectives))
    docs = {d["id"]: d["facts"]["objective"] for d in model.of_type("recovery_objective")}
    return docs, scenarios


def _ago(hours: float) -> str:
    return (NOW - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_config_selector_objectives_judge_workloads_and_the_volumes_of_their_instances() -> None:
    fresh = protection([source(2)], outside_zone=backup(_ago(1)))
    stale = protection([source(24)], outside_zone=backup(_ago(30)))
    docs, _ = _verdicts(
        {"Tier=critical": {"rpo_hours": 4, "survive": ["zone"]}},
        {"vol-db": stale, "vol-own": fresh},
    )
    assert sorted(docs) == ["i-db", "tag/Service=web", "vol-db", "vol-own"]
    assert docs["i-db"]["met"] is False
    assert [b["text"] for b in docs["i-db"]["breaches"]] == [
        "down if ue1-az1 (us-east-1a) fails; objective: survive a zone"
    ]
    assert docs["tag/Service=web"]["met"] is True  # degraded is not down
    assert docs["vol-db"]["source"] == "config: Tier=critical"  # from its instance
    assert [b["text"] for b in docs["vol-db"]["breaches"]] == [
        "30 h of data lost if ue1-az1 (us-east-1a) fails; objective: RPO 4 h"
    ]
    # own tag: RPO 1 h, fresh backup (1 h) but the schedule's worst case is 2 h
    assert docs["vol-own"]["source"] == "tags"
    assert [b["text"] for b in docs["vol-own"]["breaches"]] == [
        "up to 2 h of data lost if ue1-az1 (us-east-1a) fails (backup interval); objective: RPO 1 h"
    ]


def test_survive_region_checks_the_region_scenario_too_and_lost_data_is_a_breach() -> None:
    zone_only = protection([source(1)], outside_zone=backup(_ago(0.5)))
    docs, _ = _verdicts(
        {"Tier=critical": {"rpo_hours": 4, "survive": ["region"]}}, {"vol-db": zone_only}
    )
    assert docs["tag/Service=web"]["met"] is False
    assert docs["tag/Service=web"]["survive"] == ["zone", "region"]
    assert [b["domain"] for b in docs["vol-db"]["breaches"]] == ["us-east-1"]
    assert (
        "data lost if us-east-1 fails (no backup outside it)"
        in docs["vol-db"]["breaches"][0]["text"]
    )


def test_unknown_windows_leave_the_verdict_open_and_no_objectives_judge_nothing() -> None:
    docs, _ = _verdicts({"Tier=critical": {"rpo_hours": 4}})
    assert docs["vol-db"]["met"] is None
    assert docs["vol-db"]["unknown"] == ["data-loss window unknown if ue1-az1 (us-east-1a) fails"]
    assert "i-db" not in docs  # an RPO alone asks nothing of a workload
    plain = {"resources": {"instances": [{"id": "i-1"}], "volumes": [{"id": "vol-1"}]}}
    docs, _ = _verdicts(None, fragment=plain)
    assert docs == {}


def test_resource_tags_win_and_bad_tags_are_reported_not_guessed() -> None:
    fragment = {
        "resources": {
            "instances": [
                {"id": "i-1", "tags": {"Tier": "critical", "stormproof:survive": "region"}},
                {"id": "i-2", "tags": {"stormproof:survive": "everywhere"}},
                {"id": "i-3", "tags": {"stormproof:rpo-hours": "soon"}},
            ],
            "volumes": [{"id": "vol-3", "attachments": ["i-3"]}],
        }
    }
    docs, scenarios = _verdicts({"Tier=critical": {"survive": ["zone"]}}, fragment=fragment)
    assert docs["i-1"]["survive"] == ["zone", "region"] and docs["i-1"]["source"] == "tags"
    assert "i-2" not in docs and "vol-3" not in docs
    assert any("stormproof:survive='everywhere'" in p for p in scenarios.warnings)
    assert any("stormproof:rpo-hours='soon'" in p for p in scenarios.warnings)


def test_config_file_objectives(tmp_path: Path) -> None:
    path = tmp_path / "stormproof.yaml"
    path.write_text("objectives:\n  Tier=critical: {rpo_hours: 4, survive: [zone]}\n")
    assert load_config(path).objectives == {"Tier=critical": {"rpo_hours": 4, "survive": ["zone"]}}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("objectives:\n  Tier: {rpo_hours: 4}\n", "2:3:"),
        ("objectives:\n  Tier=critical: {rpo_hours: 0}\n", "2:"),
        ("objectives:\n  Tier=critical: {survive: [az]}\n", "2:"),
        ("objectives:\n  Tier=critical: {}\n", "2:"),
    ],
)
def test_bad_objectives_name_the_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "stormproof.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert f"stormproof.yaml:{problem}" in str(caught.value)
