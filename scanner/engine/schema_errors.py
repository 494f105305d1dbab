"""JSON Schema violations as one line each, at the YAML position of the offending key.

Users never see a schema dump: each problem names the key (``violation.all[0].op``)
and says what is wrong in words, at ``file:line:column``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonschema
import jsonschema.exceptions

from scanner.engine.yaml_source import PathKey, SourceMap
from scanner.errors import InputError
from scanner.resources import load_schema

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def validator_for(schema_name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(schema_name)
    return jsonschema.validators.validator_for(schema)(schema)


def schema_problems(
    validator: jsonschema.protocols.Validator,
    data: Any,
    positions: SourceMap,
    *,
    skip: tuple[str, ...] = (),
) -> list[InputError]:
    """Every schema violation in ``data`` as an :class:`InputError`, sorted by position.

    Violations under the top-level keys in ``skip`` are left to a more precise checker.
    """
    problems: dict[tuple, InputError] = {}
    for error in _leaf_errors(validator.iter_errors(data)):
        path = tuple(error.absolute_path)
        if path and path[0] in skip:
            continue
        message, at_key, path = _describe(error, path)
        location = positions.key(path) if at_key else positions.value(path)
        problems.setdefault(
            (location.line or 0, location.column or 0, message), InputError(message, location)
        )
    return [problems[key] for key in sorted(problems)]


def _leaf_errors(errors: Iterable[jsonschema.exceptions.ValidationError]):
    for error in errors:
        if error.context:
            best = jsonschema.exceptions.best_match(error.context)
            yield best if best is not None else error
        else:
            yield error


def dotted(path: PathKey) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the document"


def _describe(
    error: jsonschema.exceptions.ValidationError, path: PathKey
) -> tuple[str, bool, PathKey]:
    name = dotted(path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = f" in {name}" if path else ""
        return f"missing required key '{missing}'{where}", False, path
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            where = f" in {name}" if path else ""
            known = ", ".join(sorted(allowed))
            return f"unknown key '{extra[0]}'{where} (allowed: {known})", True, (*path, extra[0])
    if kind == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value)
        label = "operator" if path and path[-1] == "op" else f"'{name}'"
        if label == "operator":
            return f"unknown operator {error.instance!r} (known: {choices})", False, path
        return f"{label} must be one of {choices} (got {error.instance!r})", False, path
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        return f"'{name}' must be {words} (got {_type_of(error.instance)})", False, path
    if kind == "pattern":
        return f"'{name}' must match {error.validator_value} (got {error.instance!r})", False, path
    if kind in {"minLength", "minItems", "minProperties"}:
        return f"'{name}' must not be empty", False, path
    if kind == "propertyNames":
        return f"invalid name {error.instance!r} in '{name}': {error.message}", False, path
    return f"'{name}': {error.message}", False, path


def _type_of(value: Any) -> str:
    for name, python_type in (
        ("null", type(None)),
        ("boolean", bool),
        ("integer", int),
        ("number", float),
    ):
        if isinstance(value, python_type):
            return _TYPE_WORDS[name]
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else type(value).__name__
