"""The outputs of a run are one consistent set: an interrupt at any moment leaves the complete
previous set or the complete new one, and no output of an earlier run stays beside new ones.

Through the real command line (in process, so the interrupt can be placed at
each step of writing exactly, as Ctrl-C would raise it there).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from scanner.engine.fragments import expand_fragment
from scanner.errors import ExitCode
from scanner.model.snapshot import dump_snapshot
from scanner.report import writer

REPORTS = ["findings.json", "report.html", "results.sarif", "scenarios.json", "summary.md"]


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def previous_set(run_cli, good_snapshot: Path, tmp_path: Path) -> Path:
    """An output folder holding an earlier live run's complete set, snapshot included."""
    output = tmp_path / "work" / "out"
    assert run_cli("scan", "--snapshot", good_snapshot, "--output-dir", output).code == 1
    shutil.copy(good_snapshot.with_suffix(".json.gz"), output / "snapshot.json.gz")
    return output


@pytest.fixture(scope="module")
def other_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fragment = {"resources": {"auto_scaling_groups": [{"id": "db", "zones": ["us-east-1a"]}]}}
    return dump_snapshot(expand_fragment(fragment), tmp_path_factory.mktemp("o") / "other.json")


@pytest.fixture(scope="module", autouse=True)
def _gzipped(good_snapshot: Path) -> None:
    good_snapshot.with_suffix(".json.gz").write_bytes(gzip.compress(good_snapshot.read_bytes()))


@pytest.mark.parametrize("interrupt_at", [1, 2, 3, 4])
def test_an_interrupt_while_writing_leaves_the_previous_set_whole(
    run_cli,
    previous_set: Path,
    other_snapshot: Path,
    monkeypatch: pytest.MonkeyPatch,
    interrupt_at: int,
) -> None:
    before = contents(previous_set)
    real = writer.render_format
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == interrupt_at:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(writer, "render_format", interrupted)
    result = run_cli("scan", "--snapshot", other_snapshot, "--output-dir", previous_set)
    assert result.code == ExitCode.INTERRUPTED
    assert contents(previous_set) == before  # every file of the earlier set, byte for byte
    assert sorted(p.name for p in previous_set.parent.iterdir()) == ["out"]  # no staging left


def test_a_new_set_replaces_the_old_one_and_a_stale_snapshot_is_removed(
    run_cli, previous_set: Path, other_snapshot: Path
) -> None:
    result = run_cli("scan", "--snapshot", other_snapshot, "--output-dir", previous_set)
    assert result.code == ExitCode.FINDINGS, result.err
    # The earlier live run's snapshot does not describe these reports: it is gone, and said so.
    assert sorted(contents(previous_set)) == REPORTS
    assert f"removed {previous_set / 'snapshot.json.gz'}: an earlier run's output" in result.err
    assert b"db" in (previous_set / "findings.json").read_bytes()
    assert sorted(p.name for p in previous_set.parent.iterdir()) == ["out"]


def test_the_snapshot_being_scanned_is_never_removed(run_cli, previous_set: Path) -> None:
    snapshot = previous_set / "snapshot.json.gz"
    kept = snapshot.read_bytes()
    result = run_cli("scan", "--snapshot", snapshot, "--output-dir", previous_set)
    assert result.code == ExitCode.FINDINGS, result.err
    assert snapshot.read_bytes() == kept and "removed" not in result.err


def test_outputs_of_formats_not_asked_for_are_removed_with_the_old_set(
    run_cli, previous_set: Path, other_snapshot: Path
) -> None:
    result = run_cli(
        "scan", "--snapshot", other_snapshot, "--format", "json", "--output-dir", previous_set
    )
    assert result.code == ExitCode.FINDINGS, result.err
    assert sorted(contents(previous_set)) == ["findings.json", "scenarios.json"]


def test_files_of_the_user_in_the_output_folder_are_left_alone(
    run_cli, previous_set: Path, other_snapshot: Path
) -> None:
    (previous_set / "notes.txt").write_text("mine")
    result = run_cli("scan", "--snapshot", other_snapshot, "--output-dir", previous_set)
    assert result.code == ExitCode.FINDINGS, result.err
    assert (previous_set / "notes.txt").read_text() == "mine"
