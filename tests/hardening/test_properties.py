"""Property tests: whatever is thrown at the loaders and the evaluator, the outcome is either a
valid result or a clean :class:`InputError` (one line, with a location), never anything else.

Generated inputs: policy YAML text (mutations of a valid policy, and arbitrary text),
policy structures, condition trees, snapshot fragments and raw snapshot bytes,
waiver files and config files. Examples are derandomized (``hypothesis_profile``),
so a failure reproduces on every run; shrunk failures belong in ``corpus/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event as hypothesis_event
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from scanner.engine import evaluate, load_config, load_policies
from scanner.engine.evaluate import FAIL, OUT_OF_SCOPE, PASS, UNKNOWN, judge
from scanner.engine.fragments import FragmentError, expand_fragment
from scanner.engine.messages import compile_message
from scanner.engine.policy import compile_policy
from scanner.engine.results import Finding
from scanner.engine.yaml_source import load_yaml_text
from scanner.errors import InputError
from scanner.model.link import link_snapshot
from scanner.model.link.gaps import CollectionGaps
from scanner.model.snapshot import load_snapshot, validate_snapshot
from scanner.report.waivers import apply_waivers, load_waivers
from tests.hardening.hypothesis_profile import PROPERTY
from tests.hardening.strategies import (
    CONFIG_FILES,
    FRAGMENTS,
    GROUPS,
    JSON_VALUES,
    NUMBER_TEXTS,
    PLAUSIBLE,
    TEXT,
    WAIVER_FILES,
    conditions,
    filter_templates,
)

POLICY = """\
id: prop-policy
title: A generated policy
severity: medium
resource: auto_scaling_group
description: Generated.
rationale: Generated.
remediation: Generated.
parameters:
  min_zones:
    default: 2
    type: integer
    description: Fewest zones.
scope:
  path: tags.team
  op: exists
violation:
  path: facts.zone_count
  op: lt
  value: {param: min_zones}
message: "{{ resource.id }} spans {{ resource.facts.zone_count }} zones."
"""

BUILTINS = load_policies()
STATUSES = {FAIL, PASS, UNKNOWN, OUT_OF_SCOPE}
NOW = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


# Strings that have broken parsers before: markup, escapes, odd Unicode, YAML syntax.
def event(name: str) -> None:
    """Record how often each outcome happens (``--hypothesis-show-statistics``)."""
    with contextlib.suppress(InvalidArgument):  # outside a Hypothesis test: nothing to record
        hypothesis_event(name)


def linked(groups: list[dict[str, Any]]) -> Any:
    return link_snapshot(expand_fragment({"resources": {"auto_scaling_groups": groups}}))


def compile_text(text: str) -> Any:
    """Load and compile; returns the policy or the first InputError. Anything else escapes."""
    try:
        document = load_yaml_text(text, "policy.yaml")
    except InputError as error:
        event("YAML rejected")
        return error
    policy, errors = compile_policy(document, builtin=False)
    event("policy compiled" if policy else "policy rejected")
    assert (policy is None) == bool(errors)
    for error in errors:
        assert isinstance(error, InputError)
        assert error.location is not None and error.location.path == "policy.yaml"
        assert "\n" not in str(error)
    return policy or errors[0]


def assert_judges_cleanly(policy: Any, groups: list[dict[str, Any]]) -> None:
    model = linked(groups)
    gaps = CollectionGaps(model.errors)
    for document in model.of_type(policy.meta.resource):
        assert judge(policy, document, NOW, gaps).status in STATUSES
    evaluation = evaluate(model, [policy], now=NOW)
    for finding in evaluation.findings:
        assert isinstance(finding.message, str) and finding.message.encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        # Found by the mutation test: a Python tag on a mapping key escaped as ConstructorError.
        POLICY.replace("rationale:", "!!python/object:os.system run: me\nrationale:"),
        POLICY.replace("title: A generated policy", "title: !!python/object:os.system echo"),
    ],
)
def test_python_tags_in_policy_yaml_are_clean_errors(text: str) -> None:
    assert isinstance(compile_text(text), InputError)


@PROPERTY
@given(st.data())
def test_mutated_policy_text_loads_or_fails_cleanly(data: st.DataObject) -> None:
    lines = POLICY.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "insert", "truncate"]))
        if action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "insert":
            column = data.draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:column] + data.draw(TEXT) + lines[index][column:]
        else:
            lines = lines[: index + 1]
    compile_text("".join(lines))


@PROPERTY
@given(st.text(max_size=200))
def test_arbitrary_text_as_a_policy_fails_cleanly(text: str) -> None:
    assert isinstance(compile_text(text), InputError)


@PROPERTY
@given(
    st.dictionaries(
        st.one_of(
            st.sampled_from(
                [
                    *("id", "title", "severity", "resource", "description", "rationale"),
                    *("remediation", "parameters", "scope", "violation", "message", "tests"),
                    *("references", "frameworks"),
                ]
            ),
            st.sampled_from(["tests", "example", "scope"]),
            TEXT,
        ),
        st.one_of(PLAUSIBLE, PLAUSIBLE, JSON_VALUES),
        max_size=2,
    )
)
def test_generated_policy_structures_load_or_fail_cleanly(structure: dict[str, Any]) -> None:
    base = yaml.safe_load(POLICY)
    text = yaml.safe_dump({**base, **structure}, allow_unicode=True)
    result = compile_text(text)
    if not isinstance(result, InputError):
        assert_judges_cleanly(result, [{"id": "web", "zones": ["us-east-1a"]}])


@PROPERTY
@given(conditions(), st.one_of(st.none(), conditions()), GROUPS)
# Found by this test: a list operand of `contains` against a mapping raised TypeError.
@example({"path": "tags", "op": "contains", "value": []}, None, [{"id": "0", "tags": {}}])
@example({"path": "tags", "op": "contains", "value": {"k": 1}}, None, [{"id": "0"}])
def test_generated_conditions_compile_and_judge_cleanly(
    violation: Any, scope: Any, groups: list[dict[str, Any]]
) -> None:
    document = yaml.safe_load(POLICY)
    document["violation"] = violation
    if scope is None:
        document.pop("scope")
    else:
        document["scope"] = scope
    result = compile_text(yaml.safe_dump(document, allow_unicode=True))
    if not isinstance(result, InputError):
        assert_judges_cleanly(result, groups)


@PROPERTY
@given(FRAGMENTS)
def test_generated_snapshot_fragments_are_rejected_or_judged_by_every_policy(
    fragment: dict[str, Any],
) -> None:
    try:
        snapshot = expand_fragment(fragment)
        validate_snapshot(snapshot, "fragment")
    except (FragmentError, InputError) as error:
        event(f"fragment rejected: {type(error).__name__}")
        assert "\n" not in str(error)
        return
    event("fragment judged")
    model = link_snapshot(snapshot)
    evaluation = evaluate(model, BUILTINS, now=NOW)
    assert {finding.status for finding in evaluation.findings} <= {"open", "unknown"}
    for finding in evaluation.findings:
        json.dumps(finding.evidence, allow_nan=False, default=str)
        assert finding.message.encode("utf-8")


@PROPERTY
@given(st.one_of(st.binary(max_size=300), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
def test_arbitrary_bytes_as_a_snapshot_fail_cleanly(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "snapshot.json"
    path.write_bytes(raw)
    try:
        load_snapshot(path)
    except InputError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
    else:
        raise AssertionError("arbitrary bytes passed as a snapshot")


@PROPERTY
@given(WAIVER_FILES, st.sampled_from(["waivers.yaml", "waivers.json"]))
def test_generated_waiver_files_load_or_fail_cleanly(
    tmp_path: Path, document: Any, name: str
) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        waivers = load_waivers(path, today=dt.date(2026, 1, 15))
    except InputError as error:
        event("waiver file rejected")
        assert str(error).startswith(str(path)) and "\n" not in str(error)
        return
    event(f"waiver file loaded, {len(waivers.waivers)} usable")
    finding = Finding(
        policy_id="asg-single-az",
        severity="high",
        status="open",
        resource_type="auto_scaling_group",
        resource_id="web",
        arn="arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:x:autoScalingGroupName/web",
        account="111122223333",
        region="us-east-1",
        message="m",
    )
    apply_waivers([finding], waivers)
    assert finding.status in ("open", "waived")


@PROPERTY
@given(CONFIG_FILES)
def test_generated_config_files_load_or_fail_cleanly(tmp_path: Path, document: Any) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        policies = load_policies(config=load_config(path))
    except InputError as error:
        event("config rejected")
        assert str(error).startswith(str(path)) and "\n" not in str(error)
        return
    event("config loaded")
    for policy in policies:
        if policy.meta.resource == "auto_scaling_group":
            assert_judges_cleanly(policy, [{"id": "web", "zones": ["us-east-1a"]}])


@PROPERTY
@given(st.sampled_from(["violation.value", "parameters.default", "config"]), NUMBER_TEXTS)
def test_numbers_in_policies_and_config_load_or_are_one_located_error(
    tmp_path: Path, where: str, number: str
) -> None:
    if where == "config":
        path = tmp_path / "config.yaml"
        text = f"policies:\n  asg-single-az:\n    parameters:\n      min_zones: {number}\n"
        path.write_text(text, encoding="utf-8")
        try:
            load_policies(config=load_config(path))
        except InputError as error:
            assert error.location is not None and error.location.line == 4
            assert "\n" not in str(error)
        return
    if where == "violation.value":
        text = POLICY.replace("  value: {param: min_zones}", f"  value: {number}")
    else:
        text = POLICY.replace("    default: 2", f"    default: {number}")
    result = compile_text(text)
    if isinstance(result, InputError):
        assert result.location is not None and result.location.line is not None
        return
    value = result.violation.constant if where == "violation.value" else 2
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert value == value and abs(value) <= 2**53  # NaN, infinities, huge: refused
    assert_judges_cleanly(result, [{"id": "g", "zones": ["us-east-1a"], "tags": {"team": "x"}}])


@PROPERTY
@given(filter_templates())
def test_template_filters_with_any_argument_render_bounded_or_are_refused(template: str) -> None:
    compiled, problem, _ = compile_message(template)
    if compiled is None:
        assert problem and "\n" not in problem
        event("template refused")
        return
    filters = {part.strip().split("(")[0] for part in template.split("|")[1:]}
    assert not {"random", "shuffle"} & filters  # no such filter: refused at load
    resource = {"id": "web", "tags": {"team": "a"}, "zones": ["us-east-1a", "us-east-1b"]}
    started = time.monotonic()
    first = compiled.render(resource, {"min_zones": 2}, "FALLBACK")
    assert time.monotonic() - started < 5
    assert len(first) <= 4096
    # Deterministic: the same data gives the same bytes.
    assert compiled.render(resource, {"min_zones": 2}, "FALLBACK") == first
    event("fallback" if first.startswith("FALLBACK") else "rendered")
