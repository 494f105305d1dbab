"""Pause Python's cyclic garbage collector while a scan builds and reads millions of objects.

A snapshot and its linked model are trees of plain dicts and lists: reference
counting frees them, and they hold no cycles worth hunting. Yet every full
collection walks all of them, so with the collector running, linking a
million resources takes five times as long as without it (see
``bench/README.md``). A one-shot scan therefore pauses collection for the
pipeline and restores the collector exactly as it found it afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collection() -> Iterator[None]:
    """Freeze what is alive now and disable the collector; undo both on the way out."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
