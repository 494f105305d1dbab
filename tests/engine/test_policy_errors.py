"""Loading and validating policies: every problem is one `file:line:column: message` line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine import load_policies, validate_policy_files
from scanner.errors import InputError
from scanner.model.link.facts import fact_names

VALID = """\
id: team-asg-three-zones
title: Team ASGs span three zones
severity: medium
resource: auto_scaling_group
description: Team groups need three zones.
rationale: Two zones leave no slack.
remediation: Add a subnet in a third zone.
parameters:
  min_zones:
    default: 3
    type: integer
    description: Fewest zones.
scope:
  path: tags.team
  op: exists
violation:
  path: facts.zone_count
  op: lt
  value: {param: min_zones}
message: "{{ resource.id }} spans {{ resource.facts.zone_count }} zones."
"""


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return [str(error) for error in validate_policy_files([path])]


def test_a_valid_policy_has_no_problems(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert problems(path) == []
    [policy] = load_policies([tmp_path], include_builtin=False)
    assert policy.meta.violation_line == 16
    assert policy.meta.parameters == {"min_zones": 3}
    assert not policy.meta.builtin


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "severity: medium",
            "severity: urgent",
            "3:11: 'severity' must be one of critical, high, medium, low (got 'urgent')",
        ),
        (
            "resource: auto_scaling_group",
            "resource: vm",
            "4:11: unknown resource type 'vm' (known: instance",
        ),
        ("  op: lt", "  op: less_than", "18:7: unknown operator 'less_than' (known: eq, ne"),
        (
            "  path: facts.zone_count",
            "  path: facts.zone_count[",
            "17:9: invalid JMESPath 'facts.zone_count[': ",
        ),
        (
            "{param: min_zones}",
            "{param: max_zones}",
            "19:18: unknown parameter 'max_zones' (min_zones)",
        ),
        (
            "  path: facts.zone_count",
            "  path: facts.zonecount",
            "17:9: unknown fact 'facts.zonecount' for resource type 'auto_scaling_group'"
            f" (known: {', '.join(fact_names('auto_scaling_group'))})",
        ),
        ("title: Team ASGs span three zones\n", "", "1:1: missing required key 'title'"),
        (
            "rationale: Two zones leave no slack.",
            "rationale: Two zones leave no slack.\nrationel: typo",
            "7:1: unknown key 'rationel' (allowed:",
        ),
        ("  op: exists", "  op: exists\n  value: true", "16:3: operator 'exists' takes no value"),
        (
            "  value: {param: min_zones}",
            "  value: [2]",
            "19:10: operator 'lt' needs a number or string value, got a list",
        ),
        (
            'message: "{{ resource.id }} spans',
            'message: "{{ resource.id } spans',
            "20:10: invalid message template: unexpected '}'",
        ),
        (
            'message: "{{ resource.id }}',
            'message: "{{ snapshot.id }}',
            "20:10: message template uses unknown variable 'snapshot' (use resource or params)",
        ),
        (
            "    default: 3",
            "    default: three",
            "10:14: default of parameter 'min_zones' is not integer",
        ),
        ("id: team-asg-three-zones", "id: Team ASG", "1:5: 'id' must match"),
        (
            "scope:\n  path: tags.team\n  op: exists",
            "scope:\n  any: []",
            "14:8: 'any' needs a non-empty list of conditions",
        ),
    ],
)
def test_each_problem_points_at_its_line_and_column(
    tmp_path: Path, old: str, new: str, expected: str
):
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:{expected}"), found[0]


def test_an_operand_of_the_wrong_kind_is_reported_where_it_is_written(tmp_path: Path) -> None:
    text = VALID.replace("  op: lt\n  value: {param: min_zones}", "  op: count_ge\n  value: two")
    path = write(tmp_path, text)
    assert problems(path) == [
        f"{path}:19:10: operator 'count_ge' needs an integer value, got a string"
    ]


def test_invalid_yaml_is_one_line_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\ntitle: [unclosed\nseverity: high\n")
    [problem] = problems(path)
    assert problem.startswith(f"{path}:3:9: invalid YAML")
    assert "\n" not in problem


def test_duplicate_keys_are_errors_not_silent_overwrites(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "severity: low\n")
    assert problems(path) == [f"{path}:21:1: duplicate key 'severity'"]


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = VALID.replace("  op: lt", "  op: lesser").replace("tags.team", "tags.team[")
    path = write(tmp_path, text)
    assert problems(path) == [
        f"{path}:14:9: invalid JMESPath 'tags.team[': Invalid jmespath expression at character 11",
        f"{path}:18:7: unknown operator 'lesser' (known: eq, ne, lt, le, gt, ge, in, not_in, "
        "contains, not_contains, subset_of, superset_of, intersects, disjoint, count_eq, "
        "count_ne, count_lt, count_le, count_gt, count_ge, matches, not_matches, empty, "
        "not_empty, exists, missing, older_than_hours, older_than_days, newer_than_hours, "
        "newer_than_days)",
    ]


def test_problems_across_files_and_a_missing_path(tmp_path: Path) -> None:
    good = write(tmp_path, VALID, "good.yaml")
    bad = write(tmp_path, VALID.replace("severity: medium", "severity: 3"), "bad.yaml")
    found = [str(e) for e in validate_policy_files([good, bad, tmp_path / "nowhere.yaml"])]
    assert found == [
        f"{bad}:3:11: 'severity' must be one of critical, high, medium, low (got 3)",
        f"{tmp_path / 'nowhere.yaml'}: no such policy file or folder",
    ]


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, VALID, "a.yaml")
    second = write(tmp_path, VALID, "b.yaml")
    with pytest.raises(InputError) as raised:
        load_policies([tmp_path], include_builtin=False)
    assert str(raised.value) == (
        f"{second}:1:5: duplicate policy id 'team-asg-three-zones' (also defined in {first}:1:5)"
    )
    assert [str(e) for e in validate_policy_files([tmp_path])] == [str(raised.value)]


def test_a_custom_policy_cannot_reuse_a_builtin_id(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("id: team-asg-three-zones", "id: asg-single-az"))
    with pytest.raises(InputError) as raised:
        load_policies([tmp_path])
    message = str(raised.value)
    assert message.startswith(f"{path}:1:5: duplicate policy id 'asg-single-az' (also defined in ")
    assert message.endswith("asg-single-az.yaml:1:5)")


def test_a_policy_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- just\n- a list\n")
    assert problems(path) == [f"{path}:1:1: a policy file must be a YAML mapping"]
