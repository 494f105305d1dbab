"""What the user sees while units run: a live line on a terminal, log lines otherwise.

Only the standard library: one rewritten status line (units done / total,
errors so far) does not justify a dependency.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Protocol, TextIO


class Reporter(Protocol):
    def start(self, total: int) -> None: ...

    def unit_done(self, unit: dict[str, Any]) -> None: ...

    def finish(self) -> None: ...


class SilentReporter:
    """For ``--quiet`` and for callers that report on their own."""

    def start(self, total: int) -> None:
        pass

    def unit_done(self, unit: dict[str, Any]) -> None:
        pass

    def finish(self) -> None:
        pass


class _Counting:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0
        self.errors = 0
        self._lock = threading.Lock()

    def start(self, total: int) -> None:
        self.total = total

    def _count(self, unit: dict[str, Any]) -> None:
        self.done += 1
        self.errors += len(unit["errors"])


class TerminalProgress(_Counting):
    """One status line, rewritten in place."""

    def start(self, total: int) -> None:
        super().start(total)
        self._draw()

    def unit_done(self, unit: dict[str, Any]) -> None:
        with self._lock:
            self._count(unit)
            self._draw()

    def _draw(self) -> None:
        errors = f", {self.errors} error{'s' * (self.errors != 1)} so far" if self.errors else ""
        # Back to the line's start and erase it: stormproof's own control, not data.
        getattr(self.stream, "write_control", self.stream.write)("\r\x1b[K")
        self.stream.write(f"collecting: {self.done}/{self.total} units done{errors}")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class LogLines(_Counting):
    """One plain line per finished unit (CI logs, pipes)."""

    def start(self, total: int) -> None:
        super().start(total)
        self.stream.write(f"stormproof: collecting {total} unit(s)\n")
        self.stream.flush()

    def unit_done(self, unit: dict[str, Any]) -> None:
        with self._lock:
            self._count(unit)
            calls = sum(unit["api_calls"].values())
            self.stream.write(
                f"stormproof: [{self.done}/{self.total}] {unit['account']} {unit['region']}: "
                f"{calls} calls, {len(unit['errors'])} errors, {unit['duration_seconds']:.1f}s\n"
            )
            self.stream.flush()

    def finish(self) -> None:
        pass


def make_reporter(stream: TextIO | None = None, *, quiet: bool = False) -> Reporter:
    """The right reporter for ``stream``: silent, a live line on a TTY, else log lines."""
    stream = stream or sys.stderr
    if quiet:
        return SilentReporter()
    if stream.isatty():
        return TerminalProgress(stream)
    return LogLines(stream)
