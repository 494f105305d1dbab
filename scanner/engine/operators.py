"""The comparison operators of the policy language.

Each operator names the kind of value it takes, so a policy with a wrong value
is rejected when it loads, not when it runs. Operators never raise on data:
a value of the wrong type simply does not satisfy a positive test (and so does
satisfy its negation), and a missing timestamp is never "older than" anything.

Regular expressions run on the ``regex`` engine with a time limit per match
(:data:`MATCH_TIMEOUT_SECONDS`): a pattern that backtracks catastrophically on
some value makes that result unknown (:class:`EvaluationError`), and after
:data:`MAX_TIMEOUTS` timeouts it is not run again in the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import regex

from scanner.engine.paths import EvaluationError
from scanner.model.link.timeparse import parse_time

MATCH_TIMEOUT_SECONDS = 0.1
MAX_TIMEOUTS = 3

# What an operator's `value` must be.
NO_VALUE = "none"
ANY = "any"
LIST = "list"
NUMBER = "number"
INTEGER = "integer"
ORDERED = "ordered"  # a number or a string
REGEX = "regex"


@dataclass(frozen=True)
class Operator:
    name: str
    takes: str  # one of the value kinds above
    test: Callable[[Any, Any, datetime], bool]  # (path value, operand, now) -> bool
    doc: str


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ordered(left: Any, right: Any) -> bool:
    return (_is_number(left) and _is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _hashable(values: list[Any]) -> list[Any]:
    return [repr(v) if isinstance(v, dict | list) else v for v in values]


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, list):
        return item in container
    if isinstance(container, dict):  # a key test; a list or mapping is never a key
        return not isinstance(item, list | dict) and item in container
    return False


def _size(value: Any) -> int:
    return len(value) if isinstance(value, list | dict | str) else 0


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | dict | str) and len(value) == 0)


def _older(value: Any, limit: timedelta, now: datetime) -> bool:
    moment = parse_time(value)
    return moment is not None and now - moment > limit


def _newer(value: Any, limit: timedelta, now: datetime) -> bool:
    moment = parse_time(value)
    return moment is not None and now - moment <= limit


@dataclass(eq=False)
class BoundedPattern:
    """A compiled ``matches`` operand whose every search is time-limited."""

    pattern: str
    compiled: Any
    timeouts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def search(self, text: str) -> bool:
        if self.timeouts >= MAX_TIMEOUTS:
            raise EvaluationError(f"regular expression {self.pattern!r} disabled: {self._why}")
        try:
            return self.compiled.search(text, timeout=MATCH_TIMEOUT_SECONDS) is not None
        except TimeoutError:
            with self._lock:
                self.timeouts += 1
            raise EvaluationError(f"regular expression {self.pattern!r} {self._why}") from None

    @property
    def _why(self) -> str:
        return f"took longer than {MATCH_TIMEOUT_SECONDS} s on a value"


def _matches(value: Any, pattern: BoundedPattern) -> bool:
    return isinstance(value, str) and pattern.search(value)


def _subset(left: Any, right: Any) -> bool:
    return set(_hashable(_as_list(left))) <= set(_hashable(_as_list(right)))


def _intersects(left: Any, right: Any) -> bool:
    return bool(set(_hashable(_as_list(left))) & set(_hashable(_as_list(right))))


_OPERATORS: tuple[Operator, ...] = (
    Operator("eq", ANY, lambda v, x, _: v == x, "equals the value"),
    Operator("ne", ANY, lambda v, x, _: v != x, "does not equal the value"),
    Operator(
        "lt", ORDERED, lambda v, x, _: _ordered(v, x) and v < x, "is less than (numbers or strings)"
    ),
    Operator("le", ORDERED, lambda v, x, _: _ordered(v, x) and v <= x, "is less than or equal to"),
    Operator("gt", ORDERED, lambda v, x, _: _ordered(v, x) and v > x, "is greater than"),
    Operator("ge", ORDERED, lambda v, x, _: _ordered(v, x) and v >= x, "is greater than or equal"),
    Operator("in", LIST, lambda v, x, _: v in _as_list(x), "is one of the listed values"),
    Operator("not_in", LIST, lambda v, x, _: v not in _as_list(x), "is none of the listed values"),
    Operator(
        "contains",
        ANY,
        lambda v, x, _: _contains(v, x),
        "a list (or string) that contains the value",
    ),
    Operator(
        "not_contains", ANY, lambda v, x, _: not _contains(v, x), "does not contain the value"
    ),
    Operator(
        "subset_of", LIST, lambda v, x, _: _subset(v, x), "every item is in the value (a list)"
    ),
    Operator("superset_of", LIST, lambda v, x, _: _subset(x, v), "holds every item of the value"),
    Operator(
        "intersects",
        LIST,
        lambda v, x, _: _intersects(v, x),
        "shares at least one item with the value",
    ),
    Operator(
        "disjoint", LIST, lambda v, x, _: not _intersects(v, x), "shares no item with the value"
    ),
    Operator(
        "count_eq", INTEGER, lambda v, x, _: _size(v) == x, "has exactly N items (null counts 0)"
    ),
    Operator("count_ne", INTEGER, lambda v, x, _: _size(v) != x, "does not have N items"),
    Operator("count_lt", INTEGER, lambda v, x, _: _size(v) < x, "has fewer than N items"),
    Operator("count_le", INTEGER, lambda v, x, _: _size(v) <= x, "has at most N items"),
    Operator("count_gt", INTEGER, lambda v, x, _: _size(v) > x, "has more than N items"),
    Operator("count_ge", INTEGER, lambda v, x, _: _size(v) >= x, "has at least N items"),
    Operator(
        "matches", REGEX, lambda v, x, _: _matches(v, x), "a string the regular expression matches"
    ),
    Operator(
        "not_matches",
        REGEX,
        lambda v, x, _: not _matches(v, x),
        "anything the expression does not match",
    ),
    Operator(
        "empty", NO_VALUE, lambda v, x, _: _empty(v), "null, or an empty string, list or object"
    ),
    Operator("not_empty", NO_VALUE, lambda v, x, _: not _empty(v), "anything but null or empty"),
    Operator("exists", NO_VALUE, lambda v, x, _: v is not None, "present and not null"),
    Operator("missing", NO_VALUE, lambda v, x, _: v is None, "absent or null"),
    Operator(
        "older_than_hours",
        NUMBER,
        lambda v, x, now: _older(v, timedelta(hours=x), now),
        "an ISO 8601 time more than N hours before evaluation time",
    ),
    Operator(
        "older_than_days",
        NUMBER,
        lambda v, x, now: _older(v, timedelta(days=x), now),
        "an ISO 8601 time more than N days before evaluation time",
    ),
    Operator(
        "newer_than_hours",
        NUMBER,
        lambda v, x, now: _newer(v, timedelta(hours=x), now),
        "an ISO 8601 time at most N hours before evaluation time",
    ),
    Operator(
        "newer_than_days",
        NUMBER,
        lambda v, x, now: _newer(v, timedelta(days=x), now),
        "an ISO 8601 time at most N days before evaluation time",
    ),
)

OPERATORS: dict[str, Operator] = {op.name: op for op in _OPERATORS}


def check_operand(operator: Operator, value: Any) -> tuple[Any, str | None]:
    """Validate a constant operand; return it prepared (a compiled regex) and an error, if any."""
    kind = operator.takes
    if kind == LIST and not isinstance(value, list):
        return value, f"operator '{operator.name}' needs a list value, got {_type_name(value)}"
    if kind == INTEGER and not (isinstance(value, int) and not isinstance(value, bool)):
        return value, f"operator '{operator.name}' needs an integer value, got {_type_name(value)}"
    if kind == ORDERED and not (_is_number(value) or isinstance(value, str)):
        wanted = "a number or string"
        return value, f"operator '{operator.name}' needs {wanted} value, got {_type_name(value)}"
    if kind == NUMBER and not _is_number(value):
        return value, f"operator '{operator.name}' needs a number value, got {_type_name(value)}"
    if kind == REGEX:
        if not isinstance(value, str):
            return value, f"operator '{operator.name}' needs a regular expression string"
        try:
            return BoundedPattern(value, regex.compile(value, regex.VERSION0)), None
        except (regex.error, OverflowError, RecursionError) as exc:
            return value, f"invalid regular expression {value!r}: {exc}"
    return value, None


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "null",
    }.get(type(value), type(value).__name__)
