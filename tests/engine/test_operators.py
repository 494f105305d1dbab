"""Each operator of the policy language, on the values it meets in real documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scanner.engine.operators import OPERATORS, BoundedPattern, check_operand

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def pattern(text: str) -> object:
    """A ``matches`` operand as a policy load prepares it (time-bounded)."""
    prepared, problem = check_operand(OPERATORS["matches"], text)
    assert problem is None
    return prepared


CASES = [
    ("eq", 2, 2, True),
    ("eq", "2", 2, False),
    ("eq", None, None, True),
    ("ne", "EC2", "ELB", True),
    ("ne", "ELB", "ELB", False),
    ("lt", 1, 2, True),
    ("lt", 2, 2, False),
    ("lt", None, 2, False),
    ("lt", "1", 2, False),
    ("le", 2, 2, True),
    ("gt", 3, 2, True),
    ("gt", "b", "a", True),
    ("ge", 2, 2, True),
    ("ge", 1, 2, False),
    ("in", "ERROR", ["DISABLED", "ERROR"], True),
    ("in", "ENABLED", ["DISABLED", "ERROR"], False),
    ("not_in", "ENABLED", ["DISABLED", "ERROR"], True),
    ("not_in", None, ["DISABLED"], True),
    ("contains", ["CLOUD", "OUTPOST"], "CLOUD", True),
    ("contains", ["OUTPOST"], "CLOUD", False),
    ("contains", "EBS,ELB", "ELB", True),
    ("contains", None, "CLOUD", False),
    ("contains", {"Backup": "x"}, "Backup", True),
    ("not_contains", ["OUTPOST"], "CLOUD", True),
    ("not_contains", None, "CLOUD", True),
    ("subset_of", ["a"], ["a", "b"], True),
    ("subset_of", ["a", "c"], ["a", "b"], False),
    ("subset_of", [], ["a"], True),
    ("subset_of", None, [], True),
    ("superset_of", ["a", "b"], ["a"], True),
    ("superset_of", ["a"], ["a", "b"], False),
    ("intersects", ["a", "x"], ["a", "b"], True),
    ("intersects", ["x"], ["a", "b"], False),
    ("intersects", [{"k": 1}], [{"k": 1}], True),
    ("disjoint", ["x"], ["a", "b"], True),
    ("disjoint", ["a"], ["a", "b"], False),
    ("count_eq", ["a"], 1, True),
    ("count_eq", None, 0, True),
    ("count_ne", ["a"], 1, False),
    ("count_lt", ["a"], 2, True),
    ("count_le", ["a", "b"], 2, True),
    ("count_gt", ["a", "b"], 1, True),
    ("count_ge", "", 1, False),
    ("matches", "EBS,ELB", pattern(r"\bELB\b"), True),
    ("matches", None, pattern(r".*"), False),
    ("not_matches", "EC2", pattern(r"\bELB\b"), True),
    ("not_matches", None, pattern(r"ELB"), True),
    ("empty", [], None, True),
    ("empty", None, None, True),
    ("empty", "", None, True),
    ("empty", {}, None, True),
    ("empty", ["x"], None, False),
    ("empty", 0, None, False),
    ("not_empty", ["x"], None, True),
    ("not_empty", None, None, False),
    ("exists", False, None, True),
    ("exists", None, None, False),
    ("missing", None, None, True),
    ("missing", "", None, False),
    ("older_than_hours", "2026-01-14T11:59:59Z", 24, True),
    ("older_than_hours", "2026-01-14T12:00:00Z", 24, False),
    ("older_than_hours", None, 24, False),
    ("older_than_hours", "not a time", 24, False),
    ("older_than_hours", "2026-01-15T10:00:00+02:00", 1, True),
    ("older_than_days", "2026-01-07T12:00:00Z", 7, True),
    ("older_than_days", "2026-01-08T12:00:00Z", 7, False),
    ("older_than_days", "2026-01-08T12:00:00.5Z", 6.5, True),
    ("newer_than_hours", "2026-01-15T11:00:00Z", 2, True),
    ("newer_than_hours", "2026-01-15T09:00:00Z", 2, False),
    ("newer_than_days", "2026-01-10T12:00:00Z", 7, True),
    ("newer_than_days", None, 7, False),
]


@pytest.mark.parametrize(("op", "value", "operand", "expected"), CASES)
def test_operator(op: str, value: object, operand: object, expected: bool) -> None:
    assert OPERATORS[op].test(value, operand, NOW) is expected


def test_every_operator_has_a_case() -> None:
    assert {case[0] for case in CASES} == set(OPERATORS)


@pytest.mark.parametrize(
    ("op", "operand", "problem"),
    [
        ("in", "ERROR", "operator 'in' needs a list value, got a string"),
        ("count_eq", 1.5, "operator 'count_eq' needs an integer value, got a number"),
        ("count_eq", True, "operator 'count_eq' needs an integer value, got a boolean"),
        ("older_than_days", "7", "operator 'older_than_days' needs a number value, got a string"),
        ("matches", 3, "operator 'matches' needs a regular expression string"),
        ("matches", "(", "invalid regular expression '(': missing )"),
    ],
)
def test_operands_are_checked_before_any_resource_is_seen(op: str, operand: object, problem: str):
    _, error = check_operand(OPERATORS[op], operand)
    assert error is not None and error.startswith(problem)


def test_a_regex_operand_is_compiled_once() -> None:
    prepared, error = check_operand(OPERATORS["matches"], r"^ELB$")
    assert error is None and isinstance(prepared, BoundedPattern)
    assert prepared.pattern == r"^ELB$" and prepared.search("ELB")
