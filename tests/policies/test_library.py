"""The built-in library's contract: stable ids, default severities and parameters, documentation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scanner.engine import load_policies
from scanner.engine.policy_docs import render_policy_docs
from scanner.resources import builtin_policies_dir

REPOSITORY = Path(__file__).resolve().parents[2]
BUILTINS = {policy.id: policy for policy in load_policies()}

EXPECTED = {
    "asg-single-az": ("high", {"min_zones": 2}),
    "asg-no-elb-health-check": ("medium", {}),
    "asg-processes-suspended": (
        "medium",
        {"processes": ["Launch", "Terminate", "HealthCheck", "ReplaceUnhealthy", "AZRebalance"]},
    ),
    "elb-single-az": ("high", {"min_zones": 2}),
    "elbv2-single-az": ("high", {"min_zones": 2}),
    "elbv2-targets-single-az": ("medium", {}),
    "elb-cross-zone-disabled": ("low", {}),
    "fleet-single-az": ("medium", {}),
    "local-zone-failover-to-parent": ("high", {}),
    "local-zone-no-failover": ("high", {}),
    "volume-no-backup-policy": ("high", {"min_age_hours": 24, "include_asg_volumes": False}),
    "instance-no-image-backup": ("low", {"min_age_hours": 24}),
    "backup-only-in-zone": ("high", {"min_age_hours": 24, "include_asg_volumes": False}),
    "backup-plan-no-cross-region-copy": ("medium", {}),
    "dlm-policy-disabled": ("medium", {}),
    "dlm-policy-no-cross-region-copy": ("medium", {}),
    "snapshot-not-copied-cross-region": ("medium", {"min_age_hours": 24}),
    "ami-not-copied-cross-region": ("medium", {"min_age_hours": 24}),
    "volume-no-recent-snapshot": (
        "medium",
        {"max_age_days": 7, "min_age_hours": 24, "include_asg_volumes": False},
    ),
    "recovery-objective-not-met": ("high", {}),
    "elbv2-zonal-shift-disabled": ("medium", {}),
    "asg-zonal-shift-disabled": ("medium", {}),
    "asg-balanced-only-distribution": ("low", {}),
    "asg-zone-imbalance": ("low", {"max_imbalance": 1}),
    "asg-capacity-rebalance-off": ("medium", {}),
    "instance-standalone": ("medium", {"exempt_tag_keys": []}),
    "instance-auto-recovery-disabled": ("medium", {}),
    "instance-cluster-placement-group": ("medium", {}),
    "elb-connection-draining-disabled": ("low", {}),
    "zonal-autoshift-disabled": ("low", {}),
}
ZONE_POLICIES = [
    "asg-single-az",
    "elbv2-single-az",
    "elbv2-targets-single-az",
    "fleet-single-az",
    "local-zone-failover-to-parent",
    "local-zone-no-failover",
    "volume-no-backup-policy",
    "instance-no-image-backup",
    "backup-only-in-zone",
]
DEFAULT_POLICY_POLICIES = [
    "volume-no-backup-policy",
    "instance-no-image-backup",
    "dlm-policy-no-cross-region-copy",
    "snapshot-not-copied-cross-region",
]


def test_exactly_the_documented_ids_severities_and_parameters() -> None:
    actual = {pid: (p.meta.severity, p.meta.parameters) for pid, p in BUILTINS.items()}
    assert actual == EXPECTED


@pytest.mark.parametrize("policy_id", sorted(EXPECTED))
def test_file_is_named_after_its_id_and_is_documented(policy_id: str) -> None:
    meta = BUILTINS[policy_id].meta
    assert meta.source_path == builtin_policies_dir() / f"{policy_id}.yaml"
    assert meta.builtin
    assert meta.references
    assert all(url.startswith("https://docs.aws.amazon.com/") for url in meta.references)
    assert meta.frameworks and all(re.match(r"(AWS-WA|NIST-800-53):", f) for f in meta.frameworks)
    assert re.search(r"^\s+aws [a-z0-9-]+ [a-z-]+", meta.remediation, re.MULTILINE)
    assert BUILTINS[policy_id].example is not None
    line = meta.source_path.read_text(encoding="utf-8").splitlines()[meta.violation_line - 1]
    assert line.startswith("violation:")


@pytest.mark.parametrize("policy_id", ZONE_POLICIES)
def test_zone_policies_have_local_zone_cases(policy_id: str) -> None:
    fragments = json.dumps([case.snapshot for case in BUILTINS[policy_id].cases])
    assert re.search(r"-lax-1a|-den-1a|-wlz-", fragments)


@pytest.mark.parametrize("policy_id", DEFAULT_POLICY_POLICIES)
def test_dlm_policies_have_default_policy_cases(policy_id: str) -> None:
    fragments = [case.snapshot for case in BUILTINS[policy_id].cases]
    assert '"default_policy": true' in json.dumps(fragments)


def test_policy_reference_is_generated_and_fresh() -> None:
    committed = (REPOSITORY / "docs" / "policies.md").read_text(encoding="utf-8")
    assert committed == render_policy_docs(list(BUILTINS.values())), (
        "docs/policies.md is stale: run `stormproof policies docs --output docs/policies.md`"
    )
