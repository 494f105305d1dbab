"""Condition trees: ``all`` / ``any`` / ``not`` over comparisons, compiled once per load.

A comparison is ``{path: <JMESPath>, op: <operator>, value: <literal> | {param:
NAME} | {path: <JMESPath>}}``. Compiling checks everything that can be checked
before any resource is seen (operators, operand kinds, parameter names, regular
expressions, JMESPath syntax) and reports each problem at its YAML position.
Evaluation records every path's value as evidence: what the decision rested on.
It uses three-valued logic: a comparison whose facts rest on an observation
that failed to be collected is *unknown*, and ``all`` / ``any`` / ``not``
propagate unknown only when the known branches cannot settle the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from scanner.engine.operators import (
    NO_VALUE,
    OPERATORS,
    BoundedPattern,
    Operator,
    check_operand,
)
from scanner.engine.paths import CompiledPath, EvaluationError, compile_path
from scanner.engine.yaml_source import PathKey, SourceMap
from scanner.errors import InputError, Location
from scanner.model.link.facts import Dependency

Evidence = dict[str, Any]
Truth = bool | None  # None: unknown, because an observation a path rests on was not collected


class Context:
    """What one evaluation needs: the time, the evidence so far, and the collection gaps."""

    def __init__(
        self, now: datetime, missing: Callable[[tuple[Dependency, ...]], tuple[dict, ...]]
    ):
        self.now = now
        self.missing = missing  # dependencies -> the error entries that left them unobserved
        self.evidence: Evidence = {}
        self.failures: dict[int, dict[str, Any]] = {}  # id -> error entry, first-seen order
        self.problems: list[str] = []  # why a comparison could not be evaluated on this data


class Condition:
    def evaluate(self, document: dict[str, Any], context: Context) -> Truth:
        raise NotImplementedError

    def comparisons(self) -> Iterator[Comparison]:
        raise NotImplementedError

    def paths(self) -> Iterator[CompiledPath]:
        for comparison in self.comparisons():
            yield comparison.path
            if comparison.operand_path is not None:
                yield comparison.operand_path


@dataclass(frozen=True)
class Comparison(Condition):
    path: CompiledPath
    operator: Operator
    constant: Any = None
    operand_path: CompiledPath | None = None
    param: str | None = None  # the parameter the constant came from, for the evidence
    dependencies: tuple[Dependency, ...] = ()  # what its paths' facts rest on

    def evaluate(self, document: dict[str, Any], context: Context) -> Truth:
        """The comparison's truth; unknown (with the reason) when it fails on this data."""
        try:
            return self._evaluate(document, context)
        except EvaluationError as exc:
            if str(exc) not in context.problems:
                context.problems.append(str(exc))
            return None

    def _evaluate(self, document: dict[str, Any], context: Context) -> Truth:
        value = self.path.search(document)
        context.evidence.setdefault(self.path.text, value)
        operand = self.constant
        if self.operand_path is not None:
            operand = self.operand_path.search(document)
            context.evidence.setdefault(self.operand_path.text, operand)
        elif self.param is not None:
            shown = (
                self.constant.pattern
                if isinstance(self.constant, BoundedPattern)
                else self.constant
            )
            context.evidence.setdefault(f"params.{self.param}", shown)
        if self.dependencies:
            failures = context.missing(self.dependencies)
            if failures:
                for error in failures:
                    context.failures.setdefault(id(error), error)
                return None
        return self.operator.test(value, operand, context.now)

    def comparisons(self) -> Iterator[Comparison]:
        yield self


@dataclass(frozen=True)
class AllOf(Condition):
    """True when every child is; false when any child is false, even if others are unknown."""

    children: tuple[Condition, ...]

    def evaluate(self, document: dict[str, Any], context: Context) -> Truth:
        # Every branch is evaluated so the evidence is complete and does not depend on order.
        results = [child.evaluate(document, context) for child in self.children]
        if False in results:
            return False
        return None if None in results else True

    def comparisons(self) -> Iterator[Comparison]:
        for child in self.children:
            yield from child.comparisons()


@dataclass(frozen=True)
class AnyOf(Condition):
    """True when any child is, even if others are unknown; false when every child is false."""

    children: tuple[Condition, ...]

    def evaluate(self, document: dict[str, Any], context: Context) -> Truth:
        results = [child.evaluate(document, context) for child in self.children]
        if True in results:
            return True
        return None if None in results else False

    def comparisons(self) -> Iterator[Comparison]:
        for child in self.children:
            yield from child.comparisons()


@dataclass(frozen=True)
class NotOf(Condition):
    child: Condition

    def evaluate(self, document: dict[str, Any], context: Context) -> Truth:
        result = self.child.evaluate(document, context)
        return None if result is None else not result

    def comparisons(self) -> Iterator[Comparison]:
        yield from self.child.comparisons()


def with_dependencies(
    condition: Condition, dependencies_of: Callable[[Comparison], tuple[Dependency, ...]]
) -> Condition:
    """The same tree with each comparison's dependencies filled in."""
    if isinstance(condition, Comparison):
        return replace(condition, dependencies=dependencies_of(condition))
    if isinstance(condition, AllOf | AnyOf):
        return type(condition)(
            tuple(with_dependencies(c, dependencies_of) for c in condition.children)
        )
    assert isinstance(condition, NotOf)
    return NotOf(with_dependencies(condition.child, dependencies_of))


class ConditionCompiler:
    """Compiles condition data, collecting every problem instead of stopping at the first."""

    def __init__(self, positions: SourceMap, parameters: dict[str, Any]):
        self.positions = positions
        self.parameters = parameters  # effective values
        self.errors: list[InputError] = []
        self.path_locations: dict[str, Location] = {}  # path text -> where it is first written

    def compile(self, data: Any, where: PathKey) -> Condition | None:
        if not isinstance(data, dict):
            return self._error(
                where, "a condition must be a mapping (all, any, not, or path/op/value)"
            )
        for combinator, build in (("all", AllOf), ("any", AnyOf)):
            if combinator in data:
                if len(data) != 1:
                    return self._error(
                        where, f"'{combinator}' must be the only key of its condition"
                    )
                items = data[combinator]
                if not isinstance(items, list) or not items:
                    return self._error(
                        (*where, combinator), f"'{combinator}' needs a non-empty list of conditions"
                    )
                children = [
                    self.compile(item, (*where, combinator, i)) for i, item in enumerate(items)
                ]
                valid = [child for child in children if child is not None]
                return build(tuple(valid)) if len(valid) == len(children) else None
        if "not" in data:
            if len(data) != 1:
                return self._error(where, "'not' must be the only key of its condition")
            child = self.compile(data["not"], (*where, "not"))
            return NotOf(child) if child is not None else None
        return self._comparison(data, where)

    def _comparison(self, data: dict[str, Any], where: PathKey) -> Condition | None:
        unknown = sorted(set(data) - {"path", "op", "value"})
        if unknown:
            return self._error(
                (*where, unknown[0]), f"unknown key '{unknown[0]}' in a comparison", key=True
            )
        if "path" not in data or "op" not in data:
            missing = "path" if "path" not in data else "op"
            return self._error(where, f"a comparison needs '{missing}'")
        path = self._path(data["path"], (*where, "path"))
        operator = OPERATORS.get(data["op"]) if isinstance(data["op"], str) else None
        if operator is None:
            known = ", ".join(OPERATORS)
            self._error((*where, "op"), f"unknown operator {data['op']!r} (known: {known})")
        if path is None or operator is None:
            return None
        if operator.takes == NO_VALUE:
            if "value" in data:
                return self._error(
                    (*where, "value"), f"operator '{operator.name}' takes no value", key=True
                )
            return Comparison(path, operator)
        if "value" not in data:
            return self._error(where, f"operator '{operator.name}' needs a value")
        return self._operand(path, operator, data["value"], (*where, "value"))

    def _operand(
        self, path: CompiledPath, operator: Operator, value: Any, where: PathKey
    ) -> Condition | None:
        param = None
        if isinstance(value, dict):
            if set(value) == {"path"}:
                operand_path = self._path(value["path"], (*where, "path"))
                return (
                    Comparison(path, operator, operand_path=operand_path) if operand_path else None
                )
            if set(value) == {"param"}:
                name = value["param"]
                if not isinstance(name, str) or name not in self.parameters:
                    declared = ", ".join(sorted(self.parameters)) or "none declared"
                    return self._error(
                        (*where, "param"), f"unknown parameter {name!r} ({declared})"
                    )
                value, param = self.parameters[name], name
            else:
                return self._error(
                    where, "a value mapping must be {param: NAME} or {path: EXPRESSION}"
                )
        prepared, problem = check_operand(operator, value)
        if problem:
            return self._error(where, problem)
        return Comparison(path, operator, constant=prepared, param=param)

    def _path(self, text: Any, where: PathKey) -> CompiledPath | None:
        if not isinstance(text, str) or not text.strip():
            return self._error(where, "'path' must be a non-empty JMESPath expression")
        try:
            compiled = compile_path(text)
        except ValueError as exc:
            shown = text if len(text) <= 80 else text[:79] + "…"
            return self._error(where, f"invalid JMESPath {shown!r}: {exc}")
        self.path_locations.setdefault(text, self.positions.value(where))
        return compiled

    def _error(self, where: PathKey, message: str, *, key: bool = False) -> None:
        location = self.positions.key(where) if key else self.positions.value(where)
        self.errors.append(InputError(message, location))
        return None
