"""The one chokepoint for every line stormproof prints: no terminal escape, control or bidi
character from data reaches a terminal, and ``--redact-accounts`` holds on standard error too.

Error lines quote YAML keys and JSON paths, warnings quote file paths, progress
lines quote accounts and AWS messages: all of it is data. :func:`safe_streams`
wraps ``sys.stdout`` and ``sys.stderr`` for the length of a command, so each
text written passes :func:`neutralise` (and, on request, account redaction)
whoever prints it. Colour is stormproof's own: plain SGR sequences
(``ESC [ … m``) survive only on a stream that is a colour terminal, where the
terminal report emits them and data has already been cleaned
(:func:`scanner.report.terminal.clean`). Binary writes to ``.buffer`` (machine
output) pass untouched.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# Unicode's Bidi_Control characters: they reorder what a terminal or a page shows.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls but tab and newline, DEL, C1 controls, zero-width and line/paragraph separators.
UNSAFE_CLASS = (
    f"\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200b-\\u200d\\u2028\\u2029\\ufeff{BIDI_CONTROLS}"
)
_UNSAFE = re.compile(f"[{UNSAFE_CLASS}]")
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def neutralise(text: str, *, allow_color: bool = False) -> str:
    """``text`` with every unsafe character as ``?`` (own colour kept if ``allow_color``)."""
    if not allow_color:
        return _UNSAFE.sub("?", text)
    parts = _SGR.split(text)
    colors = _SGR.findall(text)
    out = [_UNSAFE.sub("?", parts[0])]
    for color, part in zip(colors, parts[1:], strict=True):
        out += [color, _UNSAFE.sub("?", part)]
    return "".join(out)


class SafeStream:
    """A text stream whose every write is neutralised (and transformed) first."""

    def __init__(self, stream: TextIO, transform: Callable[[str], str] | None = None) -> None:
        self._stream = stream
        self._transform = transform
        self._color = _is_color_terminal(stream)

    def write(self, text: str) -> int:
        if self._transform is not None:
            text = self._transform(text)
        self._stream.write(neutralise(text, allow_color=self._color))
        return len(text)

    def write_control(self, sequence: str) -> None:
        """A control sequence of stormproof's own (the progress line's redraw), on a terminal."""
        if self._color or getattr(self._stream, "isatty", lambda: False)():
            self._stream.write(sequence)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, buffer, encoding, ...
        return getattr(self._stream, name)

    def ui_stream(self) -> TextIO:
        """The terminal for a live display that draws with its own controls (rich): what it
        writes is stormproof's own counts and already-neutralised lines, still redacted."""
        return _TransformedStream(self._stream, self._transform)  # type: ignore[return-value]


class _TransformedStream:
    """Writes through ``transform`` (account redaction) only; everything else is the stream's."""

    def __init__(self, stream: TextIO, transform: Callable[[str], str] | None) -> None:
        self._stream = stream
        self._transform = transform

    def write(self, text: str) -> int:
        self._stream.write(self._transform(text) if self._transform else text)
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _is_color_terminal(stream: TextIO) -> bool:
    from scanner.report.terminal import use_color

    return use_color(stream)


@contextmanager
def safe_streams(*, redact_accounts: bool = False) -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` pass through :class:`SafeStream` inside the block."""
    transform = None
    if redact_accounts:
        from scanner.report.redact import redact_accounts_in

        transform = redact_accounts_in
    saved = sys.stdout, sys.stderr
    sys.stdout = SafeStream(saved[0], transform)  # type: ignore[assignment]
    sys.stderr = SafeStream(saved[1], transform)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
