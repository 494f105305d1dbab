"""`stormproof policies ...` as a user runs it: output, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import main
from scanner.engine import load_policies
from scanner.engine.operators import OPERATORS
from scanner.engine.policy_docs import render_policy_docs
from scanner.errors import ExitCode

CUSTOM = """\
id: team-instances-tagged
title: Instances carry a team tag
severity: low
resource: instance
description: Every instance names its team.
rationale: Owners are needed during an incident.
remediation: aws ec2 create-tags --resources i-ID --tags Key=team,Value=NAME
violation:
  path: tags.team
  op: missing
message: "Instance {{ resource.id }} has no team tag."
tests:
  - name: tagged and untagged
    snapshot:
      resources:
        instances:
          - {id: i-tagged, tags: {team: web}}
          - {id: i-bare}
    fail: [FAILING]
    pass: [i-tagged]
"""


def custom_dir(tmp_path: Path, failing: str = "i-bare") -> Path:
    folder = tmp_path / "org-policies"
    folder.mkdir()
    (folder / "team-instances-tagged.yaml").write_text(CUSTOM.replace("FAILING", failing))
    return folder


def test_list_shows_builtin_and_custom_policies(tmp_path: Path, capsys) -> None:
    code = main(["policies", "--policies", str(custom_dir(tmp_path)), "list"])
    out = capsys.readouterr().out.splitlines()
    assert code == ExitCode.CLEAN
    assert out[0].split() == ["ID", "SEVERITY", "RESOURCE", "SOURCE", "TITLE"]
    assert len(out) == 1 + len(load_policies()) + 1  # the header, built-ins and the custom one
    assert any(
        line.split()[:4] == ["team-instances-tagged", "low", "instance", "custom"] for line in out
    )
    assert any(
        line.split()[:4] == ["asg-single-az", "high", "auto_scaling_group", "built-in"]
        for line in out
    )


def test_show_one_policy(capsys) -> None:
    assert main(["policies", "show", "local-zone-failover-to-parent"]) == ExitCode.CLEAN
    out = capsys.readouterr().out
    assert out.startswith(
        "local-zone-failover-to-parent: Local Zone workload whose zones all depend on one "
        "Availability Zone\n"
    )
    assert (
        "rests on:   auto_scaling_group (unit), instance (unit), subnet (unit), zone (unit)" in out
    )
    assert "aws ec2 describe-availability-zones" in out


def test_show_an_unknown_id_is_one_line(capsys) -> None:
    assert main(["policies", "show", "nope"]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err == "stormproof: no policy with id 'nope' (see `stormproof policies list`)\n"


def test_config_severity_shows_in_list(tmp_path: Path, capsys) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "policies:\n  asg-single-az: {severity: critical}\ndisabled: [fleet-single-az]\n"
    )
    assert main(["policies", "--config", str(config), "list"]) == ExitCode.CLEAN
    out = capsys.readouterr().out
    assert "asg-single-az" in out and "critical" in out and "fleet-single-az" not in out


def test_validate_good_and_bad_files(tmp_path: Path, capsys) -> None:
    folder = custom_dir(tmp_path)
    assert main(["policies", "validate", str(folder)]) == ExitCode.CLEAN
    bad = folder / "bad.yaml"
    bad.write_text(
        CUSTOM.replace("op: missing", "op: absent").replace("severity: low", "severity: 1")
    )
    capsys.readouterr()
    assert (
        main(["policies", "validate", str(folder), str(tmp_path / "gone.yaml")])
        == ExitCode.BAD_INPUT
    )
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{bad}:3:11: 'severity' must be one of critical, high, medium, low (got 1)",
        f"{bad}:10:7: unknown operator 'absent' (known: {', '.join(OPERATORS)})",
        f"{tmp_path / 'gone.yaml'}: no such policy file or folder",
    ]
    assert "Traceback" not in err


def test_validate_the_builtin_library(capsys) -> None:
    folder = Path(load_policies()[0].meta.source_path).parent
    assert main(["policies", "validate", str(folder)]) == ExitCode.CLEAN


def test_test_runs_builtin_cases_by_default(capsys) -> None:
    assert main(["policies", "test"]) == ExitCode.CLEAN
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(load_policies())
    assert all(line.startswith("ok ") for line in out)
    assert "ok        asg-single-az (6 cases)" in out


def test_test_reports_a_failing_custom_case(tmp_path: Path, capsys) -> None:
    folder = custom_dir(tmp_path, failing="i-tagged")
    assert main(["policies", "test", str(folder)]) == ExitCode.FINDINGS
    out = capsys.readouterr().out.splitlines()
    policy_file = folder / "team-instances-tagged.yaml"
    assert out == [
        "FAIL      team-instances-tagged (0/1 cases pass)",
        f"    {policy_file}:13:5: tagged and untagged: expected i-tagged to fail, got pass",
        f"    {policy_file}:13:5: tagged and untagged: "
        "i-bare failed but the case does not expect it to",
    ]


def test_test_reports_a_malformed_fragment_without_a_traceback(tmp_path: Path, capsys) -> None:
    folder = custom_dir(tmp_path)
    policy_file = folder / "team-instances-tagged.yaml"
    policy_file.write_text(policy_file.read_text().replace("- {id: i-bare}", "- {name: i-bare}"))
    assert main(["policies", "test", str(folder)]) == ExitCode.FINDINGS
    out, err = capsys.readouterr()
    assert out.splitlines()[1] == (
        f"    {policy_file}:13:5: tagged and untagged: "
        "resources.instances must be a list of records, each with a string id"
    )
    assert "Traceback" not in out + err


def test_test_passes_a_good_custom_case(tmp_path: Path, capsys) -> None:
    assert main(["policies", "test", str(custom_dir(tmp_path))]) == ExitCode.CLEAN
    assert capsys.readouterr().out == "ok        team-instances-tagged (1 cases)\n"


@pytest.mark.parametrize("to_file", [True, False])
def test_docs(tmp_path: Path, capsys, to_file: bool) -> None:
    expected = render_policy_docs(load_policies())
    if to_file:
        target = tmp_path / "policies.md"
        assert main(["policies", "docs", "--output", str(target)]) == ExitCode.CLEAN
        assert target.read_text(encoding="utf-8") == expected
    else:
        assert main(["policies", "docs"]) == ExitCode.CLEAN
        assert capsys.readouterr().out == expected
