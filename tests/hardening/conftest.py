"""Shared fixtures for the hardening tests: a valid snapshot to scan, the CLI as a function."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot

# The browser fixtures live with the report tests; hostile-data tests reuse them.
from tests.report.conftest import browser_context, chromium, open_report  # noqa: F401

CORPUS = Path(__file__).parent / "corpus"

GOOD_FRAGMENT = {
    "resources": {
        "auto_scaling_groups": [
            {"id": "web", "zones": ["us-east-1a"]},
            {"id": "api", "zones": ["us-east-1a", "us-east-1b"]},
        ]
    }
}


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """``stormproof ARGS`` in this process; returns the exit code and what it printed."""

    def run(*argv: str) -> CliRun:
        capsys.readouterr()
        try:
            code = cli.main([str(arg) for arg in argv])
        except SystemExit as exc:  # argparse's usage errors exit from inside parse_args
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def good_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid snapshot: one failing and one passing Auto Scaling group."""
    return dump_snapshot(
        expand_fragment(GOOD_FRAGMENT), tmp_path_factory.mktemp("good") / "snapshot.json"
    )
