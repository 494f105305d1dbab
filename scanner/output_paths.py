"""Where outputs go is checked before any work: a bad output path fails in a second, not after
an hour of collection.

An output folder (``scan --output-dir``) or the folder of an output file
(``collect``/``merge --output``, ``policies docs --output``) must be a folder,
or not exist yet under a folder, and stormproof must be able to create a file
there. Permissions are not guessed from mode bits (root ignores them, a
read-only filesystem does not show in them): a temp file is created and
removed, which is exactly what writing the outputs will do.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scanner.errors import InputError, Location


def check_output_folder(folder: str | os.PathLike[str], flag: str) -> Path:
    """The folder, if outputs can be written into it (it need not exist yet)."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise InputError(f"{flag}: the output folder is not a folder", Location(str(path)))
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            f"{flag}: cannot create the output folder: {existing} is not a folder",
            Location(str(path)),
        )
    _probe(existing, flag, str(path))
    return path


def check_output_file(file: str | os.PathLike[str], flag: str) -> Path:
    """The file, if it can be written (its folder is checked as :func:`check_output_folder`)."""
    path = Path(file)
    if path.is_dir():
        raise InputError(f"{flag}: is a folder, not a file", Location(str(path)))
    check_output_folder(path.parent, flag)
    return path


def _probe(folder: Path, flag: str, named: str) -> None:
    try:
        fd, temp = tempfile.mkstemp(prefix=".stormproof-probe.", dir=folder)
    except OSError as exc:
        raise InputError(
            f"{flag}: cannot write there: {exc.strerror or exc}", Location(named)
        ) from exc
    os.close(fd)
    os.unlink(temp)
