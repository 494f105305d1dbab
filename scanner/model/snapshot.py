"""Read and write snapshot files (``.json`` or ``.json.gz``), validated against the schema.

A snapshot holds only what AWS said. It is validated on write (a collector bug
must not produce a file the scanner later rejects) and on load (a user may hand
us anything). Writes are atomic: a temp file renamed into place, so an
interrupted run never leaves half a snapshot behind.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from scanner.atomic_files import write_atomic
from scanner.errors import InputError, Location
from scanner.resources import load_schema
from scanner.userfiles import decode_user_text, read_user_bytes, too_large

FORMAT = "stormproof-snapshot"
FORMAT_VERSION = 1
SCHEMA_NAME = "snapshot.schema.json"


def _validator() -> jsonschema.protocols.Validator:
    schema = load_schema(SCHEMA_NAME)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@functools.cache
def _fast_validator() -> Callable[[Any], Any]:
    """The schema compiled to Python once: it decides pass/fail ~15x faster than jsonschema.

    Its format checks are jsonschema's own (and none where jsonschema has none), so
    both agree on what is valid; jsonschema still words the message for an invalid file.
    """
    schema = load_schema(SCHEMA_NAME)
    checker = jsonschema.validators.validator_for(schema).FORMAT_CHECKER
    formats: dict[str, Callable[[Any], bool]] = {
        name: _always_conforms for name in fastjsonschema.draft07.CodeGeneratorDraft07.FORMAT_REGEXS
    }
    for name, (check, raises) in checker.checkers.items():
        formats[name] = _format_check(check, raises)
    if "date-time" in checker.checkers:
        formats["date-time"] = _plain_utc_or(formats["date-time"])
    return fastjsonschema.compile(_inline_refs(schema, schema.get("$defs", {})), formats=formats)


def _inline_refs(node: Any, definitions: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """The schema with each ``#/$defs/NAME`` reference replaced by its definition.

    Same meaning, but the compiled code checks each record inline instead of
    through a function call per record and per ``$ref`` (a third of the time).
    A recursive reference is left as it is.
    """
    if isinstance(node, list):
        return [_inline_refs(item, definitions, seen) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        name = reference.removeprefix("#/$defs/")
        if name in definitions and name not in seen:
            target = _inline_refs(definitions[name], definitions, (*seen, name))
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            if not siblings:
                return target
            return {"allOf": [target, _inline_refs(siblings, definitions, seen)]}
    return {key: _inline_refs(value, definitions, seen) for key, value in node.items()}


# A UTC time in the form AWS and the collector write; day 28 at most, so valid in any month.
_PLAIN_UTC = re.compile(
    r"(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?Z"
)


def _plain_utc_or(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``check``, answered at once for the common, certainly valid ``2026-11-30T20:33:22Z``."""
    plain = _PLAIN_UTC.fullmatch

    def conforms(value: Any) -> bool:
        return (isinstance(value, str) and plain(value) is not None) or check(value)

    return conforms


def _always_conforms(value: Any) -> bool:
    return True


def _format_check(
    check: Callable[[Any], Any], raises: type[Exception] | tuple[type[Exception], ...]
) -> Callable[[Any], bool]:
    def conforms(value: Any) -> bool:
        try:
            return bool(check(value))
        except raises:
            return False

    return conforms


def is_valid_snapshot(document: Any) -> bool:
    """The schema's verdict alone, from the compiled validator (no message)."""
    try:
        _fast_validator()(document)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def validate_snapshot(document: Any, source: str = "<snapshot>") -> None:
    """Raise :class:`InputError` naming the first problem (by JSON path) if invalid."""
    if not isinstance(document, dict):
        raise InputError("not a stormproof snapshot (top level is not an object)", Location(source))
    if document.get("format") != FORMAT:
        raise InputError(
            f"not a stormproof snapshot (format is {document.get('format')!r})", Location(source)
        )
    version = document.get("version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise InputError(
            f"snapshot format version {version} is newer than this stormproof reads "
            f"({FORMAT_VERSION}); upgrade stormproof",
            Location(source),
        )
    if is_valid_snapshot(document):
        return
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = error.json_path
        raise InputError(f"invalid snapshot at {where}: {_short(error.message)}", Location(source))


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A snapshot of a million resources is ~400 MiB of JSON; the limit stops a gzip bomb or
# /dev/zero with one line instead of exhausting memory. Raise it with the variable.
MAX_SNAPSHOT_ENV = "STORMPROOF_MAX_SNAPSHOT_MB"
DEFAULT_MAX_SNAPSHOT_MB = 4096
_LIMIT_HINT = f"set {MAX_SNAPSHOT_ENV} to raise it"


def max_snapshot_bytes() -> int:
    """The most bytes a snapshot may hold once decompressed (``STORMPROOF_MAX_SNAPSHOT_MB``)."""
    raw = os.environ.get(MAX_SNAPSHOT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_SNAPSHOT_MB * 1024 * 1024
    if not raw.isdigit() or not 0 < int(raw) <= 1024 * 1024:
        raise InputError(
            f"{MAX_SNAPSHOT_ENV} must be a whole number of MiB from 1 to 1048576 (got {raw!r})"
        )
    return int(raw) * 1024 * 1024


def load_snapshot(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load and validate a snapshot file; every failure is one :class:`InputError` line."""
    path = Path(path)
    source = str(path)
    limit = max_snapshot_bytes()
    raw = read_user_bytes(path, "snapshot", limit=limit, hint=_LIMIT_HINT)
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unpacked:
                raw = unpacked.read(limit + 1)  # a gzip bomb stops here, not in memory
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"corrupt gzip data: {exc}", Location(source)) from exc
        if len(raw) > limit:
            raise too_large("decompressed snapshot", limit, source, _LIMIT_HINT)
    elif source.endswith(".gz"):
        raise InputError("file ends in .gz but is not gzip data", Location(source))
    text = decode_user_text(raw, source)
    del raw  # at a million resources the bytes and the text are ~400 MB each: free as we go
    document = parse_json(text, source)
    del text
    validate_snapshot(document, source)
    return document


def parse_json(text: str, source: str, what: str = "not valid JSON") -> Any:
    """Strict JSON: no ``NaN``/``Infinity``, no lone surrogates, no nesting past Python's stack.

    Every failure is an :class:`InputError` whose message starts with ``what``.
    """
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: {exc.msg}", Location(source, exc.lineno, exc.colno)) from exc
    except ValueError as exc:  # from _reject_constant
        raise InputError(f"{what}: {exc}", Location(source)) from exc
    except RecursionError as exc:
        raise InputError(f"{what}: nested too deeply", Location(source)) from exc
    # An escaped lone surrogate (\\ud800) decodes to a str that no output can encode.
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(document):
        raise InputError(f"{what}: a \\u escape is half a surrogate pair", Location(source))
    return document


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def dump_snapshot(document: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Validate and write atomically; gzip when the name ends in ``.gz``."""
    path = Path(path)
    validate_snapshot(document, str(path))
    data = json.dumps(document, indent=None, separators=(",", ":"), sort_keys=True).encode()
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=6, mtime=0)
    write_atomic(path, data)
    return path
