"""Files that appear whole or not at all: a temp file beside the target, then a rename.

Every output stormproof writes (snapshots, reports, generated docs) goes through
here, so an interrupt or a failure never leaves a half-written file behind; a set
of outputs that belong together goes through :class:`StagedFolder`.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done (main thread; elsewhere a no-op).

    A blocked signal stays pending and is delivered, as usual, when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class StagedFolder:
    """A set of outputs that replaces the previous set in ``folder`` as a whole.

    Every output is written into a staging folder beside ``folder`` (in its
    parent), then :meth:`commit` moves them all in with interrupts deferred, and
    removes the files of ``owned`` (names stormproof writes there) that the new
    set does not have: an interrupt at any moment leaves the complete previous set
    or the complete new one, never a new snapshot beside old reports. Leaving the
    ``with`` block without committing removes the staging folder.
    """

    def __init__(self, folder: str | os.PathLike[str], owned: Iterable[str] = ()) -> None:
        self.folder = Path(folder)
        self.owned = frozenset(owned)
        self.staging: Path | None = None
        self.removed: list[Path] = []  # stale outputs of an earlier run, removed at commit

    def __enter__(self) -> StagedFolder:
        parent = self.folder.absolute().parent
        parent.mkdir(parents=True, exist_ok=True)  # the folder itself appears at commit
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.staging-", dir=parent))
        return self

    def path(self, name: str) -> Path:
        """Where to write the output ``name`` (in the staging folder)."""
        if self.staging is None:
            raise RuntimeError("the staged folder is not open")
        return self.staging / name

    def commit(self, keep: Iterable[str | os.PathLike[str]] = ()) -> dict[str, Path]:
        """Move the staged outputs into ``folder``; drop owned files not in the new set.

        ``keep``: files never removed (an input the run read from the folder).
        """
        if self.staging is None:
            raise RuntimeError("the staged folder is not open")
        kept = [Path(path) for path in keep]
        names = sorted(entry.name for entry in self.staging.iterdir())
        with deferred_interrupts():
            self.folder.mkdir(exist_ok=True)
            for name in names:
                os.replace(self.staging / name, self.folder / name)
            for name in sorted(self.owned - set(names)):
                stale = self.folder / name
                if stale.is_file() and not any(_same(stale, other) for other in kept):
                    stale.unlink()
                    self.removed.append(stale)
        return {name: self.folder / name for name in names}

    def __exit__(self, *exc: object) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def _same(path: Path, other: Path) -> bool:
    try:
        return path.samefile(other)
    except OSError:
        return False
