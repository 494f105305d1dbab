"""Condition trees: three-valued logic over comparisons, and the evidence they record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scanner.engine.conditions import Comparison, ConditionCompiler, Context, with_dependencies
from scanner.engine.yaml_source import load_yaml_text
from scanner.model.link.facts import Dependency

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
MISSING_DLM = {"service": "dlm", "operation": "GetLifecyclePolicies", "code": "AccessDenied"}
DLM = Dependency("dlm_policy")


def compile_condition(text: str, parameters: dict | None = None):
    document = load_yaml_text(text, "condition.yaml")
    compiler = ConditionCompiler(document.positions, parameters or {})
    condition = compiler.compile(document.data, ())
    assert compiler.errors == []
    # Paths under facts.dlm rest on DLM; everything else on the record alone.
    return with_dependencies(
        condition, lambda c: (DLM,) if c.path.text.startswith("facts.dlm") else ()
    )


def judge(text: str, document: dict, *, dlm_failed: bool = False, parameters: dict | None = None):
    condition = compile_condition(text, parameters)
    failures = (MISSING_DLM,) if dlm_failed else ()
    context = Context(NOW, lambda deps: failures if DLM in deps else ())
    return condition.evaluate(document, context), context


DOC = {"state": "running", "tags": {"team": "web"}, "facts": {"dlm": {"ids": []}, "zones": 1}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{path: state, op: eq, value: running}", True),
        (
            "{all: [{path: state, op: eq, value: running}, {path: facts.zones, op: ge, value: 2}]}",
            False,
        ),
        (
            "{any: [{path: state, op: eq, value: stopped}, {path: facts.zones, op: eq, value: 1}]}",
            True,
        ),
        ("{not: {path: tags.team, op: exists}}", False),
        ("{path: facts.zones, op: lt, value: {param: min_zones}}", True),
        ('{path: tags.team, op: in, value: {path: \'[`"web"`, `"api"`]\'}}', True),
    ],
)
def test_combinators(text: str, expected: bool) -> None:
    assert judge(text, DOC, parameters={"min_zones": 2})[0] is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The missing observation decides: unknown.
        ("{path: facts.dlm.ids, op: empty}", None),
        ("{not: {path: facts.dlm.ids, op: empty}}", None),
        ("{all: [{path: state, op: eq, value: running}, {path: facts.dlm.ids, op: empty}]}", None),
        ("{any: [{path: state, op: eq, value: stopped}, {path: facts.dlm.ids, op: empty}]}", None),
        # A known branch settles it: the gap cannot change the answer.
        ("{all: [{path: state, op: eq, value: stopped}, {path: facts.dlm.ids, op: empty}]}", False),
        ("{any: [{path: state, op: eq, value: running}, {path: facts.dlm.ids, op: empty}]}", True),
        (
            "{not: {all: [{path: state, op: ne, value: running},"
            " {path: facts.dlm.ids, op: empty}]}}",
            True,
        ),
    ],
)
def test_unknown_propagates_only_when_known_branches_cannot_decide(text: str, expected) -> None:
    result, context = judge(text, DOC, dlm_failed=True)
    assert result is expected
    # The gap is recorded either way, so an unknown finding can say what was missing.
    assert list(context.failures.values()) == [MISSING_DLM]


def test_evidence_holds_every_path_and_parameter_in_order() -> None:
    text = """
all:
  - {path: state, op: eq, value: running}
  - {path: facts.zones, op: lt, value: {param: min_zones}}
  - {path: tags.team, op: eq, value: {path: tags.owner}}
"""
    result, context = judge(text, DOC, parameters={"min_zones": 2})
    assert result is False
    assert list(context.evidence.items()) == [
        ("state", "running"),
        ("facts.zones", 1),
        ("params.min_zones", 2),
        ("tags.team", "web"),
        ("tags.owner", None),
    ]


def test_a_regex_parameter_shows_its_pattern_as_evidence() -> None:
    result, context = judge(
        "{path: state, op: matches, value: {param: pattern}}", DOC, parameters={"pattern": "^run"}
    )
    assert result is True
    assert context.evidence["params.pattern"] == "^run"


def test_comparisons_are_listed_for_dependency_analysis() -> None:
    condition = compile_condition(
        "{any: [{path: state, op: eq, value: x}, {not: {path: facts.dlm.ids, op: empty}}]}"
    )
    assert [c.path.text for c in condition.comparisons()] == ["state", "facts.dlm.ids"]
    assert all(isinstance(c, Comparison) for c in condition.comparisons())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{all: [], any: []}", "1:1: 'all' must be the only key of its condition"),
        ("{all: {path: a, op: exists}}", "1:7: 'all' needs a non-empty list of conditions"),
        ("{not: [a]}", "1:7: a condition must be a mapping (all, any, not, or path/op/value)"),
        ("{path: a, op: eq}", "1:1: operator 'eq' needs a value"),
        ("{op: eq, value: 1}", "1:1: a comparison needs 'path'"),
        ("{path: a, op: eq, value: 1, note: x}", "1:29: unknown key 'note' in a comparison"),
        (
            "{path: a, op: eq, value: {literal: 1}}",
            "1:26: a value mapping must be {param: NAME} or {path: EXPRESSION}",
        ),
        ("{path: '', op: exists}", "1:8: 'path' must be a non-empty JMESPath expression"),
        (
            "{path: a, op: eq, value: {path: 'b['}}",
            "1:33: invalid JMESPath 'b[': Invalid jmespath expression at character 3",
        ),
    ],
)
def test_compile_errors_point_at_the_node(text: str, message: str) -> None:
    document = load_yaml_text(text, "c.yaml")
    compiler = ConditionCompiler(document.positions, {})
    assert compiler.compile(document.data, ()) is None
    assert [str(e) for e in compiler.errors] == [f"c.yaml:{message}"]
