"""Bad input, through the real command line: one line naming file, line and problem; exit 2.

Every case also checks that nothing was written: the output folder does not
even exist afterwards, because every user file is read and checked before
anything is rendered or collected.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scanner.errors import ExitCode
from tests.hardening.conftest import CORPUS, CliRun

# (flag, corpus file, what follows the path in the message, a fragment of the problem)
CORPUS_CASES: list[tuple[str, str, str, str]] = [
    ("--policies", "policies/malformed-yaml.yaml", ":3:9", "invalid YAML"),
    ("--policies", "policies/tab-indented.yaml", ":14:1", "invalid YAML"),
    ("--policies", "policies/schema-invalid.yaml", ":3:11", "'severity' must be one of"),
    ("--policies", "policies/missing-violation.yaml", ":1:1", "missing required key 'violation'"),
    ("--policies", "policies/invalid-jmespath.yaml", ":14:9", "invalid JMESPath"),
    ("--policies", "policies/unknown-resource-type.yaml", ":4:11", "unknown resource type"),
    ("--policies", "policies/unknown-operator.yaml", ":15:7", "unknown operator 'fewer_than'"),
    ("--policies", "policies/unknown-fact.yaml", ":14:9", "unknown fact 'facts.zones_count'"),
    ("--policies", "policies/duplicate-key.yaml", ":18:1", "duplicate key 'severity'"),
    ("--policies", "policies/merge-key.yaml", ":4:1", "merge keys (<<) are not supported"),
    ("--policies", "policies/python-object-key.yaml", ":6:1", "invalid YAML key"),
    ("--policies", "policies/python-object-value.yaml", ":2:8", "invalid YAML value"),
    ("--policies", "policies/not-a-mapping.yaml", ":1:1", "a policy file must be a YAML mapping"),
    ("--policies", "policies/template-escape.yaml", ":17:10", "unknown variable 'cycler'"),
    ("--policies", "policies/template-include.yaml", ":17:10", "cannot use include"),
    ("--policies", "policies/bad-parameter-default.yaml", ":10:14", "is not integer"),
    ("--policies", "policies/alias-bomb.yaml", ":1:1", "expands to more than"),
    ("--policies", "policies/deep-nesting.yaml", "", "nested too deeply"),
    ("--policies", "policies/not-utf8.yaml", "", "not UTF-8 text"),
    ("--policies", "policies/empty-folder", "", "no policy files"),
    ("--policies", "policies/nan-value.yaml", ":16:10", "NaN is not a number"),
    ("--policies", "policies/infinity-value.yaml", ":16:10", "infinity is out of range"),
    ("--policies", "policies/absurd-number.yaml", ":16:10", "number 1e+300 is out of range"),
    ("--policies", "policies/huge-integer.yaml", ":16:10", "literal of 5,000 digits"),
    ("--policies", "policies/huge-parameter-default.yaml", ":10:14", "literal of 41 digits"),
    ("--policies", "policies/unknown-function.yaml", ":14:9", "unknown function zone_total()"),
    ("--policies", "policies/wrong-arity.yaml", ":14:9", "length() takes 1 argument(s), got 2"),
    ("--policies", "policies/path-too-long.yaml", ":14:9", "longer than 1,000 characters"),
    ("--policies", "policies/path-too-deep.yaml", ":14:9", "nested more than 32 levels deep"),
    ("--policies", "policies/template-macro.yaml", ":17:10", "cannot use macro"),
    ("--policies", "policies/template-random.yaml", ":17:10", "No filter named 'random'"),
    ("--policies", "policies/template-recursive-loop.yaml", ":17:10", "recursive loops"),
    ("--policies", "policies/lone-surrogate.yaml", ":17:18", "invalid YAML"),
    ("--snapshot", "snapshots/truncated.json", ":1:71", "not valid JSON"),
    ("--snapshot", "snapshots/not-json.json", ":1:1", "not valid JSON"),
    ("--snapshot", "snapshots/empty.json", ":1:1", "not valid JSON"),
    ("--snapshot", "snapshots/utf8-bom.json", ":1:1", "BOM"),
    ("--snapshot", "snapshots/not-gzip.json.gz", "", "is not gzip data"),
    ("--snapshot", "snapshots/truncated.json.gz", "", "corrupt gzip data"),
    ("--snapshot", "snapshots/newer-version.json", "", "format version 99 is newer"),
    ("--snapshot", "snapshots/other-format.json", "", "not a stormproof snapshot"),
    ("--snapshot", "snapshots/top-level-list.json", "", "not a stormproof snapshot"),
    ("--snapshot", "snapshots/nan.json", "", "NaN is not a JSON value"),
    ("--snapshot", "snapshots/lone-surrogate.json", "", "half a surrogate pair"),
    ("--snapshot", "snapshots/deep-nesting.json", "", "nested too deeply"),
    ("--snapshot", "snapshots/not-utf8.json", "", "not UTF-8 text"),
    ("--snapshot", "snapshots/schema-invalid.json", "", "invalid snapshot at $.started_at"),
    ("--waivers", "waivers/malformed.yaml", ":4:1", "not valid YAML"),
    ("--waivers", "waivers/broken.json", ":1:57", "not valid JSON"),
    ("--waivers", "waivers/not-a-mapping.yaml", ":1", "this one is a list"),
    ("--waivers", "waivers/empty.yaml", ":1", "this one is empty"),
    ("--waivers", "waivers/unknown-top-level-key.yaml", ":1", "'waivers' is a required property"),
    ("--waivers", "waivers/waivers-not-a-list.yaml", ":1", "is not of type 'array'"),
    ("--waivers", "waivers/alias-bomb.yaml", ":1:1", "expands to more than"),
    ("--waivers", "waivers/deep-nesting.yaml", "", "nested too deeply"),
    ("--waivers", "waivers/duplicate-top-level-key.yaml", ":2:1", "duplicate key 'waivers'"),
    ("--waivers", "waivers/lone-surrogate.yaml", ":4:13", "half a surrogate pair"),
    ("--waivers", "waivers/huge-number.yaml", ":7:13", "infinity is out of range"),
    ("--config", "configs/malformed.yaml", ":2:1", "invalid YAML"),
    ("--config", "configs/nan-parameter.yaml", ":4:18", "NaN is not a number"),
    ("--config", "configs/huge-parameter.yaml", ":4:18", "literal of 4,400 digits"),
    ("--config", "configs/duplicate-top-level-key.yaml", ":3:1", "duplicate key 'disabled'"),
    ("--config", "configs/wrong-type.yaml", ":1:11", "'disabled' must be a list"),
    ("--config", "configs/unknown-key.yaml", ":1:1", "unknown key 'disable'"),
    ("--config", "configs/not-a-mapping.yaml", ":1:1", "a config file must be a YAML mapping"),
    ("--config", "configs/unknown-policy.yaml", ":2:5", "unknown policy id 'asg-singel-az'"),
    ("--config", "configs/unknown-parameter.yaml", ":4:7", "unknown parameter 'max_zones'"),
    ("--config", "configs/wrong-parameter-type.yaml", ":4:7", "must be integer, got 'two'"),
    ("--config", "configs/bad-severity.yaml", ":3:15", "must be one of"),
    ("--baseline", "baselines/truncated.json", ":1:48", "baseline is not valid JSON"),
    ("--baseline", "baselines/not-findings.json", ":1", "not a stormproof findings.json"),
    ("--baseline", "baselines/findings-not-a-list.json", ":1", "no `findings` list"),
]


def assert_one_clean_line(result: CliRun, starts: str, fragment: str) -> str:
    """Exit 2, one line on stderr starting with ``starts`` and holding ``fragment``."""
    assert result.code == ExitCode.BAD_INPUT, result.err
    assert len(result.err_lines) == 1, result.err
    [line] = result.err_lines
    assert line.startswith(starts), line
    assert fragment in line, line
    assert "Traceback" not in result.err + result.out
    return line


def scan_argv(flag: str, value: Path, good_snapshot: Path, output: Path) -> list[str]:
    snapshot = value if flag == "--snapshot" else good_snapshot
    argv = ["scan", "--snapshot", str(snapshot), "--output-dir", str(output)]
    return argv if flag == "--snapshot" else [*argv, flag, str(value)]


@pytest.mark.parametrize(
    ("flag", "name", "where", "fragment"),
    CORPUS_CASES,
    ids=[name for _, name, _, _ in CORPUS_CASES],
)
def test_each_corpus_file_is_one_line_and_exit_2_with_nothing_written(
    run_cli, good_snapshot: Path, tmp_path: Path, flag: str, name: str, where: str, fragment: str
) -> None:
    path = CORPUS / name
    output = tmp_path / "out"
    result = run_cli(*scan_argv(flag, path, good_snapshot, output))
    line = assert_one_clean_line(result, f"stormproof: {path}{where}", fragment)
    if where.count(":") == 2:
        assert line.startswith(f"stormproof: {path}{where}: "), line
    assert result.out == ""
    assert not output.exists()


POLICY_CASES = [case for case in CORPUS_CASES if case[0] == "--policies"]


@pytest.mark.parametrize(
    ("name", "where", "fragment"),
    [case[1:] for case in POLICY_CASES],
    ids=[case[1] for case in POLICY_CASES],
)
def test_policies_validate_lists_the_same_problem(
    run_cli, name: str, where: str, fragment: str
) -> None:
    path = CORPUS / name
    result = run_cli("policies", "validate", path)
    assert result.code == ExitCode.BAD_INPUT
    [problem] = result.out.splitlines()
    assert problem.startswith(f"{path}{where}") and fragment in problem, problem
    assert result.err_lines == ["stormproof: 1 problem(s) found"]


def test_duplicate_policy_ids_name_both_files(run_cli, good_snapshot: Path, tmp_path: Path):
    folder = CORPUS / "policies" / "duplicate-ids"
    output = tmp_path / "out"
    result = run_cli(*scan_argv("--policies", folder, good_snapshot, output))
    assert_one_clean_line(
        result,
        f"stormproof: {folder / 'b.yaml'}:1:5: duplicate policy id 'team-asg-three-zones'",
        f"(also defined in {folder / 'a.yaml'}:1:5)",
    )
    assert not output.exists()


def test_policies_validate_on_a_folder_without_policies_is_an_error(run_cli, tmp_path: Path):
    (tmp_path / "notes.txt").write_text("not a policy")
    result = run_cli("policies", "validate", tmp_path)
    assert result.code == ExitCode.BAD_INPUT
    assert result.out.splitlines() == [
        f"{tmp_path}: no policy files (*.yaml, *.yml) in this folder"
    ]


@pytest.mark.parametrize(
    ("flag", "kind"),
    [
        ("--snapshot", "cannot read snapshot"),
        ("--waivers", "cannot read waiver file"),
        ("--config", "cannot read file"),
        ("--baseline", "cannot read baseline"),
        ("--policies", "no such policy file or folder"),
    ],
)
def test_missing_and_unreadable_paths(
    run_cli, good_snapshot: Path, tmp_path: Path, flag: str, kind: str
) -> None:
    # Tests run as root, so permission bits prove nothing: a folder where a file belongs
    # is unreadable as a file for everyone, and a missing file is missing for everyone.
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (folder / "x.yaml").write_text("id: [")  # so --policies reads it as a (bad) folder
    for path in (tmp_path / "missing.json", folder):
        if flag == "--policies" and path == folder:
            continue  # a folder is a valid --policies value
        output = tmp_path / "out"
        result = run_cli(*scan_argv(flag, path, good_snapshot, output))
        assert_one_clean_line(result, f"stormproof: {path}", kind if path != folder else "")
        assert not output.exists()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["scan", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["scna"], "invalid choice: 'scna'"),
        (["scan", "--fail-on", "urgent"], "argument --fail-on: invalid choice: 'urgent'"),
        (["scan", "--format", "sarif,pdf"], "--format: unknown format pdf"),
        (["scan", "--format", ","], "--format: name at least one of"),
        (["scan", "--regions", "us-east-1", "--all-regions"], "not allowed with argument"),
        (["scan", "--regions", "mars-north-1x"], "--regions: mars-north-1x is not a Region name"),
        (["scan", "--max-workers", "0"], "--max-workers must be at least 1"),
        (["scan", "--rate-limit", "-1"], "--rate-limit must be a positive number"),
        (["scan", "--shard", "3/2"], "--shard must be K/N"),
        (["scan", "--sarif-policy-root", "/etc"], "--sarif-policy-root must be a path relative"),
        (["collect", "--output", "snapshot.txt"], "--output must end in .json or .json.gz"),
        (["policies", "show", "no-such-policy"], "no policy with id 'no-such-policy'"),
    ],
)
def test_bad_flags_are_one_line(run_cli, tmp_path: Path, argv: list[str], fragment: str) -> None:
    output = tmp_path / "out"
    result = run_cli(*argv, *(["--output-dir", output] if argv[0] == "scan" else []))
    assert_one_clean_line(result, "stormproof", fragment)
    assert not output.exists()


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["scan", "--no-such-flag"], "stormproof: error: unrecognized arguments: --no-such-flag"),
        (["scna"], "stormproof: error: argument COMMAND: invalid choice: 'scna'"),
    ],
)
def test_usage_errors_from_the_installed_command(argv: list[str], fragment: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scanner", *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == ExitCode.BAD_INPUT
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert fragment in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "flags",
    [
        ["--regions", "us-east-1"],
        ["--all-regions"],
        ["--profile", "prod"],
        ["--max-workers", "2"],
        ["--rate-limit", "5"],
        ["--accounts", "111122223333"],
        ["--shard", "1/2"],
    ],
)
def test_collection_flags_with_a_saved_snapshot_are_an_error(
    run_cli, good_snapshot: Path, tmp_path: Path, flags: list[str]
) -> None:
    output = tmp_path / "out"
    result = run_cli("scan", "--snapshot", good_snapshot, "--output-dir", output, *flags)
    assert_one_clean_line(
        result, f"stormproof: {flags[0]}: collection option(s) cannot be used with --snapshot", ""
    )
    assert not output.exists()


def test_an_output_folder_that_is_a_file_is_an_error(
    run_cli, good_snapshot: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("precious")
    result = run_cli("scan", "--snapshot", good_snapshot, "--output-dir", blocker)
    assert_one_clean_line(result, f"stormproof: {blocker}: cannot create the output folder", "")
    assert blocker.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no stray temp files


def test_a_bad_timeout_setting_fails_before_any_aws_call(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORMPROOF_READ_TIMEOUT", "soon")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens: never reached
    output = tmp_path / "out"
    result = run_cli("scan", "--regions", "us-east-1", "--output-dir", output)
    assert_one_clean_line(
        result, "stormproof: STORMPROOF_READ_TIMEOUT must be a positive number", "'soon'"
    )
    assert not output.exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    ["snapshots/deep-nesting.json", "snapshots/lone-surrogate.json", "policies/alias-bomb.yaml"],
)
def test_the_installed_command_prints_no_traceback(
    good_snapshot: Path, tmp_path: Path, name: str
) -> None:
    flag = "--snapshot" if name.startswith("snapshots/") else "--policies"
    output = tmp_path / "out"
    argv = scan_argv(flag, CORPUS / name, good_snapshot, output)
    # Even --debug, which shows tracebacks for internal errors, shows none for bad input.
    result = subprocess.run(
        [sys.executable, "-m", "scanner", "--debug", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stderr.startswith(f"stormproof: {CORPUS / name}")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert not output.exists()
