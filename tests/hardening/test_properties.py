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
from scanner.engine.operators import OPERATORS
from scanner.engine.policy import compile_policy
from scanner.engine.results import Finding
from scanner.engine.yaml_source import load_yaml_text
from scanner.errors import InputError
from scanner.model.link import link_snapshot
from scanner.model.link.gaps import CollectionGaps
from scanner.model.snapshot import load_snapshot, validate_snapshot
from scanner.report.waivers import apply_waivers, load_waivers
from tests.hardening.hypothesis_profile import PROPERTY

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
NASTY = st.sampled_from(
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "\x1b[31m",
        "\u202e",
        "\uffff",
        "😀",
        "e\u0301",
        "{{ 7*7 }}",
        "{% raw %}",
        "*",
        "&anchor",
        "!!python/object:os.system",
        "- ",
        ": ",
        "'",
        '"',
        "\\",
        "\t",
        "\n",
        "null",
        "~",
        "1e999",
        "-0",
        "0x1F",
        "2026-13-45",
        "us-east-1a",
        "facts.zone_count",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=30))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
VALID_PATHS = st.sampled_from(
    [
        "id",
        "tags.team",
        "tags",
        "facts.zone_count",
        "facts.zone_names",
        "facts.zones[?type=='local-zone'].name",
        "facts.zones[*].parent_zone_name",
        "length(facts.zone_names)",
        "facts.load_balancer_attached",
        "@",
        "`1`",
        "max_size",
        "created_time",
    ]
)
PATHS = st.one_of(st.sampled_from(["facts.nope", "facts", "facts.zone_count[", ""]), TEXT)
OPERATOR_NAMES = st.one_of(st.sampled_from(sorted(OPERATORS)), TEXT)


REGEXES = st.sampled_from(["^web", "(a|b)+", ".*", "\\d{3}", "(?i)PROD", "[", "(?P<x>"])
_OPERANDS: dict[str, st.SearchStrategy[Any]] = {
    "any": JSON_VALUES,
    "list": st.lists(SCALARS, max_size=3),
    "integer": st.one_of(st.integers(-3, 5), st.just({"param": "min_zones"})),
    "ordered": st.one_of(st.integers(-3, 5), st.floats(allow_nan=False), TEXT),
    "number": st.one_of(st.integers(0, 1000), st.floats(0, 1e6)),
    "regex": REGEXES,
}


@st.composite
def comparisons(draw: st.DrawFn) -> Any:
    """Mostly well-formed comparisons (so evaluation is reached); one in ten is broken."""
    broken = draw(st.integers(0, 9)) == 0
    name = draw(st.sampled_from(sorted(OPERATORS)))
    path = draw(PATHS if broken else VALID_PATHS)
    leaf: dict[str, Any] = {"path": path, "op": name}
    kind = OPERATORS[name].takes
    if kind != "none":
        leaf["value"] = draw(_OPERANDS.get(kind, JSON_VALUES))
    if broken:
        choice = draw(st.sampled_from(["path", "op", "value", "extra", "whole"]))
        if choice == "whole":
            return draw(JSON_VALUES)
        leaf[choice] = draw(JSON_VALUES)
    return leaf


def conditions() -> st.SearchStrategy[Any]:
    return st.recursive(
        comparisons(),
        lambda children: st.one_of(
            st.fixed_dictionaries({"all": st.lists(children, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"any": st.lists(children, min_size=1, max_size=3)}),
            st.fixed_dictionaries({"not": children}),
        ),
        max_leaves=6,
    )


GROUPS = st.lists(
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=20)},
        optional={
            "zones": st.lists(st.sampled_from(["us-east-1a", "us-east-1b", "us-east-1-lax-1a"])),
            "tags": st.dictionaries(TEXT, TEXT, max_size=3),
            "min_size": st.integers(-5, 5),
            "health_check_type": st.sampled_from(["EC2", "ELB", "weird"]),
        },
    ),
    max_size=4,
    unique_by=lambda group: group["id"],
)


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


PLAUSIBLE = st.sampled_from(
    [
        "high",
        "low",
        "instance",
        "load_balancer",
        "fleet",
        "A title",
        "{{ resource.id }} in {{ resource.region }}",
        "{{ resource.tags | tojson }}",
        "{{ params.min_zones * 2 }}",
        {"path": "id", "op": "exists"},
        {"not": {"path": "facts.zone_count", "op": "ge", "value": 2}},
        {"min_zones": {"default": 3, "type": "integer", "description": "d"}},
        [{"name": "c", "snapshot": {}, "fail": []}],
        ["https://docs.aws.amazon.com/"],
    ]
)


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


RECORD_KEYS = st.sampled_from(
    [
        *("auto_scaling_groups", "instances", "volumes", "snapshots", "images", "subnets"),
        *("load_balancers", "target_groups", "classic_load_balancers", "dlm_policies", "weird"),
    ]
)
RECORD = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                *("id", "zone", "zones", "tags", "state", "subnet_ids", "volume_ids", "image_id"),
                *("instance_ids", "start_time", "create_time", "description", "targets"),
            ]
        ),
        TEXT,
    ),
    JSON_VALUES,
    max_size=6,
)
FRAGMENTS = st.fixed_dictionaries(
    {"resources": st.dictionaries(RECORD_KEYS, st.lists(RECORD, max_size=3), max_size=3)},
    optional={
        "errors": st.lists(
            st.fixed_dictionaries(
                {"service": st.sampled_from(["ec2", "autoscaling", "elbv2", "dlm", "sts", "x"])},
                optional={"operation": TEXT, "code": TEXT},
            ),
            max_size=2,
        ),
        "finished_at": st.one_of(TEXT, st.just("2026-01-15T12:00:00Z")),
    },
)


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


WAIVER_ENTRY = st.one_of(
    st.fixed_dictionaries(
        {
            "policy": st.sampled_from(["asg-single-az", "*", "asg-*", "nope"]),
            "resource": st.sampled_from(["*", "arn:aws:autoscaling:*/web", "arn:*:x", "[!a]"]),
            "reason": st.one_of(st.just("accepted"), TEXT),
            "owner": st.one_of(st.just("platform-team"), TEXT),
            "expires": st.one_of(st.sampled_from(["2030-01-01", "2020-01-01"]), TEXT),
        },
        optional={"ticket": st.one_of(TEXT, JSON_VALUES)},
    ),
    st.dictionaries(
        st.one_of(
            st.sampled_from(["policy", "resource", "reason", "owner", "expires", "ticket"]), TEXT
        ),
        st.one_of(JSON_VALUES, st.sampled_from(["2030-01-01", "2020-01-01", "*", "asg-*"])),
        max_size=7,
    ),
)
WAIVER_FILES = st.one_of(
    st.fixed_dictionaries({"waivers": st.lists(WAIVER_ENTRY, max_size=4)}),
    st.dictionaries(TEXT, JSON_VALUES, max_size=3),
    JSON_VALUES,
)


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


CONFIG_FILES = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "disabled": st.lists(st.one_of(st.sampled_from([p.id for p in BUILTINS]), TEXT)),
            "fleet_tag_keys": st.lists(TEXT, max_size=3),
            "policies": st.dictionaries(
                st.one_of(st.sampled_from(["asg-single-az", "elb-single-az"]), TEXT),
                st.dictionaries(
                    st.sampled_from(["severity", "parameters", "other"]),
                    st.one_of(
                        JSON_VALUES,
                        st.sampled_from(["low", "critical"]),
                        st.dictionaries(st.sampled_from(["min_zones", "x"]), JSON_VALUES),
                    ),
                ),
                max_size=2,
            ),
        },
    ),
    JSON_VALUES,
)


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
