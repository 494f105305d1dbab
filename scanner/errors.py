"""Errors a user can cause, and the exit codes the command line promises.

Anything a user can get wrong (a flag, a policy file, a snapshot, a waiver file)
raises :class:`InputError`; the CLI prints it as one line and exits with
:data:`ExitCode.BAD_INPUT`. Nothing else should reach the user as a traceback.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    CLEAN = 0
    FINDINGS = 1  # open findings at or above --fail-on
    BAD_INPUT = 2  # bad flag, malformed policy/config/waiver/snapshot, unreadable path
    INCOMPLETE = 3  # collection errors or unknown results: the scan cannot vouch for everything
    INTERNAL_ERROR = 70  # a bug in stormproof; the same with or without --debug
    INTERRUPTED = 130  # Ctrl-C / SIGTERM; no partial output files are left behind


@dataclass(frozen=True)
class Location:
    """Where in a user's file a problem is: 1-based line and column when known."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class StormproofError(Exception):
    """Base class for errors stormproof reports to the user as one line."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        one_line = " ".join(self.message.split())
        return f"{self.location}: {one_line}" if self.location else one_line


class InputError(StormproofError):
    """A file, flag or value the user supplied is wrong."""
