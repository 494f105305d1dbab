"""YAML with positions: every value keeps the line and column it came from.

Policy and config errors must point at ``file:line:column``. PyYAML's composer
gives nodes with marks; this module builds plain Python values from them and
remembers, for each path of keys and indexes, where the key and the value sit.
Timestamps stay strings (snapshots store ISO 8601 text) and duplicate keys are
errors rather than silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scanner.errors import InputError, Location
from scanner.userfiles import read_user_text

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of keys and values by path (a tuple of mapping keys and list indexes)."""

    source: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def value(self, path: PathKey) -> Location:
        """Where the value at ``path`` starts; the nearest enclosing value if unknown."""
        return self._nearest(self.values, tuple(path))

    def key(self, path: PathKey) -> Location:
        """Where the key of ``path`` starts (falls back to its value, then outward)."""
        path = tuple(path)
        if path in self.keys:
            line, column = self.keys[path]
            return Location(self.source, line, column)
        return self.value(path)

    def _nearest(self, table: dict[PathKey, tuple[int, int]], path: PathKey) -> Location:
        while path not in table and path:
            path = path[:-1]
        line, column = table.get(path, (1, 1))
        return Location(self.source, line, column)


@dataclass
class YamlDocument:
    data: Any
    positions: SourceMap


def load_yaml_file(path: str | Path) -> YamlDocument:
    """Read and parse one YAML file; any problem is an :class:`InputError` with a position."""
    return load_yaml_text(read_user_text(path, "file"), str(path))


def load_yaml_text(text: str, source: str) -> YamlDocument:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        problem, where = describe_yaml_error(exc, source)
        raise InputError(f"invalid YAML: {problem}", where) from exc
    except RecursionError as exc:
        raise InputError("invalid YAML: nested too deeply", Location(source)) from exc
    return build_yaml_node(node, source)


def build_yaml_node(node: yaml.Node | None, source: str) -> YamlDocument:
    """Plain values from a composed document, every value checked (:func:`check_scalar`)."""
    positions = SourceMap(source)
    if node is None:
        return YamlDocument(None, positions)
    check_yaml_size(node, source)
    builder = _Builder(positions)
    return YamlDocument(builder.build(node, ()), positions)


# Numbers stormproof accepts in any file a user gives: finite, and within the integers a
# JSON reader keeps exactly (2^53), so a value means the same in every output.
MAX_NUMBER = 2**53
_MAX_INTEGER_DIGITS = 16


def check_scalar(value: Any) -> str | None:
    """What is wrong with a number or string from a user's file, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value != value:
        return "NaN is not a number stormproof accepts"
    if isinstance(value, int | float) and abs(value) > MAX_NUMBER:
        shown = "infinity" if abs(value) == float("inf") else f"number {value:.6g}"
        return f"{shown} is out of range (at most 2^53 = {MAX_NUMBER:,} either way)"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a \\u escape is half a surrogate pair (not a character)"
    return None


def describe_yaml_error(exc: yaml.YAMLError, source: str) -> tuple[str, Location]:
    """The parser's complaint and where, in the same words whichever libyaml is installed."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    if "nesting depth" in problem:  # newer libyaml stops deep documents itself
        problem = "nested too deeply"
    where = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
    return problem, where


MAX_YAML_VALUES = 1_000_000


def check_yaml_size(node: yaml.Node, source: str, limit: int = MAX_YAML_VALUES) -> None:
    """Refuse a document that expands, through aliases, to more than ``limit`` values.

    Aliases make a few lines stand for billions of values ("billion laughs");
    counting with a memo per node is linear in the text, expanding is not.
    """
    sizes: dict[int, int] = {}

    def size(current: yaml.Node) -> int:
        key = id(current)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a recursive alias counts once; the builder reports it
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(size(item) for item in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in current.value)
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    try:
        too_big = size(node) > limit
    except RecursionError as exc:
        raise InputError("invalid YAML: nested too deeply", Location(source)) from exc
    if too_big:
        line, column = _mark(node)
        raise InputError(
            f"YAML expands to more than {limit:,} values (aliases repeating aliases?)",
            Location(source, line, column),
        )


class _Builder:
    _MAX_DEPTH = 100

    def __init__(self, positions: SourceMap):
        self.positions = positions
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if len(path) > self._MAX_DEPTH:
            raise InputError("YAML nests too deeply (a recursive alias?)", self._where(node))
        self.positions.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if node.tag == "tag:yaml.org,2002:int" and len(node.value) > _MAX_INTEGER_DIGITS + 2:
            digits = len(node.value.lstrip("+-"))
            raise InputError(
                f"integer literal of {digits:,} digits is out of range", self._where(node)
            )
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or exc
            raise InputError(f"invalid YAML value: {problem}", self._where(node)) from exc
        except ValueError as exc:  # int() past Python's digit limit, and the like
            raise InputError(f"invalid YAML value: {exc}", self._where(node)) from exc
        problem = check_scalar(value)
        if problem:
            raise InputError(problem, self._where(node))
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise InputError("YAML merge keys (<<) are not supported", self._where(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("mapping keys must be plain strings", self._where(key_node))
            try:
                key = str(self.constructor.construct_object(key_node))
            except (yaml.YAMLError, ValueError) as exc:
                problem = getattr(exc, "problem", None) or exc
                raise InputError(f"invalid YAML key: {problem}", self._where(key_node)) from exc
            if check_scalar(key):
                raise InputError(f"invalid YAML key: {check_scalar(key)}", self._where(key_node))
            if key in result:
                raise InputError(f"duplicate key '{key}'", self._where(key_node))
            self.positions.keys[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _where(self, node: yaml.Node) -> Location:
        line, column = _mark(node)
        return Location(self.positions.source, line, column)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
