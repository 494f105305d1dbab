"""Every built-in policy's own test cases, one pytest item per case (cfn-lint style)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scanner.engine import load_policies
from scanner.engine.policy import Policy, PolicyCase
from scanner.engine.policy_tests import run_case

BUILTINS = load_policies()
CASES = [(policy, case) for policy in BUILTINS for case in policy.cases]


@pytest.mark.parametrize(
    ("policy", "case"), CASES, ids=[f"{policy.id}::{case.name}" for policy, case in CASES]
)
def test_builtin_case(policy: Policy, case: PolicyCase) -> None:
    result = run_case(policy, case)
    assert result.problems == []


@pytest.mark.parametrize("policy", BUILTINS, ids=[policy.id for policy in BUILTINS])
def test_cases_tell_the_policy_from_its_opposite(policy: Policy, tmp_path: Path) -> None:
    """A case set that also passes with the violation negated would prove nothing."""
    document = {**policy.document, "violation": {"not": policy.document["violation"]}}
    (tmp_path / "flipped.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    [flipped] = load_policies([tmp_path], include_builtin=False)
    assert any(not run_case(flipped, case).ok for case in flipped.cases)


@pytest.mark.parametrize("policy", BUILTINS, ids=[policy.id for policy in BUILTINS])
def test_cases_cover_failing_and_passing_resources(policy: Policy) -> None:
    failing = {rid for case in policy.cases for rid in case.fail}
    passing = {rid for case in policy.cases for rid in case.passing}
    assert failing, "no case expects a failure"
    assert passing, "no case expects a pass"


@pytest.mark.parametrize(
    "policy",
    [policy for policy in BUILTINS if policy.dependencies],
    ids=[policy.id for policy in BUILTINS if policy.dependencies],
)
def test_policies_resting_on_other_observations_have_an_unknown_case(policy: Policy) -> None:
    assert any(case.unknown for case in policy.cases)
