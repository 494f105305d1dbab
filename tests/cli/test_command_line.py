"""The command line as users of other scanners type it: one format to standard output,
no abbreviated flags, policy selection, color control, config discovery."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot

FRAGMENT = {
    "resources": {
        "auto_scaling_groups": [
            {"id": "web", "zones": ["us-east-1a"]},
            {"id": "api", "zones": ["us-east-1a", "us-east-1b"]},
        ]
    }
}


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dump_snapshot(expand_fragment(FRAGMENT), tmp_path_factory.mktemp("s") / "s.json")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    def run(*argv: object) -> Run:
        capsys.readouterr()
        try:
            code = cli.main([str(arg) for arg in argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def stormproof(*argv: object, cwd: Path | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "scanner", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def test_one_format_to_standard_output_is_that_format_only(snapshot: Path, tmp_path: Path):
    result = stormproof(
        "scan", "--snapshot", snapshot, "--format", "json", "--output", "-", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)  # what `| jq` reads: nothing but the JSON
    assert {f["policy_id"] for f in document["findings"] if f["status"] == "open"} >= {
        "asg-single-az"
    }
    assert "FAIL (exit 1)" in result.stderr  # the summary went to standard error
    assert list(tmp_path.iterdir()) == []  # and no stormproof-out/ appeared


def test_one_format_to_a_file_writes_that_file_only(run_cli, snapshot: Path, tmp_path: Path):
    target = tmp_path / "results.sarif"
    result = run_cli("scan", "--snapshot", snapshot, "--format", "sarif", "--output", target)
    assert result.code == 1, result.err
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.sarif"]
    assert "FAIL (exit 1)" in result.err and result.out == ""


@pytest.mark.parametrize(
    "flags",
    [["--output", "-"], ["--output", "-", "--format", "json,sarif"]],
)
def test_output_needs_exactly_one_format(run_cli, snapshot: Path, flags: list[str]):
    result = run_cli("scan", "--snapshot", snapshot, *flags)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--output writes exactly one format" in result.err


def test_output_and_output_dir_together_are_a_usage_error(run_cli, snapshot: Path, tmp_path):
    result = run_cli(
        "scan",
        "--snapshot",
        snapshot,
        "--format",
        "json",
        "--output",
        "-",
        "--output-dir",
        tmp_path,
    )
    assert result.code == 2 and "not allowed with argument" in result.err


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", "--output-d=x"],
        ["scan", "--exclude=asg-*"],
        ["scan", "--sev=high"],
        ["policies", "--pol=x", "list"],
        ["collect", "--output=s.json", "--prof=x"],
    ],
)
def test_abbreviated_long_options_are_refused(run_cli, argv: list[str]):
    result = run_cli(*argv)
    assert result.code == 2
    assert f"unrecognized arguments: {argv[-1] if argv[0] != 'policies' else argv[1]}" in (
        result.err
    )


def evaluated_policies(path: Path) -> set[str]:
    return {policy["id"] for policy in json.loads(path.read_text())["policies"]}


def builtin_ids(pattern: str) -> set[str]:
    from fnmatch import fnmatchcase

    from scanner.engine import load_policies

    return {p.id for p in load_policies() if fnmatchcase(p.id, pattern)}


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--policy", "asg-single-az"], lambda: {"asg-single-az"}),
        (["--policy", "asg-*"], lambda: builtin_ids("asg-*")),
        (
            ["--policy", "asg-*", "--exclude-policy", "asg-no-elb-health-check"],
            lambda: builtin_ids("asg-*") - {"asg-no-elb-health-check"},
        ),
        (
            ["--policy", "elb-*", "--policy", "asg-single-az"],
            lambda: builtin_ids("elb-*") | {"asg-single-az"},
        ),
    ],
)
def test_policy_selection_decides_what_is_evaluated(
    run_cli, snapshot: Path, tmp_path: Path, flags: list[str], expected
):
    target = tmp_path / "findings.json"
    result = run_cli("scan", "--snapshot", snapshot, "--format", "json", "--output", target, *flags)
    assert result.code in (0, 1), result.err
    wanted = expected()
    assert len(wanted) >= 1 and evaluated_policies(target) == wanted
    if "asg-*" in flags:
        assert "asg-single-az" in wanted and "asg-no-elb-health-check" in builtin_ids("asg-*")


def test_severity_keeps_policies_at_or_above_it(run_cli, snapshot: Path, tmp_path: Path):
    target = tmp_path / "findings.json"
    result = run_cli(
        "scan", "--snapshot", snapshot, "--format", "json", "--output", target, "--severity", "high"
    )
    assert result.code in (0, 1), result.err
    severities = {p["severity"] for p in json.loads(target.read_text())["policies"]}
    assert severities and severities <= {"critical", "high"}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--policy", "asg-single-zone"], "--policy 'asg-single-zone' matches no policy"),
        (["--exclude-policy", "nope-*"], "--exclude-policy 'nope-*' matches no policy"),
        (["--policy", "asg-*", "--exclude-policy", "asg-*"], "select no policy"),
    ],
)
def test_a_selection_that_matches_nothing_is_an_error(
    run_cli, snapshot: Path, flags: list[str], message: str
):
    result = run_cli("scan", "--snapshot", snapshot, "--format", "json", "--output", "-", *flags)
    assert result.code == 2
    assert message in result.err and result.err.count("\n") == 1


def test_a_mistyped_policy_id_gets_the_closest_ids(run_cli, snapshot: Path):
    result = run_cli("scan", "--snapshot", snapshot, "--policy", "asg-single-zone")
    assert "did you mean asg-single-az" in result.err


def test_no_color_turns_colors_off_on_a_terminal(snapshot: Path, tmp_path: Path):
    import os
    import pty

    def terminal_output(*flags: str) -> str:
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        process = subprocess.Popen(
            [sys.executable, "-m", "scanner", "scan", "--snapshot", str(snapshot), *flags],
            stdout=follower,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
            env={**env, "TERM": "xterm"},
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
        os.close(leader)
        return b"".join(chunks).decode()

    assert "\x1b[" in terminal_output()
    assert "\x1b[" not in terminal_output("--no-color")


def config_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("disabled: [asg-single-az]\n")
    return path


@pytest.mark.parametrize("name", ["stormproof.yaml", ".stormproof/config.yaml"])
def test_a_config_in_the_current_directory_is_read_and_named(
    snapshot: Path, tmp_path: Path, name: str
):
    config_file(tmp_path, name)
    result = stormproof(
        "scan", "--snapshot", snapshot, "--format", "json", "--output", "-", cwd=tmp_path
    )
    assert f"using config {name} (from the current directory)" in result.stderr
    assert "asg-single-az" not in {p["id"] for p in json.loads(result.stdout)["policies"]}


def test_stormproof_config_names_the_config(snapshot: Path, tmp_path: Path):
    import os

    path = config_file(tmp_path / "elsewhere", "team.yaml")
    env = {**os.environ, "STORMPROOF_CONFIG": str(path)}
    result = stormproof("policies", "list", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert f"using config {path} (from STORMPROOF_CONFIG)" in result.stderr
    assert "asg-single-az" not in result.stdout and "elb-single-az" in result.stdout


def test_config_flag_wins_and_is_not_announced(run_cli, snapshot: Path, tmp_path: Path):
    config_file(tmp_path, "stormproof.yaml")
    other = tmp_path / "empty.yaml"
    other.write_text("{}\n")
    result = run_cli("policies", "--config", other, "list")
    assert result.code == 0 and "using config" not in result.err
    assert "asg-single-az" in result.out


def test_both_discoverable_configs_is_an_error(snapshot: Path, tmp_path: Path):
    config_file(tmp_path, "stormproof.yaml")
    config_file(tmp_path, ".stormproof/config.yaml")
    result = stormproof("policies", "list", cwd=tmp_path)
    assert result.returncode == 2
    assert "both stormproof.yaml and .stormproof/config.yaml" in result.stderr


def test_a_missing_stormproof_config_file_is_an_error(tmp_path: Path):
    import os

    env = {**os.environ, "STORMPROOF_CONFIG": str(tmp_path / "nope.yaml")}
    result = stormproof("policies", "list", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "STORMPROOF_CONFIG" in result.stderr


def test_help_lists_every_exit_code_the_readme_lists(run_cli):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")}
    codes -= {"Code", "---"}
    help_text = run_cli("--help").out.split("exit codes:", 1)[1]
    listed = {line.split()[0] for line in help_text.splitlines() if line.strip()}
    assert codes == listed == {"0", "1", "2", "3", "70", "130"}
