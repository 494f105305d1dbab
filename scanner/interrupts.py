"""Ctrl-C and SIGTERM: stop within seconds, leave no partial file, say so in one line.

Both signals raise :class:`KeyboardInterrupt` in the main thread, so every
``finally`` and ``with`` block unwinds: temp files are removed and nothing is
renamed into place (outputs are written atomically). Collection threads can sit
in a network read for up to the read timeout times the retry attempts, and the
main thread may be waiting for them; a watchdog interrupts that wait again every
:data:`GRACE_SECONDS` and, as a last resort, ends the process with exit code
130. Once the command has reported the interrupt, the process exits without
waiting for those threads: they hold no files, only sockets.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from scanner.errors import ExitCode

MESSAGE = "stormproof: interrupted; no partial output was written"
GRACE_SECONDS = 2.0
RESIGNALS = 2  # interrupts re-sent to a main thread stuck unwinding, before the hard exit

_lock = threading.Lock()
_state = {"signalled": False, "announced": False}


def announce() -> None:
    """Print the one-line message, once per process."""
    with _lock:
        if _state["announced"]:
            return
        _state["announced"] = True
    print(MESSAGE, file=sys.stderr, flush=True)


def exit_if_threads_linger(code: int = ExitCode.INTERRUPTED) -> None:
    """After an interrupt was handled: end now rather than wait for threads blocked on I/O."""
    main = threading.main_thread()
    lingering = [
        thread
        for thread in threading.enumerate()
        if thread is not main and thread.is_alive() and not thread.daemon
    ]
    if lingering:
        _flush_and_exit(code)


def _flush_and_exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _watchdog() -> None:
    main = threading.main_thread()
    for _ in range(RESIGNALS):
        main.join(GRACE_SECONDS)
        if not main.is_alive() or _state["announced"]:
            break
        signal.pthread_kill(main.ident or 0, signal.SIGINT)
    main.join(GRACE_SECONDS)
    announce()
    _flush_and_exit(ExitCode.INTERRUPTED)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    with _lock:
        if _state["announced"]:
            return  # already reported and on the way out: nothing more to unwind
        first = not _state["signalled"]
        _state["signalled"] = True
    if first:
        threading.Thread(target=_watchdog, name="stormproof-interrupt", daemon=True).start()
    raise KeyboardInterrupt


@contextmanager
def interrupts_unwind() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM both raise ``KeyboardInterrupt`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
