"""Request shapes, checked with botocore's Stubber against the real service models:
largest page sizes, server-side filters, batching, and DLM's detail calls."""

from __future__ import annotations

import datetime as dt

from scanner.collect.autoscaling import collect_autoscaling
from scanner.collect.context import UnitContext
from scanner.collect.dlm import collect_dlm
from scanner.collect.ec2 import LIVE_INSTANCE_STATES, collect_ec2

REGION = "eu-west-1"
ACCOUNT = "111122223333"


def test_ec2_listings_use_largest_pages_and_server_side_filters(ctx: UnitContext, stub):
    ec2 = stub("ec2")
    live = [{"Name": "instance-state-name", "Values": LIVE_INSTANCE_STATES}]
    instance = {
        "InstanceId": "i-1",
        "State": {"Name": "running"},
        "Placement": {"AvailabilityZone": "eu-west-1a"},
        "InstanceLifecycle": "spot",
        "LaunchTime": dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC),
    }
    ec2.add_response(
        "describe_instances",
        {"Reservations": [{"Instances": [instance]}], "NextToken": "page-2"},
        {"Filters": live, "MaxResults": 1000},
    )
    ec2.add_response(
        "describe_instances",
        {"Reservations": [{"Instances": [{**instance, "InstanceId": "i-2"}]}]},
        {"Filters": live, "MaxResults": 1000, "NextToken": "page-2"},
    )
    ec2.add_response("describe_subnets", {"Subnets": []}, {"MaxResults": 1000})
    ec2.add_response("describe_volumes", {"Volumes": []}, {"MaxResults": 500})
    ec2.add_response(
        "describe_snapshots", {"Snapshots": []}, {"OwnerIds": ["self"], "MaxResults": 1000}
    )
    ec2.add_response("describe_images", {"Images": []}, {"Owners": ["self"], "MaxResults": 1000})
    resources = collect_ec2(ctx)
    assert [i["id"] for i in resources["instances"]] == ["i-1", "i-2"]
    assert resources["instances"][0]["lifecycle"] == "spot"
    assert resources["instances"][0]["launch_time"] == "2026-05-01T12:00:00Z"
    assert resources["instances"][0]["arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-1"
    assert resources["volumes"] == [] and ctx.errors == []


def test_a_failed_page_drops_the_listing_and_records_the_error(ctx: UnitContext, stub):
    ec2 = stub("ec2")
    ec2.add_response(
        "describe_instances",
        {"Reservations": [{"Instances": [{"InstanceId": "i-1"}]}], "NextToken": "p2"},
    )
    ec2.add_client_error("describe_instances", "RequestLimitExceeded", "Rate exceeded.", 503)
    for operation, key in (
        ("describe_subnets", "Subnets"),
        ("describe_volumes", "Volumes"),
        ("describe_snapshots", "Snapshots"),
        ("describe_images", "Images"),
    ):
        ec2.add_response(operation, {key: []})
    resources = collect_ec2(ctx)
    assert "instances" not in resources  # a partial list would read as "these are all"
    assert set(resources) == {"subnets", "volumes", "snapshots", "images"}
    assert ctx.errors == [
        {
            "account": ACCOUNT,
            "region": REGION,
            "service": "ec2",
            "operation": "DescribeInstances",
            "code": "RequestLimitExceeded",
            "message": "Rate exceeded. (HTTP 503)",
        }
    ]


def _group(name: str, **extra: object) -> dict:
    return {
        "AutoScalingGroupName": name,
        "MinSize": 1,
        "MaxSize": 2,
        "DesiredCapacity": 1,
        "DefaultCooldown": 300,
        "AvailabilityZones": ["eu-west-1a"],
        "HealthCheckType": "EC2",
        "CreatedTime": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        **extra,
    }


def _version(template: str, number: int, image: str, default: bool) -> dict:
    return {
        "LaunchTemplateId": template,
        "LaunchTemplateName": f"template-{template}",
        "VersionNumber": number,
        "DefaultVersion": default,
        "LaunchTemplateData": {"ImageId": image},
    }


def test_launch_template_versions_are_batched(ctx: UnitContext, stub):
    autoscaling, ec2 = stub("autoscaling"), stub("ec2")
    groups = [
        _group("default", LaunchTemplate={"LaunchTemplateId": "lt-a", "Version": "$Default"}),
        _group("latest", LaunchTemplate={"LaunchTemplateId": "lt-b", "Version": "$Latest"}),
        _group("pinned", LaunchTemplate={"LaunchTemplateId": "lt-a", "Version": "3"}),
        _group("also-pinned", LaunchTemplate={"LaunchTemplateId": "lt-a", "Version": "4"}),
        _group("legacy", LaunchConfigurationName="lc-1"),
    ]
    autoscaling.add_response(
        "describe_auto_scaling_groups", {"AutoScalingGroups": groups}, {"MaxRecords": 100}
    )
    autoscaling.add_response(
        "describe_launch_configurations",
        {
            "LaunchConfigurations": [
                {
                    "LaunchConfigurationName": "lc-1",
                    "ImageId": "ami-lc",
                    "InstanceType": "t3.micro",
                    "CreatedTime": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                }
            ]
        },
        {"LaunchConfigurationNames": ["lc-1"], "MaxRecords": 100},
    )
    # One call for every alias across all templates...
    ec2.add_response(
        "describe_launch_template_versions",
        {
            "LaunchTemplateVersions": [
                _version("lt-a", 1, "ami-a1", True),
                _version("lt-a", 5, "ami-a5", False),
                _version("lt-b", 2, "ami-b2", True),
            ]
        },
        {"Versions": ["$Latest", "$Default"], "MaxResults": 200},
    )
    # ...and one per template for pinned numbers.
    ec2.add_response(
        "describe_launch_template_versions",
        {
            "LaunchTemplateVersions": [
                _version("lt-a", 3, "ami-a3", False),
                _version("lt-a", 4, "ami-a4", False),
            ]
        },
        {"LaunchTemplateId": "lt-a", "Versions": ["3", "4"], "MaxResults": 200},
    )
    resources = collect_autoscaling(ctx)
    images = {g["id"]: g["image_ids"] for g in resources["auto_scaling_groups"]}
    assert images == {
        "default": ["ami-a1"],
        "latest": ["ami-b2"],
        "pinned": ["ami-a3"],
        "also-pinned": ["ami-a4"],
        "legacy": ["ami-lc"],
    }
    versions = {v["id"]: v for v in resources["launch_template_versions"]}
    assert versions["lt-a:5"]["is_latest"] is True and versions["lt-a:1"]["is_latest"] is False
    assert versions["lt-a:3"]["is_latest"] is None  # fetched pinned only: not known
    assert ctx.errors == []


def _policy(policy_id: str, **details: object) -> dict:
    return {
        "PolicyId": policy_id,
        "Description": "d",
        "State": "ENABLED",
        "ExecutionRoleArn": "arn:aws:iam::111122223333:role/dlm",
        "DateCreated": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "DateModified": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        "PolicyDetails": details,
        "Tags": {"team": "storage"},
        "DefaultPolicy": False,
    }


def test_dlm_fetches_each_policy_in_detail(ctx: UnitContext, stub):
    dlm = stub("dlm")
    summaries = [
        {"PolicyId": "policy-1", "State": "ENABLED", "PolicyType": "EBS_SNAPSHOT_MANAGEMENT"},
        {"PolicyId": "policy-2", "State": "ENABLED", "PolicyType": "IMAGE_MANAGEMENT"},
    ]
    dlm.add_response("get_lifecycle_policies", {"Policies": summaries}, {})
    dlm.add_response(
        "get_lifecycle_policy",
        {
            "Policy": _policy(
                "policy-1",
                PolicyType="EBS_SNAPSHOT_MANAGEMENT",
                ResourceTypes=["VOLUME"],
                TargetTags=[{"Key": "backup", "Value": "yes"}],
                Schedules=[
                    {
                        "Name": "hourly",
                        "CreateRule": {"Interval": 1, "IntervalUnit": "HOURS"},
                        "RetainRule": {"Count": 24},
                        "CrossRegionCopyRules": [
                            {"Target": "arn:aws:ec2:eu-west-2", "Encrypted": True}
                        ],
                    }
                ],
            )
        },
        {"PolicyId": "policy-1"},
    )
    dlm.add_client_error(
        "get_lifecycle_policy",
        "ResourceNotFoundException",
        "Policy policy-2 not found",
        404,
        expected_params={"PolicyId": "policy-2"},
    )
    resources = collect_dlm(ctx)
    [policy] = resources["dlm_policies"]
    assert policy["id"] == "policy-1"
    assert policy["arn"] == f"arn:aws:dlm:{REGION}:{ACCOUNT}:policy/policy-1"
    assert policy["target_tags"] == [{"key": "backup", "value": "yes"}]
    assert policy["date_created"] == "2026-01-01T00:00:00Z" and policy["tags"] == {
        "team": "storage"
    }
    rule = policy["schedules"][0]["cross_region_copy_rules"][0]
    assert rule == {
        "target_region": None,
        "target": "arn:aws:ec2:eu-west-2",
        "encrypted": True,
        "retain_rule": None,
    }
    assert [(e["operation"], e["code"]) for e in ctx.errors] == [
        ("GetLifecyclePolicy", "ResourceNotFoundException")
    ]


def test_dlm_unavailable_leaves_policies_unknown(ctx: UnitContext, stub):
    stub("dlm").add_client_error("get_lifecycle_policies", "InternalServerException", "boom", 500)
    assert collect_dlm(ctx) == {}
    assert ctx.errors[0]["code"] == "InternalServerException"
    assert ctx.errors[0]["message"] == "boom (HTTP 500)"
