"""JMESPath expressions, compiled once per policy load, and the facts each one reads.

Knowing which ``facts.<name>`` a path touches lets the engine tell whether a
policy's decision rests on an observation that failed to be collected. A path
we cannot analyse (``@``, ``facts`` as a whole, ``facts.*``) is assumed to touch
every fact, which errs towards *unknown*, never towards a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jmespath
import jmespath.exceptions
import jmespath.parser

ALL_FACTS = "*"
_OPTIONS = jmespath.Options(dict_cls=dict)


@dataclass(frozen=True)
class CompiledPath:
    text: str
    expression: jmespath.parser.ParsedResult
    facts: frozenset[str]  # fact names read, or {"*"} for all
    fields: tuple[str, ...] | None = None  # set when the path is only dotted field names

    def search(self, document: dict[str, Any]) -> Any:
        """JMESPath's answer; a plain ``a.b.c`` is looked up directly, with the same result."""
        if self.fields is None:
            return self.expression.search(document, options=_OPTIONS)
        value: Any = document
        for name in self.fields:
            # JMESPath: a field of anything but an object is null, and null ends the chain.
            if not isinstance(value, dict):
                return None
            value = value.get(name)
        return value


def compile_path(text: str) -> CompiledPath:
    """Compile; raises ``ValueError`` with JMESPath's own explanation when invalid."""
    try:
        expression = jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise ValueError(_explain(exc)) from exc
    return CompiledPath(
        text,
        expression,
        frozenset(_facts_touched(expression.parsed, at_root=True)),
        _field_chain(expression.parsed),
    )


def _field_chain(node: dict[str, Any]) -> tuple[str, ...] | None:
    """``("facts", "zone_count")`` for ``facts.zone_count``; None for anything else."""
    if node.get("type") == "field":
        return (node["value"],)
    if node.get("type") != "subexpression":
        return None
    names: list[str] = []
    for child in node.get("children", []):
        part = _field_chain(child)
        if part is None:
            return None
        names.extend(part)
    return tuple(names) if names else None


def _explain(exc: jmespath.exceptions.JMESPathError) -> str:
    message = getattr(exc, "msg", None) or str(exc).splitlines()[0]
    token = getattr(exc, "token_value", None)
    if token not in (None, ""):
        message += f" (unexpected {token!r})"
    position = getattr(exc, "lex_position", None)
    return f"{message} at character {position + 1}" if isinstance(position, int) else message


def _leftmost_field(node: dict[str, Any]) -> str | None:
    """The first field a node reads from its input: ``zones`` in ``zones[0]`` or ``zones[]``."""
    while node.get("type") in {"index_expression", "projection", "filter_projection", "flatten"}:
        node = node["children"][0] if node.get("children") else {}
    return node.get("value") if node.get("type") == "field" else None


def _chain(node: dict[str, Any]) -> list[dict[str, Any]]:
    """A left-nested ``a.b.c`` as its steps ``[a, b, c]``."""
    if node.get("type") == "subexpression" and node.get("children"):
        return _chain(node["children"][0]) + list(node["children"][1:])
    return [node]


def _fact_part(node: dict[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
    """``("protection.covered", rest)`` for ``facts.protection.covered...``: a fact's field.

    Facts that join several observations declare what each field rests on, so a
    path reading one field is unknown only when that field's observations failed.
    """
    steps = _chain(node)
    if len(steps) < 3 or any(step.get("type") != "field" for step in steps[:2]):
        return None
    if steps[0].get("value") != "facts":
        return None
    field = _leftmost_field(steps[2])
    if field is None:
        return None
    rest = list(steps[3:])
    if steps[2].get("type") != "field":  # e.g. sources[?kind == 'x']: its filter reads too
        rest = list(steps[2].get("children", [])[1:]) + rest
    return f"{steps[1]['value']}.{field}", rest


def _facts_touched(node: dict[str, Any], *, at_root: bool) -> set[str]:
    kind = node.get("type")
    children = node.get("children", [])
    if kind == "current" and at_root:
        return {ALL_FACTS}
    if kind == "field" and node.get("value") == "facts" and at_root:
        return {ALL_FACTS}
    if kind == "subexpression" and children and at_root:
        part = _fact_part(node)
        if part is not None:
            name, rest = part
            found = {name}
            for child in rest:
                found |= _facts_touched(child, at_root=False)
            return found
    if kind == "subexpression" and children:
        first = children[0]
        if first.get("type") == "field" and first.get("value") == "facts" and at_root:
            second = children[1] if len(children) > 1 else {}
            name = _leftmost_field(second)
            found = {name} if name else {ALL_FACTS}
            if second.get("type") != "field":
                for child in second.get("children", [])[1:]:
                    found |= _facts_touched(child, at_root=False)
            for child in children[2:]:
                found |= _facts_touched(child, at_root=False)
            return found
        found = _facts_touched(first, at_root=at_root)
        for child in children[1:]:
            found |= _facts_touched(child, at_root=False)
        return found
    if (
        kind
        in {
            "pipe",
            "projection",
            "filter_projection",
            "value_projection",
            "flatten",
            "index_expression",
        }
        and children
    ):
        found = _facts_touched(children[0], at_root=at_root)
        for child in children[1:]:
            found |= _facts_touched(child, at_root=False)
        return found
    found: set[str] = set()
    for child in children:
        found |= _facts_touched(child, at_root=at_root)
    return found
