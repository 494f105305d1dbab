"""Faults during collection: throttling, exhausted retries, expired tokens, a denied service,
an opt-in Region, a 5xx storm and a hung endpoint. What could be seen is complete; what could
not is an error entry, and whatever rests on it is unknown, never a pass.

moto runs in process with the shared two-Region estate; faults come from
``scanner.mockaws`` (a botocore hook for throttling and 5xx, moto's own
serializer for denials, a loopback endpoint that never answers).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner.engine import evaluate, load_policies
from scanner.errors import ExitCode
from scanner.mockaws import HangingEndpoint, deny_service, inject_errors, quick_retries
from scanner.model.link import link_snapshot
from tests.collect.estate import EAST, WEST
from tests.hardening.world import (
    World,
    all_errors,
    collect,
    observed,
    point_at,
    seeded_world,
    total_calls,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with seeded_world() as seeded:
        yield seeded


@pytest.fixture(scope="module")
def clean(world: World) -> dict[str, Any]:
    document = collect()
    assert all_errors(document) == []
    return document


@pytest.fixture(autouse=True)
def _endpoints(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(world, monkeypatch)


def test_30_percent_throttling_leaves_the_snapshot_identical(clean: dict[str, Any]) -> None:
    with quick_retries(), inject_errors(fraction=0.3, seed=30, max_per_request=3) as faults:
        throttled = collect()
    injected = {service for service, _, _ in faults.injected}
    # Both wire formats were exercised: EC2's RequestLimitExceeded and the Query services'.
    assert "ec2" in injected and injected & {"auto-scaling", "elastic-load-balancing-v2"}
    assert faults.count() >= 10
    assert all_errors(throttled) == []
    assert observed(throttled) == observed(clean)
    # Every throttled attempt was sent again and counted: what AWS bills and throttles.
    assert total_calls(throttled) == total_calls(clean) + faults.count()


def test_throttling_past_the_last_retry_is_an_error_entry_and_the_rest_is_complete(
    clean: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    with (
        quick_retries(),
        inject_errors(fraction=1.0, services={"ec2"}, operations={"DescribeSubnets"}) as faults,
    ):
        document = collect()
    assert sorted(faults.injected) == [("ec2", "DescribeSubnets", n) for n in (1, 1, 2, 2)]
    errors = all_errors(document)
    assert sorted((e["region"], e["service"], e["operation"], e["code"]) for e in errors) == [
        (region, "ec2", "DescribeSubnets", "RequestLimitExceeded") for region in (EAST, WEST)
    ]
    seen, expected = observed(document), observed(clean)
    for key, unit in seen.items():
        assert "subnets" not in unit["resources"]
        assert unit["zones"] == expected[key]["zones"]
        for kind, records in expected[key]["resources"].items():
            if kind != "subnets":
                assert unit["resources"][kind] == records, kind
    # Zones of a group defined by subnets rest on the subnets: unknown, not passing.
    evaluation = evaluate(link_snapshot(document), load_policies())
    unknown = {(f.policy_id, f.resource_id) for f in evaluation.findings if f.status == "unknown"}
    assert ("asg-single-az", "web-asg") in unknown
    assert all(
        "DescribeSubnets" in " ".join(f.evidence["collection_errors"])
        for f in evaluation.findings
        if f.status == "unknown"
    )
    stats = evaluation.stats["asg-single-az"]
    assert stats.passed == 0 and stats.unknown == stats.evaluated == 3


def test_expired_credentials_are_one_line_with_the_fix_and_no_reports(
    world: World, run_cli, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    message = "The security token included in the request is expired"
    with inject_errors("ExpiredToken", message=message):
        result = run_cli("scan", "--regions", WEST, "--rate-limit", "1000", "--output-dir", output)
    assert result.code == ExitCode.BAD_INPUT, result.err
    assert result.err_lines == [
        f"stormproof: AWS rejected the credentials (ExpiredToken from sts:GetCallerIdentity: "
        f"{message}); run `aws sso login --profile NAME` (IAM Identity Center) or "
        "`aws configure`, then pass --profile NAME or set AWS_PROFILE"
    ]
    assert not output.exists()


def test_a_service_denied_everywhere_hides_only_what_it_serves(
    clean: dict[str, Any], world: World
) -> None:
    with deny_service("autoscaling", code="AccessDenied"):
        document = collect()
    errors = all_errors(document)
    assert {(e["region"], e["service"], e["code"]) for e in errors} == {
        (WEST, "autoscaling", "AccessDenied"),
        (EAST, "autoscaling", "AccessDenied"),
    }
    for key, unit in observed(document).items():
        expected = observed(clean)[key]
        assert unit["zones"] == expected["zones"]
        for kind in ("instances", "volumes", "snapshots", "images", "load_balancers"):
            assert unit["resources"].get(kind) == expected["resources"].get(kind), kind
        assert "auto_scaling_groups" not in unit["resources"]
    evaluation = evaluate(link_snapshot(document), load_policies())
    unknown = {f.resource_type for f in evaluation.findings if f.status == "unknown"}
    assert unknown, "instances whose Auto Scaling membership is unknown cannot pass"


def test_a_region_the_account_has_not_opted_in_to_is_reported_not_scanned(world: World) -> None:
    # moto lists ap-east-1 as not-opted-in, as AWS does for a new account.
    document = collect_regions([WEST, "ap-east-1"])
    [error] = all_errors(document)
    assert (error["region"], error["code"]) == ("ap-east-1", "RegionNotEnabled")
    assert "not-opted-in" in error["message"]
    [disabled] = [unit for unit in document["units"] if unit["region"] == "ap-east-1"]
    assert disabled["api_calls"] == {} and disabled["resources"] == {}
    # A Region that holds nothing hides nothing: no result becomes unknown because of it.
    evaluation = evaluate(link_snapshot(document), load_policies())
    assert not [f for f in evaluation.findings if f.status == "unknown"]


def collect_regions(regions: list[str]) -> dict[str, Any]:
    from scanner.collect import CollectOptions, collect_snapshot

    return collect_snapshot(CollectOptions(regions=regions, rate_limit=1000.0))


def test_a_5xx_storm_that_passes_leaves_no_trace(clean: dict[str, Any]) -> None:
    with (
        quick_retries(),
        inject_errors(
            "ServiceUnavailable", status=503, fraction=0.5, seed=5, max_per_request=4
        ) as faults,
    ):
        document = collect()
    assert faults.count() >= 10
    assert all_errors(document) == []
    assert observed(document) == observed(clean)


def test_a_5xx_storm_that_does_not_pass_is_an_error_entry(
    clean: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    with quick_retries(), inject_errors("InternalError", status=500, services={"dlm"}):
        document = collect()
    errors = all_errors(document)
    assert {(e["region"], e["operation"], e["code"]) for e in errors} == {
        (WEST, "GetLifecyclePolicies", "InternalError"),
        (EAST, "GetLifecyclePolicies", "InternalError"),
    }
    assert all(e["message"].endswith("(HTTP 500)") for e in errors)
    for key, unit in observed(document).items():
        expected = observed(clean)[key]["resources"]
        assert {k: v for k, v in unit["resources"].items()} == {
            k: v for k, v in expected.items() if k != "dlm_policies"
        }


def test_a_hung_endpoint_costs_the_read_timeout_per_attempt_not_the_scan(
    clean: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORMPROOF_READ_TIMEOUT", "0.5")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    finished: list[dict[str, Any]] = []
    with quick_retries(), HangingEndpoint(hold_seconds=600) as hung:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DLM", hung.endpoint_url)
        worker = threading.Thread(target=lambda: finished.append(collect()), daemon=True)
        worker.start()
        worker.join(120)  # a liveness bound, far above 2 Regions x 2 attempts x 0.5 s
        assert not worker.is_alive(), "the collection hung on an endpoint that never answers"
    [document] = finished
    errors = all_errors(document)
    assert {(e["region"], e["service"], e["code"]) for e in errors} == {
        (WEST, "dlm", "ReadTimeout"),
        (EAST, "dlm", "ReadTimeout"),
    }
    assert hung.requests == 4  # two Regions, two attempts each, then given up
    for key, unit in observed(document).items():
        assert unit["resources"]["instances"] == observed(clean)[key]["resources"]["instances"]
