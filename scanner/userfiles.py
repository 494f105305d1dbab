"""Reading a file the user named: every failure is one :class:`InputError` line, never a traceback.

Snapshots, baselines, waiver files and policy files all start the same way;
what differs is only the noun in the message (``cannot read baseline: …``).
"""

from __future__ import annotations

import os
from pathlib import Path

from scanner.errors import InputError, Location


def read_user_bytes(
    path: str | os.PathLike[str], what: str, *, limit: int | None = None, hint: str = ""
) -> bytes:
    """The file's bytes; an unreadable file is ``cannot read <what>: <reason>``.

    With ``limit``, reading stops after ``limit`` bytes, so ``/dev/zero`` or a
    runaway pipe is one error line (``hint`` says how to raise the limit).
    """
    try:
        with Path(path).open("rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise _cannot_read(exc, what, str(path)) from exc
    if limit is not None and len(data) > limit:
        raise too_large(what, limit, str(path), hint)
    return data


def too_large(what: str, limit: int, source: str, hint: str = "") -> InputError:
    """``<what> is larger than the limit of N MiB``, naming the file."""
    extra = f" ({hint})" if hint else ""
    size = f"{limit // (1024 * 1024):,} MiB"
    return InputError(f"{what} is larger than the limit of {size}{extra}", Location(source))


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
