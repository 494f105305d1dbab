"""The fields a policy can read for each resource type, from the snapshot and model schemas.

A linked document is the snapshot record (``schemas/snapshot.schema.json``)
plus its ``facts`` (``schemas/model.schema.json``); a fleet is a derived
document described by the model schema alone. :func:`check_field_path` turns a
path that names no field into an error with the closest valid names, so a typo
(``facts.zone_cnt``) fails at ``policies validate`` instead of reading null;
:func:`field_rows` feeds the generated reference in docs/writing-policies.md.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from typing import Any

from scanner.resources import load_schema

Schema = dict[str, Any]


@functools.cache
def _schemas() -> tuple[Schema, Schema]:
    return load_schema("snapshot.schema.json"), load_schema("model.schema.json")


def _resolve(schema: Schema, root: Schema) -> Schema:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = {**root["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _object_branch(schema: Schema, root: Schema) -> Schema | None:
    """The object alternative of a schema (``oneOf: [null, object]``), resolved."""
    schema = _resolve(schema, root)
    for key in ("oneOf", "anyOf"):
        for option in schema.get(key, []):
            option = _resolve(option, root)
            if "properties" in option or option.get("type") == "object":
                return {**option, "description": schema.get("description", "")}
    return schema


@functools.cache
def record_schema(resource: str) -> Schema:
    """The document a policy on ``resource`` judges: record fields plus ``facts``."""
    snapshot, model = _schemas()
    document = model["properties"]["resources"]["properties"][resource]["items"]
    properties: dict[str, Any] = {}
    if resource in snapshot["$defs"]:
        record = snapshot["$defs"][resource]
        properties.update(
            {name: ("snapshot", value) for name, value in record.get("properties", {}).items()}
        )
    for name, value in document.get("properties", {}).items():
        properties[name] = ("model", value)
    return {"type": "object", "properties": properties}


def _child(schema: Schema, root: Schema, name: str) -> tuple[Schema, Schema] | bool | None:
    """(child, its root) when ``name`` is a field; True when any key is allowed; None if not."""
    properties = schema.get("properties", {})
    if name in properties:
        value = properties[name]
        if isinstance(value, tuple):  # the record schema: (which schema, sub-schema)
            origin, value = value
            root = _schemas()[0] if origin == "snapshot" else _schemas()[1]
        return _object_branch(value, root), root
    if schema.get("additionalProperties") not in (None, False):
        return True
    return None


def check_field_path(resource: str, fields: tuple[str, ...]) -> str | None:
    """``None`` if the dotted path names a field of ``resource``; else what is wrong."""
    schema: Schema = record_schema(resource)
    root = _schemas()[1]
    walked: list[str] = []
    for name in fields:
        found = _child(schema, root, name)
        if found is True:
            return None  # a map (tags): any key
        if found is None:
            if "properties" not in schema:
                return None  # not an object we can describe (a list, a scalar): leave it
            names = sorted(schema["properties"])
            close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
            where = ".".join(walked) or f"the {resource} document"
            hint = (
                f"; did you mean {', '.join('.'.join([*walked, c]) for c in close)}?"
                if close
                else ""
            )
            return f"'{'.'.join([*walked, name])}' is not a field of {where}{hint}"
        schema, root = found  # type: ignore[misc]
        walked.append(name)
    return None


def _type_text(schema: Schema, root: Schema) -> str:
    schema = _resolve(schema, root)
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return " or ".join(_type_text(option, root) for option in schema[key])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array" and "items" in schema:
        return f"array of {_type_text(schema['items'], root)}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "object of " + _type_text(schema["additionalProperties"], root)
    return str(kind)


def field_rows(resource: str) -> Iterator[tuple[str, str, str]]:
    """(path, type, description) for every field a policy on ``resource`` can read."""

    def walk(prefix: str, schema: Schema, root: Schema, depth: int) -> Iterator[tuple]:
        for name, value in sorted(schema.get("properties", {}).items()):
            child_root = root
            if isinstance(value, tuple):
                origin, value = value
                child_root = _schemas()[0] if origin == "snapshot" else _schemas()[1]
            resolved = _object_branch(value, child_root)
            path = f"{prefix}{name}"
            description = " ".join(str(resolved.get("description", "")).split())
            yield path, _type_text(value, child_root), description
            if depth < 2 and "properties" in resolved and name != "zone":
                yield from walk(f"{path}.", resolved, child_root, depth + 1)

    yield from walk("", record_schema(resource), _schemas()[1], 0)


FIELDS_BEGIN = "<!-- generated by `stormproof policies fields`: do not edit by hand -->"
FIELDS_END = "<!-- end of generated fields -->"


def render_field_reference() -> str:
    """Markdown: one table per resource type of every field a policy or message can read."""
    from scanner.model.resource_types import RESOURCE_TYPES

    lines = [FIELDS_BEGIN, ""]
    for name, resource_type in RESOURCE_TYPES.items():
        lines += [
            f"#### `{name}` fields ({resource_type.title})",
            "",
            "| path | type | description |",
            "| --- | --- | --- |",
        ]
        for path, kind, description in field_rows(name):
            text = description.replace("|", "\\|")
            lines.append(f"| `{path}` | {kind.replace('|', '/')} | {text} |")
        lines.append("")
    lines.append(FIELDS_END)
    return "\n".join(lines) + "\n"
