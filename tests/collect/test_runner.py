"""collect_snapshot on in-process moto: Regions, shards, batching, retries and partial failure."""

from __future__ import annotations

import boto3
import pytest

from scanner.collect import AccountTarget, CollectOptions, collect_snapshot, snapshot_errors
from scanner.collect.normalize import partition_of_region
from scanner.errors import InputError
from scanner.mockaws import DlmStandIn, deny_service
from scanner.model.snapshot import validate_snapshot
from tests.collect.estate import EAST, WEST

FAST = {"rate_limit": 1000.0}


def collect(**options: object) -> dict:
    document = collect_snapshot(CollectOptions(**{**FAST, **options}))
    validate_snapshot(document)
    return document


def test_default_scope_is_every_enabled_region_of_the_partition(
    moto_in_process: None, dlm_stand_in: DlmStandIn
):
    regions = boto3.client("ec2", region_name=EAST).describe_regions(AllRegions=True)["Regions"]
    enabled = sorted(
        r["RegionName"]
        for r in regions
        if r["OptInStatus"] in ("opt-in-not-required", "opted-in")
        and partition_of_region(r["RegionName"]) == "aws"
    )
    document = collect(max_workers=8)
    assert [unit["region"] for unit in document["units"]] == enabled
    assert document["scope"]["regions"] == enabled and document["scope"]["partition"] == "aws"
    assert "ap-east-1" not in enabled and "cn-north-1" not in enabled  # opt-in / other partition
    assert snapshot_errors(document) == []


def test_a_requested_region_not_enabled_is_an_error_not_a_gap(
    moto_in_process: None, dlm_stand_in: DlmStandIn
):
    document = collect(regions=["ap-east-1", WEST])
    closed = next(unit for unit in document["units"] if unit["region"] == "ap-east-1")
    assert closed["api_calls"] == {} and closed["resources"] == {}
    assert [(e["code"], e["region"]) for e in closed["errors"]] == [
        ("RegionNotEnabled", "ap-east-1")
    ]
    assert "not-opted-in" in closed["errors"][0]["message"]
    open_unit = next(unit for unit in document["units"] if unit["region"] == WEST)
    assert open_unit["errors"] == [] and "instances" in open_unit["resources"]


def test_unknown_or_malformed_regions_are_input_errors(moto_in_process: None):
    with pytest.raises(InputError, match="xx-nowhere-9 is not a Region of partition aws"):
        collect(regions=["xx-nowhere-9"])
    with pytest.raises(InputError, match="not a Region name"):
        collect(regions=["US_EAST_1"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"shard": "3/2"}, "--shard"),
        ({"shard": "one"}, "--shard"),
        ({"max_workers": 0}, "--max-workers"),
        ({"rate_limit": 0.0}, "--rate-limit"),
        ({"regions": []}, "--regions"),
    ],
)
def test_bad_options_are_input_errors(options: dict, message: str):
    with pytest.raises(InputError, match=message):
        CollectOptions(**options).validate()


def test_shards_are_disjoint_and_cover_every_unit(moto_in_process: None, dlm_stand_in: DlmStandIn):
    regions = [EAST, WEST, "eu-west-1"]
    first = collect(regions=regions, shard="1/2")
    second = collect(regions=regions, shard="2/2")
    one = {u["region"] for u in first["units"]}
    two = {u["region"] for u in second["units"]}
    assert one.isdisjoint(two) and one | two == set(regions)
    assert first["scope"]["shard"] == "1/2" and first["scope"]["regions"] == sorted(one)


def test_elbv2_tags_are_batched_twenty_arns_a_call(moto_in_process: None, dlm_stand_in: DlmStandIn):
    ec2 = boto3.client("ec2", region_name=WEST)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    elbv2 = boto3.client("elbv2", region_name=WEST)
    for index in range(21):
        elbv2.create_target_group(Name=f"tg-{index}", Protocol="HTTP", Port=80, VpcId=vpc)
    unit = collect(regions=[WEST])["units"][0]
    assert len(unit["resources"]["target_groups"]) == 21
    assert unit["api_calls"]["elbv2:DescribeTags"] == 2
    assert unit["api_calls"]["elbv2:DescribeTargetGroupAttributes"] == 21
    assert unit["api_calls"]["elbv2:DescribeTargetHealth"] == 21


def test_retries_are_counted_and_a_recovered_call_is_no_error(
    moto_in_process: None, dlm_stand_in: DlmStandIn, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    dlm_stand_in.fail(503, "ServiceUnavailable", operation="GetLifecyclePolicies", times=1)
    unit = collect(regions=[WEST])["units"][0]
    assert unit["errors"] == []
    assert unit["api_calls"]["dlm:GetLifecyclePolicies"] == 2
    assert unit["resources"]["dlm_policies"] == []


def test_a_denied_service_is_recorded_and_other_services_and_units_go_on(
    moto_in_process: None, dlm_stand_in: DlmStandIn, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("AWS_DEFAULT_REGION", EAST)
    boto3.client("autoscaling", region_name=WEST).create_launch_configuration(
        LaunchConfigurationName="lc", ImageId="ami-12345678", InstanceType="t3.micro"
    )
    with deny_service("elbv2", WEST, code="AccessDenied", message="not allowed"):
        document = collect(regions=[EAST, WEST])
    west = next(unit for unit in document["units"] if unit["region"] == WEST)
    east = next(unit for unit in document["units"] if unit["region"] == EAST)
    assert {(e["service"], e["operation"], e["code"]) for e in west["errors"]} == {
        ("elbv2", "DescribeLoadBalancers", "AccessDenied"),
        ("elbv2", "DescribeTargetGroups", "AccessDenied"),
    }
    assert "load_balancers" not in west["resources"] and "target_groups" not in west["resources"]
    assert "instances" in west["resources"] and "classic_load_balancers" in west["resources"]
    assert east["errors"] == [] and "load_balancers" in east["resources"]


def test_an_unidentifiable_account_has_no_units_and_an_error(
    moto_in_process: None, monkeypatch: pytest.MonkeyPatch
):
    with deny_service("sts", None, code="AccessDenied", message="denied", status=403):
        document = collect(regions=[WEST])
    assert document["units"] == []
    assert [(e["service"], e["operation"], e["code"]) for e in document["errors"]] == [
        ("sts", "GetCallerIdentity", "AccessDenied")
    ]


def test_credentials_aws_rejects_end_collection_with_the_fix(
    moto_in_process: None, monkeypatch: pytest.MonkeyPatch
):
    with (
        deny_service("sts", None, code="ExpiredToken", message="token expired", status=400),
        pytest.raises(InputError) as raised,
    ):
        collect(regions=[WEST])
    assert "ExpiredToken from sts:GetCallerIdentity" in str(raised.value)
    assert "aws sso login --profile NAME" in str(raised.value) and "AWS_PROFILE" in str(
        raised.value
    )


def test_accounts_are_targets_with_their_own_session(
    moto_in_process: None, dlm_stand_in: DlmStandIn
):
    target = AccountTarget(None, boto3.Session(region_name=WEST))
    document = collect(regions=[WEST], accounts=[target])
    assert document["scope"]["accounts"] == ["123456789012"]
    assert document["api_calls"]["sts:GetCallerIdentity"] == 1
