"""Remediation templates, evidence paths and `supersedes`, through `stormproof policies`."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import cli
from scanner.engine import load_policies
from scanner.errors import ExitCode
from tests.engine.test_policy_errors import VALID, write

TEMPLATED = VALID.replace(
    "remediation: Add a subnet in a third zone.",
    "remediation: |\n"
    "  Add a subnet in a third zone:\n"
    "      aws autoscaling update-auto-scaling-group --auto-scaling-group-name {{ resource.id }}\n"
    "supersedes: [asg-single-az]\n"
    "evidence: [facts.zone_names, subnet_ids]",
)


def _validate(capsys, path: Path) -> tuple[int, list[str]]:
    code = cli.main(["policies", "validate", str(path)])
    captured = capsys.readouterr()
    return code, [line for line in (captured.out + captured.err).splitlines() if line]


def test_a_templated_remediation_shows_placeholders_until_it_meets_a_resource(
    tmp_path: Path, capsys
) -> None:
    path = write(tmp_path, TEMPLATED)
    code, lines = _validate(capsys, path)
    assert code == ExitCode.CLEAN, lines
    [policy] = load_policies([tmp_path], include_builtin=False)
    assert policy.meta.remediation.splitlines() == [
        "Add a subnet in a third zone:",
        "    aws autoscaling update-auto-scaling-group --auto-scaling-group-name <id>",
    ]
    assert policy.meta.supersedes == ("asg-single-az",)
    assert [path.text for path in policy.evidence_paths] == ["facts.zone_names", "subnet_ids"]
    text = policy.remediation.render({"id": "web"}, {}, fallback="")
    assert text.endswith("--auto-scaling-group-name web")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{{ resource.id }}\n",
            "{{ snapshot.id }}\n",
            "7:14: remediation template uses unknown variable 'snapshot' (use resource or params)",
        ),
        ("{{ resource.id }}\n", "{{ resource.id }\n", "8:14: invalid remediation template:"),
        (
            "supersedes: [asg-single-az]",
            "supersedes: [team-asg-three-zones]",
            "10:13: a policy cannot supersede itself",
        ),
        ("supersedes: [asg-single-az]", "supersedes: [Not An Id]", "10:14: 'supersedes[0]'"),
        (
            "evidence: [facts.zone_names, subnet_ids]",
            "evidence: [facts.zonenames]",
            "11:12: unknown fact 'facts.zonenames' for resource type 'auto_scaling_group'",
        ),
        (
            "evidence: [facts.zone_names, subnet_ids]",
            "evidence: ['zones[']",
            "11:12: invalid evidence path 'zones[':",
        ),
    ],
)
def test_each_mistake_is_one_line_at_its_place(
    tmp_path: Path, capsys, old: str, new: str, expected: str
) -> None:
    assert old in TEMPLATED
    path = write(tmp_path, TEMPLATED.replace(old, new, 1))
    code, lines = _validate(capsys, path)
    assert code == ExitCode.BAD_INPUT
    problems = [line for line in lines if line.startswith(str(path))]
    assert len(problems) == 1, lines
    assert problems[0].startswith(f"{path}:{expected}"), problems[0]
