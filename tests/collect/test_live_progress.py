"""``stormproof collect`` on a terminal: a live display that moves, -v lines that stay whole;
on a pipe: plain lines, nothing animated (moto in process, real botocore)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from scanner.cli import main
from scanner.errors import ExitCode
from scanner.mockaws import DlmStandIn
from tests.collect.estate import WEST

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def collect_with_stderr(stream: io.StringIO, tmp_path: Path, *flags: str) -> int:
    original = sys.stderr
    sys.stderr = stream
    try:
        return main([*flags, "collect", "--regions", WEST, "--output", str(tmp_path / "s.json")])
    finally:
        sys.stderr = original


def test_a_single_region_collection_on_a_terminal_shows_calls_moving(
    tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn
):
    stream = FakeTerminal()
    assert collect_with_stderr(stream, tmp_path) == ExitCode.CLEAN
    frames = [
        line for line in re.split(r"[\r\n]", ANSI.sub("", stream.getvalue())) if " units · " in line
    ]
    calls = [int(re.search(r"(\d+) API calls", frame).group(1)) for frame in frames]
    assert calls[-1] > 0 and "1/1 units" in frames[-1]
    assert "stormproof: collected 1 unit(s)" in stream.getvalue()


def test_verbose_lines_are_printed_whole_above_the_display(
    tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn
):
    stream = FakeTerminal()
    assert collect_with_stderr(stream, tmp_path, "-v") == ExitCode.CLEAN
    lines = ANSI.sub("", stream.getvalue()).replace("\r", "\n").splitlines()
    logged = [line for line in lines if "ec2:Describe" in line]
    assert logged, stream.getvalue()
    # Every log line is its own line: it starts with the prefix and holds no display text.
    for line in logged:
        assert line.startswith("stormproof: ") and " units · " not in line, line


@pytest.mark.parametrize("flags", [[], ["-v"]])
def test_a_pipe_gets_plain_lines_only(
    tmp_path: Path, moto_in_process: None, dlm_stand_in: DlmStandIn, flags: list[str]
):
    stream = io.StringIO()
    assert collect_with_stderr(stream, tmp_path, *flags) == ExitCode.CLEAN
    text = stream.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert f"stormproof: [1/1] 123456789012 {WEST}: " in text
