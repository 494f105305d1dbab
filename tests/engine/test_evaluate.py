"""Evaluation: deterministic findings, reproducible time, statistics, unknown results, messages."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.engine import evaluate, evaluation_time, load_config, load_policies
from scanner.engine.fragments import expand_fragment
from scanner.model.link import link_snapshot

BUILTINS = load_policies()


def every_case_snapshot() -> dict:
    """One snapshot holding every built-in case's fragment, each in its own account."""
    units = []
    for number, case in enumerate(c for p in BUILTINS for c in p.cases):
        fragment = case.snapshot
        for unit in fragment.get("units") or [fragment]:
            account = f"{100000000000 + number:012d}"
            keys = ("region", "zones", "errors", "resources")
            units.append({"account": account, **{k: unit[k] for k in keys if k in unit}})
    return expand_fragment({"units": units})


def serialized(evaluation) -> bytes:
    rows = [dataclasses.asdict(finding) for finding in evaluation.findings]
    return json.dumps(rows, sort_keys=True, separators=(",", ":")).encode()


def test_same_snapshot_gives_byte_identical_findings() -> None:
    snapshot = every_case_snapshot()
    first = serialized(evaluate(link_snapshot(snapshot), BUILTINS))
    second = serialized(evaluate(link_snapshot(snapshot), BUILTINS))
    assert first == second
    assert len(json.loads(first)) > 50


def test_record_and_unit_order_do_not_change_findings() -> None:
    snapshot = every_case_snapshot()
    shuffled = json.loads(json.dumps(snapshot))
    shuffled["units"].reverse()
    for unit in shuffled["units"]:
        for records in unit["resources"].values():
            records.reverse()
    assert serialized(evaluate(link_snapshot(shuffled), BUILTINS)) == serialized(
        evaluate(link_snapshot(snapshot), BUILTINS)
    )


def test_findings_are_sorted_by_severity_then_policy_then_resource() -> None:
    findings = evaluate(link_snapshot(every_case_snapshot()), BUILTINS).findings
    keys = [(f.sort_key(), f.resource_id) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity == "high" and findings[-1].severity == "low"


SNAPSHOT_AGE = {
    "finished_at": "2026-01-15T12:00:00Z",
    "resources": {
        "instances": [{"id": "i-1"}],
        "volumes": [{"id": "vol-1", "attachments": ["i-1"]}],
        "snapshots": [{"id": "snap-1", "volume_id": "vol-1", "start_time": "2026-01-10T12:00:00Z"}],
    },
}


def _by_id(policy_id: str):
    return [p for p in BUILTINS if p.id == policy_id]


def test_now_is_the_snapshot_finished_at_unless_given() -> None:
    snapshot = expand_fragment(SNAPSHOT_AGE)
    model = link_snapshot(snapshot)
    policies = _by_id("volume-no-recent-snapshot")
    assert evaluation_time(snapshot) == datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert evaluate(model, policies).findings == []  # five days old at scan time
    later = evaluate(model, policies, now=datetime(2026, 2, 1, tzinfo=UTC))
    assert [(f.resource_id, f.status) for f in later.findings] == [("vol-1", "open")]


def test_now_falls_back_to_the_latest_unit() -> None:
    snapshot = expand_fragment(SNAPSHOT_AGE)
    snapshot["finished_at"] = None
    snapshot["units"][0]["finished_at"] = "2026-03-01T00:00:00Z"
    assert evaluation_time(snapshot) == datetime(2026, 3, 1, tzinfo=UTC)


def test_statistics_count_in_scope_resources() -> None:
    snapshot = expand_fragment(
        {
            "errors": [{"service": "dlm", "operation": "GetLifecyclePolicies"}],
            "resources": {
                "instances": [{"id": "i-1"}],
                "volumes": [
                    {"id": "vol-1", "attachments": ["i-1"]},
                    {"id": "vol-2", "attachments": ["i-1"]},
                    {"id": "vol-spare"},
                ],
                "snapshots": [
                    {"id": "snap-1", "volume_id": "vol-1", "start_time": "2026-01-15T00:00:00Z"}
                ],
            },
        }
    )
    policies = _by_id("volume-no-dlm-policy") + _by_id("volume-no-recent-snapshot")
    result = evaluate(link_snapshot(snapshot), policies)
    assert dataclasses.asdict(result.stats["volume-no-dlm-policy"]) == {
        "evaluated": 2,
        "passed": 0,
        "failed": 0,
        "unknown": 2,
        "waived": 0,
        "superseded": 0,
    }
    assert dataclasses.asdict(result.stats["volume-no-recent-snapshot"]) == {
        "evaluated": 2,
        "passed": 1,
        "failed": 1,
        "unknown": 0,
        "waived": 0,
        "superseded": 0,
    }
    assert [m.id for m in result.policies] == ["volume-no-dlm-policy", "volume-no-recent-snapshot"]


def test_an_unknown_finding_says_what_was_not_collected() -> None:
    snapshot = expand_fragment(
        {
            "account": "111122223333",
            "errors": [
                {
                    "service": "dlm",
                    "operation": "GetLifecyclePolicies",
                    "code": "AccessDeniedException",
                }
            ],
            "resources": {
                "instances": [{"id": "i-1"}],
                "volumes": [{"id": "vol-1", "attachments": ["i-1"]}],
            },
        }
    )
    [finding] = evaluate(link_snapshot(snapshot), _by_id("volume-no-dlm-policy")).findings
    assert finding.status == "unknown"
    assert finding.message == (
        "EBS volume vol-1 cannot be judged by volume-no-dlm-policy: dlm:GetLifecyclePolicies "
        "failed in 111122223333/us-east-1 (AccessDeniedException)."
    )
    assert finding.evidence["collection_errors"] == [
        "dlm:GetLifecyclePolicies failed in 111122223333/us-east-1 (AccessDeniedException)"
    ]
    assert finding.arn == "arn:aws:ec2:us-east-1:111122223333:volume/vol-1"


CUSTOM = """\
id: team-tag-required
title: Instances carry a team tag
severity: low
resource: instance
description: Every instance names its team.
rationale: Owners are needed during an incident.
remediation: aws ec2 create-tags --resources i-ID --tags Key=team,Value=NAME
violation:
  path: tags.team
  op: missing
message: "{{ resource.id }} has no team tag{{ resource.facts.zone.name.upper() }}{{ TAIL }}"
"""


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("", "i-1 has no team tagUS-EAST-1A"),
        # Calling into what the sandbox forbids fails at render time: a plain message, no crash.
        (
            "{{ resource.clear() }}",
            "Instance i-1: Instances carry a team tag (message template failed: SecurityError)",
        ),
    ],
)
def test_messages_render_in_a_sandbox(tmp_path: Path, tail: str, expected: str) -> None:
    (tmp_path / "p.yaml").write_text(CUSTOM.replace("{{ TAIL }}", tail), encoding="utf-8")
    policies = load_policies([tmp_path], include_builtin=False)
    model = link_snapshot(expand_fragment({"resources": {"instances": [{"id": "i-1"}]}}))
    [finding] = evaluate(model, policies).findings
    assert finding.message.replace("EC2 instance", "Instance") == expected


def test_config_overrides_reach_the_findings(tmp_path: Path) -> None:
    config_path = tmp_path / "stormproof.yaml"
    config_path.write_text(
        "policies:\n  volume-no-recent-snapshot:\n    severity: critical\n"
        "    parameters: {max_age_days: 3}\n",
        encoding="utf-8",
    )
    policies = [
        p
        for p in load_policies(config=load_config(config_path))
        if p.id == "volume-no-recent-snapshot"
    ]
    [finding] = evaluate(link_snapshot(expand_fragment(SNAPSHOT_AGE)), policies).findings
    assert (finding.severity, finding.status) == ("critical", "open")
    assert finding.evidence["params.max_age_days"] == 3
