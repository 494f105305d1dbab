"""Reading a file the user named: every failure is one :class:`InputError` line, never a traceback.

Snapshots, baselines, waiver files and policy files all start the same way;
what differs is only the noun in the message (``cannot read baseline: …``).
"""

from __future__ import annotations

import os
from pathlib import Path

from scanner.errors import InputError, Location


def read_user_bytes(path: str | os.PathLike[str], what: str) -> bytes:
    """The file's bytes; an unreadable file is ``cannot read <what>: <reason>``."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise _cannot_read(exc, what, str(path)) from exc


def read_user_text(path: str | os.PathLike[str], what: str, *, subject: str | None = None) -> str:
    """The file as UTF-8 text, newlines universal (as ``Path.read_text`` reads it).

    ``subject`` names the file in the encoding error (``baseline is not UTF-8 text``).
    """
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _cannot_read(exc, what, str(path)) from exc
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc, subject, str(path)) from exc


def decode_user_text(raw: bytes, source: str, *, subject: str | None = None) -> str:
    """Bytes already read (and perhaps decompressed) as UTF-8 text, newlines untouched."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc, subject, source) from exc


def _cannot_read(exc: OSError, what: str, source: str) -> InputError:
    return InputError(f"cannot read {what}: {exc.strerror or exc}", Location(source))


def _not_utf8(exc: UnicodeDecodeError, subject: str | None, source: str) -> InputError:
    prefix = f"{subject} is " if subject else ""
    return InputError(f"{prefix}not UTF-8 text (byte {exc.start})", Location(source))
