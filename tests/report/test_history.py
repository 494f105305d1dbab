"""Scan history through the command line: recorded scans, the trend, concurrent writers,
schema versions, and the trend chart of two demo scans in headless Chromium."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot
from scanner.report.history import SCHEMA_VERSION, trend

FINISHED = "2026-11-{day:02d}T06:00:00Z"


def snapshot(tmp_path: Path, name: str, groups: list[dict], day: int) -> Path:
    document = expand_fragment({"resources": {"auto_scaling_groups": groups}})
    document["finished_at"] = FINISHED.format(day=day)
    return dump_snapshot(document, tmp_path / f"{name}.json")


def one_zone(name: str) -> dict:
    return {"id": name, "zones": ["us-east-1a"]}


def scan(snapshot_path: Path, history: Path, out: Path) -> int:
    return cli.main(
        [
            "-q",
            "scan",
            "--snapshot",
            str(snapshot_path),
            "--policy",
            "asg-single-az",
            "--history",
            str(history),
            "--output-dir",
            str(out),
        ]
    )


def test_open_new_and_fixed_per_scan_and_days_open(tmp_path: Path, capsys):
    history = tmp_path / "history.sqlite"
    first = snapshot(tmp_path, "first", [one_zone("web"), one_zone("api")], day=1)
    second = snapshot(tmp_path, "second", [one_zone("web"), one_zone("db")], day=8)
    assert scan(first, history, tmp_path / "o1") == 1
    assert scan(second, history, tmp_path / "o2") == 1
    rows = trend(history)
    assert [(r.open, r.new, r.fixed) for r in rows] == [(2, 2, 0), (2, 1, 1)]
    capsys.readouterr()
    assert cli.main(["history", "--history", str(history)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["SCAN", "FINISHED", "OPEN", "NEW", "FIXED", "UNKNOWN", "COMPLETE"]
    assert out[2].split() == ["2", "2026-11-08T06:00:00Z", "2", "1", "1", "0", "yes"]
    # web open 7 days and still open; api 0 days (seen once); db 0 days: mean 2.3, longest 7.
    assert out[-1].split() == ["asg-single-az", "3", "2", "2.3", "7.0"]


def test_a_finding_that_turns_unknown_is_not_fixed(tmp_path: Path):
    history = tmp_path / "history.sqlite"
    scan(snapshot(tmp_path, "a", [one_zone("web")], day=1), history, tmp_path / "o1")
    document = expand_fragment(
        {
            "resources": {"auto_scaling_groups": [one_zone("web")]},
            "errors": [{"service": "ec2", "operation": "DescribeSubnets"}],
        }
    )
    blind = dump_snapshot(document, tmp_path / "blind.json")
    scan(blind, history, tmp_path / "o2")
    last = trend(history)[-1]
    assert (last.open, last.fixed, last.unknown, last.complete) == (0, 0, 1, False)


WRITER = r"""
import sys
from scanner.cli import main
for run in range(int(sys.argv[3])):
    code = main(["-q", "scan", "--snapshot", sys.argv[1], "--policy", "asg-single-az",
                 "--history", sys.argv[2], "--format", "json", "--output", sys.argv[4] + str(run)])
    assert code == 1, code
"""


def test_two_processes_writing_one_history_lose_nothing(tmp_path: Path):
    history = tmp_path / "history.sqlite"
    path = snapshot(tmp_path, "s", [one_zone("web"), one_zone("api")], day=1)
    runs = 5
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(path),
                str(history),
                str(runs),
                str(tmp_path / f"w{n}-"),
            ],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    with sqlite3.connect(history) as connection:
        assert connection.execute("SELECT COUNT(*) FROM scans").fetchone()[0] == 2 * runs
        counts = connection.execute("SELECT COUNT(*) FROM findings GROUP BY scan_id").fetchall()
        assert [count for (count,) in counts] == [2] * (2 * runs)  # every scan whole
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_schema_is_versioned_and_a_newer_file_is_refused(tmp_path: Path, capsys):
    history = tmp_path / "history.sqlite"
    scan(snapshot(tmp_path, "s", [one_zone("web")], day=1), history, tmp_path / "o")
    with sqlite3.connect(history) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    capsys.readouterr()
    assert cli.main(["history", "--history", str(history)]) == 2
    assert "newer than this stormproof understands" in capsys.readouterr().err


def test_a_file_that_is_not_a_history_is_one_line(tmp_path: Path, capsys):
    bogus = tmp_path / "h.sqlite"
    bogus.write_text("not sqlite at all, just text " * 100)
    assert cli.main(["history", "--history", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a usable stormproof history file" in err


@pytest.mark.slow
@pytest.mark.browser
def test_two_demo_scans_show_a_trend_in_the_report(tmp_path: Path, open_report):
    demo = tmp_path / "demo"
    assert cli.main(["-q", "demo", "--output-dir", str(demo)]) == 0
    history = tmp_path / "history.sqlite"
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - {policy: 'asg-*', resource: '*', reason: r, owner: o, expires: 2999-01-01}\n"
    )
    first, second = tmp_path / "first", tmp_path / "second"
    snap = str(demo / "snapshot.json.gz")
    cli.main(
        ["-q", "scan", "--snapshot", snap, "--history", str(history), "--output-dir", str(first)]
    )
    cli.main(
        [
            "-q",
            "scan",
            "--snapshot",
            snap,
            "--history",
            str(history),
            "--output-dir",
            str(second),
            "--waivers",
            str(waivers),
        ]
    )
    rows = trend(history)
    assert len(rows) == 2 and rows[1].open < rows[0].open
    page, log = open_report(second / "report.html")
    assert page.locator("#history-title").inner_text() == "Trend across 2 recorded scan(s)"
    assert page.locator("#history circle.trend-point").count() == 2
    cells = page.locator("#history tbody tr").nth(1).locator("td").all_inner_texts()
    assert cells[1:] == [str(rows[1].open), "0", "0", "0"]
    assert log.errors == [] and all(url.startswith("file:") for url in log.requests)
    # Without --history there is no trend section.
    page, _ = open_report(demo / "report.html")
    assert page.locator("#history").count() == 0
    assert json.loads((second / "findings.json").read_text())["scan"]["complete"] is True
