"""A policy that could not list its resources somewhere says so: unknown, never silence."""

from __future__ import annotations

import pytest

from scanner.engine import evaluate, load_policies
from scanner.engine.fragments import expand_fragment
from scanner.model.link import link_snapshot

ACCOUNT = "111122223333"
POLICIES = {policy.id: policy for policy in load_policies()}


def _evaluate(fragment: dict, *policy_ids: str):
    return evaluate(link_snapshot(expand_fragment(fragment)), [POLICIES[i] for i in policy_ids])


def _error(service: str, operation: str, code: str = "AccessDenied") -> dict:
    return {"service": service, "operation": operation, "code": code, "message": "denied"}


def test_a_failed_listing_is_one_unknown_finding_per_policy_and_unit() -> None:
    result = _evaluate(
        {
            "account": ACCOUNT,
            "region": "eu-west-1",
            "errors": [_error("ec2", "DescribeVolumes", "UnauthorizedOperation")],
            "resources": {"auto_scaling_groups": [{"id": "web", "zones": ["eu-west-1a"]}]},
        },
        "volume-no-dlm-policy",
        "asg-single-az",
    )
    blind = [f for f in result.findings if f.policy_id == "volume-no-dlm-policy"]
    assert [(f.status, f.arn, f.region) for f in blind] == [
        ("unknown", f"stormproof:unobserved:{ACCOUNT}:eu-west-1:volume", "eu-west-1")
    ]
    assert blind[0].message == (
        f"EBS volumes in account {ACCOUNT}, Region eu-west-1 could not all be observed, so "
        "volume-no-dlm-policy could not judge them: ec2:DescribeVolumes failed in "
        f"{ACCOUNT}/eu-west-1 (UnauthorizedOperation)."
    )
    assert result.stats["volume-no-dlm-policy"].unknown == 1
    # The Auto Scaling policy saw its groups: judged as usual, no blind spot.
    assert [(f.policy_id, f.status) for f in result.findings if f.policy_id == "asg-single-az"] == [
        ("asg-single-az", "open")
    ]


def test_an_account_whose_role_was_not_assumed_is_unknown_for_every_policy() -> None:
    fragment = {
        "units": [{"account": "444455556666", "resources": {}}],
        "errors": [
            {
                "account": ACCOUNT,
                "region": None,
                "service": "sts",
                "operation": "AssumeRole",
                "code": "AccessDenied",
                "message": "not trusted",
            }
        ],
    }
    result = _evaluate(fragment, *sorted(POLICIES))
    assert len(result.findings) == len(POLICIES)
    assert {(f.status, f.account, f.region) for f in result.findings} == {("unknown", ACCOUNT, "*")}
    assert all("sts:AssumeRole failed" in f.message for f in result.findings)


def test_a_fleet_policy_is_blind_where_any_fleet_source_is() -> None:
    result = _evaluate(
        {
            "account": ACCOUNT,
            "errors": [_error("autoscaling", "DescribeAutoScalingGroups")],
            "resources": {},
        },
        "fleet-single-az",
        "local-zone-no-failover",
    )
    assert sorted((f.policy_id, f.status, f.resource_type) for f in result.findings) == [
        ("fleet-single-az", "unknown", "fleet"),
        ("local-zone-no-failover", "unknown", "fleet"),
    ]


@pytest.mark.parametrize(
    "error",
    [
        # A Region that is not enabled holds nothing: there was nothing to miss.
        _error("ec2", "DescribeInstances", "RegionNotEnabled"),
        # Zones are facts of documents, judged per document: no blind spot for listings.
        _error("ec2", "DescribeAvailabilityZones"),
        # With --regions the Regions named were collected: DescribeRegions hid nothing.
        _error("ec2", "DescribeRegions", "UnauthorizedOperation"),
    ],
)
def test_failures_that_hide_no_resources_add_nothing(error: dict) -> None:
    result = _evaluate(
        {"account": ACCOUNT, "errors": [error], "resources": {}}, "volume-no-dlm-policy"
    )
    assert result.findings == []


@pytest.mark.parametrize(
    ("error", "policy_id"),
    [
        (_error("elbv2", "DescribeTargetHealth"), "elbv2-targets-single-az"),
        (_error("elbv2", "DescribeTargetGroupAttributes"), "elbv2-targets-single-az"),
        (_error("elbv2", "DescribeLoadBalancerAttributes"), "elbv2-single-az"),
        (_error("elb", "DescribeLoadBalancerAttributes"), "elb-single-az"),
    ],
)
def test_a_failed_detail_call_is_no_blind_spot(error: dict, policy_id: str) -> None:
    # The resources were listed: each is judged (or unknown) as a document of its own.
    for detail in (error, {**error, "resource": "arn:aws:elasticloadbalancing:x"}):
        result = _evaluate({"account": ACCOUNT, "errors": [detail], "resources": {}}, policy_id)
        assert result.findings == []


def test_a_failed_describe_regions_without_regions_blinds_the_account() -> None:
    result = _evaluate(
        {
            "units": [],
            "errors": [{**_error("ec2", "DescribeRegions"), "account": ACCOUNT, "region": None}],
        },
        "volume-no-dlm-policy",
    )
    assert [(f.status, f.arn) for f in result.findings] == [
        ("unknown", f"stormproof:unobserved:{ACCOUNT}:*:volume")
    ]


def test_blind_spot_identities_are_stable_across_runs() -> None:
    fragment = {
        "account": ACCOUNT,
        "errors": [_error("elbv2", "DescribeLoadBalancers")],
        "resources": {},
    }
    first = [f.fingerprint for f in _evaluate(fragment, "elbv2-single-az").findings]
    second = [f.fingerprint for f in _evaluate(fragment, "elbv2-single-az").findings]
    assert first == second and len(first) == 1
