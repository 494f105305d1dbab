"""``stormproof collect`` as a command: flags, exit codes, what it says on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.cli import main
from scanner.errors import ExitCode
from scanner.mockaws import DlmStandIn, deny_service
from scanner.model.snapshot import load_snapshot
from tests.collect.estate import WEST


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--output", "snap.txt"], "--output must end in .json or .json.gz"),
        (["--output", "s.json", "--accounts", "1111"], "--accounts: 1111 is not an AWS account"),
        (["--output", "s.json", "--shard", "0/3"], "--shard must be K/N"),
        (["--output", "s.json", "--max-workers", "0"], "--max-workers must be from 1 to 256"),
        (["--output", "s.json", "--regions", "Mars"], "--regions: Mars is not a Region name"),
        (["--output", "s.json", "--profile", "nope"], "--profile: The config profile (nope)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    flags: list[str], message: str, tmp_path: Path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["collect", *flags]) == ExitCode.BAD_INPUT
    line = one_line(capsys.readouterr().err)
    assert line.startswith("stormproof: ") and message in line
    assert list(tmp_path.iterdir()) == []


def test_quiet_complete_run_says_nothing_and_exits_0(
    tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn, capsys
):
    output = tmp_path / "out" / "snapshot.json"
    assert main(["-q", "collect", "--regions", WEST, "--output", str(output)]) == ExitCode.CLEAN
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    assert load_snapshot(output)["scope"]["regions"] == [WEST]


def test_incomplete_run_exits_3_and_says_why_even_when_quiet(
    tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn, capsys
):
    output = tmp_path / "snapshot.json"
    with deny_service("autoscaling", WEST, code="AccessDenied", message="no"):
        code = main(["-q", "collect", "--regions", WEST, "--output", str(output)])
    assert code == ExitCode.INCOMPLETE
    err = capsys.readouterr().err
    assert "INCOMPLETE: 1 collection error(s)" in err
    assert f"123456789012 {WEST} autoscaling:DescribeAutoScalingGroups: AccessDenied: no" in err
    assert load_snapshot(output)["units"][0]["errors"][0]["code"] == "AccessDenied"


def test_verbose_logs_every_call(
    tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn, capsys
):
    output = tmp_path / "snapshot.json"
    assert main(["-v", "collect", "--regions", WEST, "--output", str(output)]) == ExitCode.CLEAN
    err = capsys.readouterr().err
    assert f"123456789012 {WEST} ec2:DescribeInstances" in err
    assert "dlm:GetLifecyclePolicies" in err
    assert "stormproof: collected 1 unit(s)" in err


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_profiles_come_from_the_standard_chain(
    how: str, tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn, monkeypatch
):
    config, credentials = tmp_path / "config", tmp_path / "credentials"
    config.write_text(f"[profile audit]\nregion = {WEST}\n")
    credentials.write_text(
        "[audit]\naws_access_key_id = AKIDAUDIT\naws_secret_access_key = s3cr3t\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(name)
    flags = ["--profile", "audit"] if how == "flag" else []
    if how == "environment":
        monkeypatch.setenv("AWS_PROFILE", "audit")
    output = tmp_path / "snapshot.json"
    # No --regions: DescribeRegions goes to the profile's Region, not the us-east-1 fallback.
    with deny_service("ec2", "us-east-1"):
        code = main(["-q", "collect", *flags, "--shard", "1/40", "--output", str(output)])
    assert code == ExitCode.CLEAN
    document = load_snapshot(output)
    assert document["scope"]["accounts"] == ["123456789012"] and len(document["units"]) == 1
    assert "s3cr3t" not in output.read_text()
