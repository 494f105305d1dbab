"""Files and settings the user gives: bounded snapshot input, settings checked, output paths
checked before any AWS call, for every command that writes.

Through the real command line. Nothing listens at the AWS endpoint these tests
set: a run that reached AWS would show a collection error, not exit 2.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scanner import cli
from scanner.errors import ExitCode
from tests.hardening.test_bad_input import assert_one_clean_line

NOWHERE = "http://127.0.0.1:9"  # discard port: nothing answers
READ_ONLY = Path("/sys/stormproof-out")  # sysfs: no file can be created there, not even by root


@pytest.fixture(autouse=True)
def _no_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", NOWHERE)


def test_a_gzip_bomb_stops_at_the_decompressed_size_limit(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b"[" + b" " * (12 * 1024 * 1024) + b"]"))
    assert bomb.stat().st_size < 100_000
    monkeypatch.setenv("STORMPROOF_MAX_SNAPSHOT_MB", "10")
    output = tmp_path / "out"
    result = run_cli("scan", "--snapshot", bomb, "--output-dir", output)
    assert_one_clean_line(
        result,
        f"stormproof: {bomb}: decompressed snapshot is larger than the limit of 10 MiB",
        "set STORMPROOF_MAX_SNAPSHOT_MB to raise it",
    )
    assert not output.exists()


def test_dev_zero_as_a_snapshot_stops_at_the_limit(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORMPROOF_MAX_SNAPSHOT_MB", "5")
    result = run_cli("scan", "--snapshot", "/dev/zero", "--output-dir", tmp_path / "out")
    assert_one_clean_line(
        result, "stormproof: /dev/zero: snapshot is larger than the limit of 5 MiB", ""
    )


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "99999999"])
def test_a_bad_snapshot_limit_setting_is_one_line(
    run_cli, good_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("STORMPROOF_MAX_SNAPSHOT_MB", value)
    result = run_cli("scan", "--snapshot", good_snapshot, "--output-dir", tmp_path / "out")
    assert_one_clean_line(result, "stormproof: STORMPROOF_MAX_SNAPSHOT_MB must be", repr(value))


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1e9", "99999999999"])
def test_a_bad_max_attempts_setting_fails_before_any_aws_call(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", value)
    output = tmp_path / "out"
    result = run_cli("scan", "--regions", "us-east-1", "--output-dir", output)
    assert_one_clean_line(
        result, "stormproof: AWS_MAX_ATTEMPTS (or max_attempts) must be a whole number", ""
    )
    assert not output.exists()


def test_an_empty_output_dir_is_a_usage_error(run_cli) -> None:
    result = run_cli("scan", "--regions", "us-east-1", "--output-dir", "")
    assert_one_clean_line(result, "stormproof: error: --output-dir: an empty value", "")


def commands_writing_to(target: Path, snapshot: Path) -> dict[str, list[str]]:
    return {
        "scan": ["scan", "--regions", "us-east-1", "--output-dir", str(target)],
        "collect": ["collect", "--regions", "us-east-1", "--output", str(target / "s.json")],
        "merge": ["merge", "--output", str(target / "m.json"), str(snapshot), str(snapshot)],
        "policies docs": ["policies", "docs", "--output", str(target / "policies.md")],
    }


@pytest.mark.parametrize("command", ["scan", "collect", "merge", "policies docs"])
def test_a_file_in_place_of_the_output_folder_fails_at_once(
    run_cli, good_snapshot: Path, tmp_path: Path, command: str
) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("precious")
    result = run_cli(*commands_writing_to(blocker, good_snapshot)[command])
    assert result.code == ExitCode.BAD_INPUT, result.err
    [line] = result.err_lines
    assert line.startswith(f"stormproof: {blocker}") and "not a folder" in line, line
    assert "collection error" not in result.out + result.err  # no AWS call was made
    assert blocker.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("command", ["scan", "collect", "merge", "policies docs"])
def test_an_output_folder_that_cannot_be_written_fails_at_once(
    run_cli, good_snapshot: Path, command: str
) -> None:
    result = run_cli(*commands_writing_to(READ_ONLY, good_snapshot)[command])
    assert result.code == ExitCode.BAD_INPUT, result.err
    [line] = result.err_lines
    assert "cannot write there" in line, line
    assert not READ_ONLY.exists()


def test_a_waiver_for_a_policy_not_loaded_is_a_warning_in_every_output(
    run_cli, good_snapshot: Path, tmp_path: Path
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - policy: team-only-policy\n"
        '    resource: "*"\n'
        "    reason: accepted\n"
        "    owner: platform-team\n"
        "    expires: 2999-01-01\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    result = run_cli(
        "scan", "--snapshot", good_snapshot, "--waivers", waivers, "--output-dir", output
    )
    assert result.code == ExitCode.FINDINGS, result.err
    findings = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    [warning] = [w for w in findings["warnings"] if "team-only-policy" in w["message"]]
    assert "matches no loaded policy" in warning["message"]
    assert "team-only-policy" in (output / "summary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_an_internal_error_is_70_with_or_without_debug(
    capsys: pytest.CaptureFixture[str],
    good_snapshot: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    debug: list[str],
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("scanner.engine.evaluate", broken)
    code = cli.main(
        [*debug, "scan", "--snapshot", str(good_snapshot), "--output-dir", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == ExitCode.INTERNAL_ERROR == 70
    assert "stormproof: internal error: RuntimeError: a bug" in err
    assert ("Traceback" in err) == bool(debug)
