"""Files that appear whole or not at all: a temp file beside the target, then a rename.

Every output stormproof writes (snapshots, reports, generated docs) goes through
here, so an interrupt or a failure never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def stage(path: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Write through ``write`` into a temp file beside ``path``; return the temp file's path.

    The temp file gets the mode any new file would get (``mkstemp`` makes it
    owner-only); it is removed if writing fails. The caller renames it into place.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(temp, 0o666 & ~_current_umask())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_atomic_with(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write`` into a staged temp file, then rename it into place."""
    temp = stage(path, write)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (creating its folder) through a staged temp file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_with(path, lambda handle: handle.write(data))


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
