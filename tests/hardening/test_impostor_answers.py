"""Silent passes: an HTTP 200 that is not AWS's answer is a collection error, never "none".

A proxy or a wrong endpoint answers every call with an HTML page, an empty XML
document or ``{}``. Through the real command line against a loopback
:class:`~scanner.mockaws.ImpostorEndpoint`: each call that reached it is one
error entry, the scan exits 3, and no finding passes. Impossible answers from
real AWS models (no Regions, no zones) go through botocore's Stubber.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from scanner.collect.calls import CallCounter
from scanner.collect.context import UnitContext
from scanner.collect.ec2 import collect_zones
from scanner.collect.regions import discover_regions
from scanner.collect.response_check import install_response_check, required_members
from scanner.errors import ExitCode
from scanner.mockaws import ImpostorEndpoint
from scanner.mockaws.impostor import EMPTY_JSON, EMPTY_XML, HTML_PAGE
from tests.collect.servers import running_moto_server

pytestmark = pytest.mark.slow

BODIES = {
    "html": (HTML_PAGE, "text/html"),
    "xml": (EMPTY_XML, "text/xml"),
    "json": (EMPTY_JSON, "application/json"),
}
REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with running_moto_server() as url:
        yield url


def scan(run_cli, output: Path):
    return run_cli(
        "scan", "--regions", REGION, "--rate-limit", "1000", "--output-dir", output, "-q"
    )


@pytest.mark.parametrize("body", sorted(BODIES))
def test_every_service_answering_200_junk_is_one_error_per_call_and_nothing_passes(
    body: str, moto_url: str, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    with ImpostorEndpoint(*BODIES[body]) as impostor:
        monkeypatch.setenv("AWS_ENDPOINT_URL", impostor.endpoint_url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_url)  # the account can be identified
        result = scan(run_cli, output)
        calls = impostor.requests
    assert result.code == ExitCode.INCOMPLETE, result.err
    assert "Traceback" not in result.err
    document = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    errors = document["errors"]
    # One error entry per request that reached the impostor: no retry, no call unaccounted.
    assert len(errors) == calls >= 12
    assert {e["code"] for e in errors} == {"MalformedResponse"}
    operations = {(e["service"], e["operation"]) for e in errors}
    assert {
        ("ec2", "DescribeRegions"),
        ("ec2", "DescribeAvailabilityZones"),
        ("ec2", "DescribeInstances"),
        ("ec2", "DescribeVolumes"),
        ("autoscaling", "DescribeAutoScalingGroups"),
        ("elb", "DescribeLoadBalancers"),
        ("elbv2", "DescribeLoadBalancers"),
        ("dlm", "GetLifecyclePolicies"),
    } <= operations
    assert document["findings"], "every policy reports what it could not see"
    assert {f["status"] for f in document["findings"]} == {"unknown"}
    assert all(policy["passed"] == 0 for policy in document["policies"])
    assert document["scan"]["complete"] is False


def test_every_service_including_sts_answering_html_exits_3(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    with ImpostorEndpoint() as impostor:
        monkeypatch.setenv("AWS_ENDPOINT_URL", impostor.endpoint_url)
        result = scan(run_cli, output)
        assert impostor.requests == 1  # who am I? failed, so nothing else is asked
    assert result.code == ExitCode.INCOMPLETE, result.err
    document = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    [error] = document["errors"]
    assert (error["service"], error["operation"], error["code"]) == (
        "sts",
        "GetCallerIdentity",
        "MalformedResponse",
    )
    assert len(error["message"]) <= 500  # the page is quoted, not copied whole
    assert not [f for f in document["findings"] if f["status"] not in ("unknown",)]


@pytest.mark.parametrize(
    ("service", "operation", "expected"),
    [
        ("ec2", "DescribeVolumes", {"Volumes"}),  # the paginator's result key
        ("ec2", "DescribeRegions", {"Regions"}),  # not paginated: the output members
        ("dlm", "GetLifecyclePolicies", {"Policies"}),
        ("sts", "GetCallerIdentity", {"UserId", "Account", "Arn"}),
        ("elbv2", "DescribeTargetHealth", {"TargetHealthDescriptions"}),
    ],
)
def test_what_an_answer_must_carry_comes_from_the_service_model(
    service: str, operation: str, expected: set[str]
) -> None:
    client = boto3.client(service, region_name=REGION)
    model = client.meta.service_model.operation_model(operation)
    assert required_members(model) == expected


def stubbed_context(service: str) -> tuple[UnitContext, Stubber]:
    client = boto3.client(service, region_name=REGION)
    install_response_check(client)
    stubber = Stubber(client)
    ctx = UnitContext("111122223333", REGION, "aws", lambda *_: client, CallCounter())
    return ctx, stubber


def test_describe_regions_with_no_regions_is_an_error_not_an_empty_scan() -> None:
    ctx, stubber = stubbed_context("ec2")
    stubber.add_response("describe_regions", {"Regions": []}, {"AllRegions": True})
    with stubber:
        assert discover_regions(ctx, "aws", None) == []
    [error] = ctx.errors
    assert (error["operation"], error["code"]) == ("DescribeRegions", "EmptyResponse")
    assert "no Regions of partition aws" in error["message"]


def test_describe_regions_with_no_regions_still_collects_the_requested_ones() -> None:
    ctx, stubber = stubbed_context("ec2")
    stubber.add_response("describe_regions", {"Regions": []}, {"AllRegions": True})
    with stubber:
        [status] = discover_regions(ctx, "aws", [REGION])
    assert status.name == REGION and status.enabled
    assert [e["code"] for e in ctx.errors] == ["EmptyResponse"]


def test_no_zones_for_an_enabled_region_is_an_error() -> None:
    ctx, stubber = stubbed_context("ec2")
    stubber.add_response(
        "describe_availability_zones", {"AvailabilityZones": []}, {"AllAvailabilityZones": True}
    )
    with stubber:
        assert collect_zones(ctx) is None
    [error] = ctx.errors
    assert (error["operation"], error["code"]) == ("DescribeAvailabilityZones", "EmptyResponse")


def test_a_stubbed_answer_without_its_result_key_is_a_malformed_response() -> None:
    ctx, stubber = stubbed_context("ec2")
    stubber.add_response("describe_volumes", {})
    with stubber:
        assert ctx.pages("ec2", "DescribeVolumes", "Volumes") is None
    [error] = ctx.errors
    assert error["code"] == "MalformedResponse"
    assert "carries none of Volumes" in error["message"]
