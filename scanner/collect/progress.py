"""What the user sees while units run: a live display on a terminal, log lines otherwise.

The live display is rich's ``Progress`` (a well-kept, widely used library):
units done of the total with an ETA, API calls sent so far (read at every
refresh, so a single-Region scan moves too), resources and errors so far. rich
redraws in place and prints ``-v`` log lines above the display, so they never
garble it. When standard error is not a terminal (CI logs, pipes), nothing is
animated: one plain line per finished unit.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import Any, Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TimeRemainingColumn,
)
from rich.text import Text

from scanner.collect.calls import SENT
from scanner.safe_output import neutralise

COLLECT_LOGGER = "stormproof.collect"


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


def resource_count(unit: dict[str, Any]) -> int:
    return sum(len(records) for records in unit["resources"].values())


class _Counting:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0
        self.errors = 0
        self.resources = 0
        self._lock = threading.Lock()

    def start(self, total: int) -> None:
        self.total = total

    def _count(self, unit: dict[str, Any]) -> None:
        self.done += 1
        self.errors += len(unit["errors"])
        self.resources += resource_count(unit)


class TerminalProgress(_Counting):
    """rich's live progress display on standard error; log lines go above it."""

    def __init__(self, stream: TextIO, *, color: bool = True) -> None:
        super().__init__(stream)
        # rich draws with cursor controls of its own, which the printed-line guard would
        # neutralise: it gets the terminal itself, and log lines are neutralised here instead.
        ui_stream = stream.ui_stream() if hasattr(stream, "ui_stream") else stream
        self.console = Console(file=ui_stream, force_terminal=True, no_color=not color)
        self._progress: Progress | None = None
        self._task: Any = None
        self._calls_at_start = 0
        self._swapped: list[tuple[logging.Handler, logging.Handler]] = []

    def start(self, total: int) -> None:
        super().start(total)
        self._calls_at_start = SENT.count
        self._progress = Progress(
            SpinnerColumn(),
            BarColumn(bar_width=10),
            MofNCompleteColumn(),
            _LiveCounts(self),
            TimeRemainingColumn(),
            console=self.console,
            refresh_per_second=8,
            transient=False,
        )
        self._task = self._progress.add_task("collect", total=total)
        self._route_logs_through_console()
        self._progress.start()

    def unit_done(self, unit: dict[str, Any]) -> None:
        with self._lock:
            self._count(unit)
            self._progress.advance(self._task)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.refresh()
            self._progress.stop()
        self._restore_logs()

    def counts_text(self) -> str:
        calls = SENT.count - self._calls_at_start
        errors = f" · {self.errors} error{'s' * (self.errors != 1)}" if self.errors else ""
        return f"units · {calls} API calls · {self.resources} resources{errors} · ETA"

    def _route_logs_through_console(self) -> None:
        """``-v`` lines printed by rich above the live display instead of across it."""
        logger = logging.getLogger(COLLECT_LOGGER)
        for handler in list(logger.handlers):
            replacement = _ConsoleLogHandler(self.console)
            replacement.setFormatter(handler.formatter)
            replacement.setLevel(handler.level)
            logger.removeHandler(handler)
            logger.addHandler(replacement)
            self._swapped.append((handler, replacement))

    def _restore_logs(self) -> None:
        logger = logging.getLogger(COLLECT_LOGGER)
        for original, replacement in self._swapped:
            logger.removeHandler(replacement)
            logger.addHandler(original)
        self._swapped.clear()


class _ConsoleLogHandler(logging.Handler):
    def __init__(self, console: Any) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.print(
                neutralise(self.format(record)),
                markup=False,
                highlight=False,
                emoji=False,
                soft_wrap=True,
            )
        except Exception:
            self.handleError(record)


class _LiveCounts(ProgressColumn):
    """Read at every refresh: the call count moves while a unit is still running."""

    max_refresh = None

    def __init__(self, owner: TerminalProgress) -> None:
        super().__init__()
        self.owner = owner

    def render(self, task: Task) -> Text:
        return Text(self.owner.counts_text(), no_wrap=True)


class LogLines(_Counting):
    """One plain line per finished unit (CI logs, pipes): nothing animated."""

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
                f"{calls} calls, {resource_count(unit)} resources, {len(unit['errors'])} errors, "
                f"{unit['duration_seconds']:.1f}s\n"
            )
            self.stream.flush()

    def finish(self) -> None:
        pass


def make_reporter(
    stream: TextIO | None = None, *, quiet: bool = False, color: bool | None = None
) -> Reporter:
    """The right reporter for ``stream``: silent, a live display on a TTY, else log lines."""
    stream = stream or sys.stderr
    if quiet:
        return SilentReporter()
    isatty = getattr(stream, "isatty", None)
    if isatty and isatty() and os.environ.get("TERM") != "dumb":
        if color is None:
            color = not os.environ.get("NO_COLOR")
        return TerminalProgress(stream, color=color)
    return LogLines(stream)
