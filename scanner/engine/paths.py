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
import jmespath.functions
import jmespath.parser
import jmespath.visitor

ALL_FACTS = "*"

# Bounds on what one policy path may cost (docs/failure-behaviour.md, "Custom policies").
MAX_PATH_CHARS = 1000  # the expression's text
MAX_PATH_DEPTH = 32  # nesting of its syntax tree
MAX_PATH_STEPS = 200_000  # nodes visited plus values built, per evaluation on one resource
MAX_RESULT_VALUES = 1_000_000  # values in its result, counting a value each time it repeats


class PathLimitError(Exception):
    """A path's evaluation went past one of the bounds above."""


class EvaluationError(Exception):
    """A path or operator failed on this resource (a type error, a bound): unknown, not a crash."""


class _BoundedFunctions(jmespath.functions.Functions):
    """JMESPath's built-in functions; ``to_string`` refuses a value too large to write."""

    @jmespath.functions.signature({"types": []})
    def _func_to_string(self, arg: Any) -> Any:
        if not isinstance(arg, str):
            check_result_size(arg)
        return super()._func_to_string(arg)


_FUNCTIONS = _BoundedFunctions()
_OPTIONS = jmespath.Options(dict_cls=dict, custom_functions=_FUNCTIONS)


class _BoundedInterpreter(jmespath.visitor.TreeInterpreter):
    """JMESPath's interpreter, charging each node visited and each value built to a budget."""

    def __init__(self) -> None:
        super().__init__(_OPTIONS)
        self.steps = 0

    def visit(self, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        result = super().visit(node, *args, **kwargs)
        self.steps += 1 + (len(result) if isinstance(result, list | dict) else 0)
        if isinstance(result, str):
            self.steps += len(result) // 64
        if self.steps > MAX_PATH_STEPS:
            raise PathLimitError(f"evaluation took more than {MAX_PATH_STEPS:,} steps")
        return result


def check_result_size(value: Any, limit: int = MAX_RESULT_VALUES) -> None:
    """Raise when ``value`` written out would hold more than ``limit`` values.

    JMESPath shares references (``{a: @, b: @}`` nested), so a small result can
    stand for an exponential document once compared, recorded or written.
    """
    count = 0
    stack = [value]
    while stack:
        current = stack.pop()
        count += 1
        if count > limit:
            raise PathLimitError(f"its result holds more than {limit:,} values")
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


@dataclass(frozen=True)
class CompiledPath:
    text: str
    expression: jmespath.parser.ParsedResult
    facts: frozenset[str]  # fact names read, or {"*"} for all
    fields: tuple[str, ...] | None = None  # set when the path is only dotted field names

    def search(self, document: dict[str, Any]) -> Any:
        """JMESPath's answer; a plain ``a.b.c`` is looked up directly, with the same result.

        Raises :class:`EvaluationError` when the expression fails on this
        document (``length(missing)``) or goes past a bound.
        """
        if self.fields is None:
            try:
                result = _BoundedInterpreter().visit(self.expression.parsed, document)
                check_result_size(result)
            except jmespath.exceptions.JMESPathError as exc:
                raise EvaluationError(f"path {self.text!r} failed: {_explain(exc)}") from exc
            except PathLimitError as exc:
                raise EvaluationError(f"path {self.text!r} is too costly: {exc}") from exc
            except RecursionError as exc:
                raise EvaluationError(f"path {self.text!r} nests too deeply") from exc
            return result
        value: Any = document
        for name in self.fields:
            # JMESPath: a field of anything but an object is null, and null ends the chain.
            if not isinstance(value, dict):
                return None
            value = value.get(name)
        return value


def compile_path(text: str) -> CompiledPath:
    """Compile; raises ``ValueError`` with JMESPath's own explanation when invalid.

    Problems visible without data are caught here: an unknown function, a
    wrong number of arguments, a path longer or deeper than the bounds.
    """
    if len(text) > MAX_PATH_CHARS:
        raise ValueError(f"longer than {MAX_PATH_CHARS:,} characters")
    try:
        expression = jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise ValueError(_explain(exc)) from exc
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    _check_tree(expression.parsed, 1)
    return CompiledPath(
        text,
        expression,
        frozenset(_facts_touched(expression.parsed, at_root=True)),
        _field_chain(expression.parsed),
    )


def _check_tree(node: dict[str, Any], depth: int) -> None:
    """Depth and function calls of a parsed expression; ``ValueError`` when wrong."""
    if depth > MAX_PATH_DEPTH:
        raise ValueError(f"nested more than {MAX_PATH_DEPTH} levels deep")
    if node.get("type") == "function_expression":
        name = node.get("value")
        spec = _FUNCTIONS.FUNCTION_TABLE.get(name)
        if spec is None:
            known = ", ".join(sorted(_FUNCTIONS.FUNCTION_TABLE))
            raise ValueError(f"unknown function {name}() (known: {known})")
        signature = spec["signature"]
        given = len(node.get("children", []))
        variadic = any(argument.get("variadic") for argument in signature)
        if given < len(signature) or (given > len(signature) and not variadic):
            wanted = f"at least {len(signature)}" if variadic else str(len(signature))
            raise ValueError(f"{name}() takes {wanted} argument(s), got {given}")
    for child in node.get("children", []):
        if isinstance(child, dict):
            _check_tree(child, depth + 1)


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


def _facts_touched(node: dict[str, Any], *, at_root: bool) -> set[str]:
    kind = node.get("type")
    children = node.get("children", [])
    if kind == "current" and at_root:
        return {ALL_FACTS}
    if kind == "field" and node.get("value") == "facts" and at_root:
        return {ALL_FACTS}
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
