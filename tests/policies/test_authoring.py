"""Writing a custom policy: typos in paths and message templates fail at validate and test
time with the closest valid names; matching is documented and both kinds exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import cli

POLICY = """\
id: custom-check
title: A custom check
severity: medium
resource: auto_scaling_group
description: d
rationale: r
remediation: fix it
references: [https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-az-console.html]
parameters:
  min_zones: {{default: 2, type: integer, description: fewest zones}}
violation:
  path: {path}
  op: {op}
  value: {value}
message: >
  {message}
tests:
  - name: one zone
    snapshot:
      resources:
        auto_scaling_groups:
          - {{id: web, zones: [us-east-1a]}}
          - {{id: api, zones: [us-east-1a, us-east-1b]}}
    fail: [web]
    pass: [api]
"""


def write_policy(tmp_path: Path, **fields: str) -> Path:
    values = {
        "path": "facts.zone_count",
        "op": "lt",
        "value": "{param: min_zones}",
        "message": "Group {{ resource.id }} has {{ resource.facts.zone_count }} zone(s).",
        **fields,
    }
    path = tmp_path / "custom.yaml"
    path.write_text(POLICY.format(**values))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"path": "health_check_typ", "op": "eq", "value": "EC2"},
            "path 'health_check_typ': 'health_check_typ' is not a field of the "
            "auto_scaling_group document; did you mean health_check_type,",
        ),
        (
            {"path": "instances_count", "op": "eq", "value": "1"},
            "did you mean instances",
        ),
        (
            {"message": "Group {{ resource.facts.zone_cnt }} zones."},
            "message template: 'resource.facts.zone_cnt': 'facts.zone_cnt' is not a field "
            "of facts; did you mean facts.zone_count",
        ),
        (
            {"message": "Group {{ resource.regoin }}."},
            "did you mean region",
        ),
        (
            {"message": "needs {{ params.min_zone }}."},
            "unknown parameter 'params.min_zone' (declared: min_zones)",
        ),
    ],
)
def test_validate_and_test_reject_names_that_are_not_fields(
    tmp_path: Path, capsys, fields: dict[str, str], expected: str
):
    path = write_policy(tmp_path, **fields)
    for action in ("validate", "test"):
        code, output = run(capsys, "policies", action, path)
        assert code == 2, output
        assert f"{path}:" in output and expected in output, output


def test_a_correct_policy_validates_and_its_tests_pass(tmp_path: Path, capsys):
    path = write_policy(tmp_path)
    assert run(capsys, "policies", "validate", path)[0] == 0
    code, output = run(capsys, "policies", "test", path)
    assert code == 0 and "ok        custom-check (1 cases)" in output


def test_tags_and_nested_facts_are_fields(tmp_path: Path, capsys):
    path = write_policy(
        tmp_path,
        message="{{ resource.tags.Team }} {{ resource.facts.zones[0].name }} "
        "{{ resource.instances[0].zone }}",
    )
    assert run(capsys, "policies", "validate", path)[0] == 0


def test_a_failing_case_prints_one_line_per_mismatch(tmp_path: Path, capsys):
    path = write_policy(tmp_path, op="ge")  # inverted: web passes, api fails
    code, output = run(capsys, "policies", "test", path)
    assert code == 1
    mismatches = [line for line in output.splitlines() if line.startswith("    ")]
    assert mismatches == [
        f"    {path}:18:5: one zone: expected web to fail, got pass",
        f"    {path}:18:5: one zone: expected api to pass, got fail",
    ]
