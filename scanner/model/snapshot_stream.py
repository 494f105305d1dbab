"""Write a snapshot unit by unit, so memory does not grow with the number of accounts.

Each unit is validated against the schema's ``unit`` definition and appended, as
compact JSON, to a spool file next to the destination the moment it arrives.
:meth:`SnapshotStreamWriter.finish` validates the rest of the document and
copies the units, sorted by (account, Region), into a temp file that is renamed
into place. The result is byte for byte what :func:`~scanner.model.snapshot.dump_snapshot`
writes for the same document with its units sorted: the file does not depend on
which unit finished first, and :func:`~scanner.model.snapshot.load_snapshot`
reads it unchanged. Nothing is left behind if the run fails or is interrupted.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import jsonschema

from scanner.atomic_files import write_atomic_with
from scanner.errors import InputError, Location
from scanner.model.snapshot import SCHEMA_NAME, validate_snapshot
from scanner.resources import load_schema

COPY_CHUNK_BYTES = 1 << 20
UNITS_PLACEHOLDER = '"units":[]'


def _unit_validator() -> jsonschema.protocols.Validator:
    schema = load_schema(SCHEMA_NAME)
    unit_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/unit"}
    cls = jsonschema.validators.validator_for(schema)
    return cls(unit_schema, format_checker=cls.FORMAT_CHECKER)


def encode(value: Any) -> str:
    """The snapshot's JSON encoding: compact, keys sorted (as ``dump_snapshot`` writes)."""
    return json.dumps(value, indent=None, separators=(",", ":"), sort_keys=True)


class SnapshotStreamWriter:
    """``add_unit`` as units finish, then ``finish(rest)``; use as a context manager.

    ``validate=False`` skips per-unit validation for units that were just loaded
    from validated snapshots (``stormproof merge``).
    """

    def __init__(self, path: str | os.PathLike[str], *, validate: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._validator = _unit_validator() if validate else None
        fd, spool = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".units", dir=self.path.parent
        )
        self._spool_path = Path(spool)
        self._spool: IO[bytes] | None = os.fdopen(fd, "w+b")
        self._extents: dict[tuple[str, str], tuple[int, int]] = {}

    @property
    def unit_keys(self) -> list[tuple[str, str]]:
        """(account, Region) of every unit added so far, sorted."""
        return sorted(self._extents)

    def add_unit(self, unit: dict[str, Any]) -> None:
        """Validate and append one unit; a second unit for the same (account, Region) is a bug."""
        if self._spool is None:
            raise RuntimeError("the snapshot writer is closed")
        key = (unit["account"], unit["region"])
        if key in self._extents:
            raise ValueError(f"unit {key[0]} {key[1]} was added twice")
        if self._validator is not None:
            error = jsonschema.exceptions.best_match(self._validator.iter_errors(unit))
            if error is not None:
                raise InputError(
                    f"invalid unit {key[0]} {key[1]} at {error.json_path}: "
                    f"{' '.join(error.message.split())[:200]}",
                    Location(str(self.path)),
                )
        data = encode(unit).encode()
        start = self._spool.seek(0, os.SEEK_END)
        self._spool.write(data)
        self._extents[key] = (start, len(data))

    def finish(self, document: dict[str, Any]) -> Path:
        """Write ``document`` (everything but its units) with the units added, atomically."""
        if self._spool is None:
            raise RuntimeError("the snapshot writer is closed")
        rest = {key: value for key, value in document.items() if key != "units"}
        rest["units"] = []
        validate_snapshot(rest, str(self.path))
        text = encode(rest)
        cut = text.rindex(UNITS_PLACEHOLDER) + len(UNITS_PLACEHOLDER) - 1
        head, tail = text[:cut].encode(), text[cut:].encode()

        def write(raw: IO[bytes]) -> None:
            if self.path.name.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
                    self._write_document(out, head, tail)
            else:
                self._write_document(raw, head, tail)

        try:
            write_atomic_with(self.path, write)
        finally:
            self.close()
        return self.path

    def _write_document(self, out: IO[bytes], head: bytes, tail: bytes) -> None:
        assert self._spool is not None
        out.write(head)
        for index, key in enumerate(sorted(self._extents)):
            if index:
                out.write(b",")
            start, length = self._extents[key]
            self._spool.seek(start)
            while length:
                chunk = self._spool.read(min(length, COPY_CHUNK_BYTES))
                if not chunk:
                    raise OSError(f"spool file {self._spool_path} was truncated")
                out.write(chunk)
                length -= len(chunk)
        out.write(tail)

    def close(self) -> None:
        """Drop the spool; without :meth:`finish`, nothing is written."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None
            self._spool_path.unlink(missing_ok=True)

    def __enter__(self) -> SnapshotStreamWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
