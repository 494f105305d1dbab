"""scanner.mockaws: each moto gap is filled the way AWS behaves, and can be undone."""

from __future__ import annotations

import socket

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.responses import BaseResponse

from scanner.mockaws import (
    DlmStandIn,
    ExtraZone,
    add_local_zones,
    deny_service,
    mark_image_copy,
    mark_snapshot_copy,
)

ROLE = "arn:aws:iam::123456789012:role/dlm"


def zone_names(region: str) -> dict[str, dict]:
    client = boto3.client("ec2", region_name=region)
    zones = client.describe_availability_zones(AllAvailabilityZones=True)["AvailabilityZones"]
    return {zone["ZoneName"]: zone for zone in zones}


@mock_aws
def test_local_zones_are_added_idempotently_and_undone():
    before = set(zone_names("us-west-2"))
    with add_local_zones("us-west-2") as patch:
        again = add_local_zones("us-west-2")
        assert again.added == []  # idempotent: nothing added twice
        zones = zone_names("us-west-2")
        lax = zones["us-west-2-lax-1a"]
        assert lax["ZoneType"] == "local-zone" and lax["ParentZoneName"] == "us-west-2a"
        assert lax["ParentZoneId"] == zones["us-west-2a"]["ZoneId"]
        assert lax["GroupName"] == "us-west-2-lax-1" and lax["OptInStatus"] == "opted-in"
        assert zones["us-west-2-wl1-sea-wlz-1"]["ZoneType"] == "wavelength-zone"
        assert set(patch.names) == set(zones) - before
        ec2 = boto3.client("ec2", region_name="us-west-2")
        vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(
            VpcId=vpc, CidrBlock="10.2.1.0/24", AvailabilityZone="us-west-2-lax-1a"
        )["Subnet"]
        assert subnet["AvailabilityZone"] == "us-west-2-lax-1a"
    assert set(zone_names("us-west-2")) == before


def test_a_zone_needs_a_real_parent():
    orphan = ExtraZone("us-west-2-xyz-1a", "usw2-xyz1-az1", "us-west-2q", "g", "g")
    with pytest.raises(ValueError, match="parent zone us-west-2q"):
        add_local_zones("us-west-2", [orphan])


@mock_aws
def test_copy_provenance_matches_aws():
    west = boto3.client("ec2", region_name="us-west-2")
    east = boto3.client("ec2", region_name="us-east-1")
    volume = west.create_volume(AvailabilityZone="us-west-2a", Size=1)["VolumeId"]
    source = west.create_snapshot(VolumeId=volume, Description="db")["SnapshotId"]
    copy = east.copy_snapshot(SourceSnapshotId=source, SourceRegion="us-west-2")["SnapshotId"]
    mark_snapshot_copy(
        copy, region="us-east-1", source_snapshot_id=source, source_region="us-west-2"
    )
    [described] = east.describe_snapshots(SnapshotIds=[copy])["Snapshots"]
    assert described["Description"] == f"[Copied {source} from us-west-2] db"
    assert described["VolumeId"] == "vol-ffffffff"

    image = west.register_image(
        Name="base",
        Description="golden",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    image_copy = east.copy_image(SourceImageId=image, SourceRegion="us-west-2", Name="base")[
        "ImageId"
    ]
    mark_image_copy(
        image_copy, region="us-east-1", source_image_id=image, source_region="us-west-2"
    )
    [described_image] = east.describe_images(ImageIds=[image_copy])["Images"]
    assert described_image["SourceImageId"] == image
    assert described_image["SourceImageRegion"] == "us-west-2"
    assert described_image["Description"] == f"[Copied {image} from us-west-2] golden"


def dlm_client(stand_in: DlmStandIn, region: str):
    return boto3.client("dlm", region_name=region, endpoint_url=stand_in.endpoint_url)


def test_dlm_stand_in_speaks_the_real_protocol():
    with DlmStandIn() as stand_in:
        west, east = dlm_client(stand_in, "us-west-2"), dlm_client(stand_in, "us-east-1")
        created = west.create_lifecycle_policy(
            ExecutionRoleArn=ROLE,
            Description="default",
            State="ENABLED",
            DefaultPolicy="INSTANCE",
            RetainInterval=14,
            Tags={"a": "b"},
        )["PolicyId"]
        [summary] = west.get_lifecycle_policies()["Policies"]
        assert summary == {
            "PolicyId": created,
            "Description": "default",
            "State": "ENABLED",
            "Tags": {"a": "b"},
            "PolicyType": "IMAGE_MANAGEMENT",
            "DefaultPolicy": True,
        }
        policy = west.get_lifecycle_policy(PolicyId=created)["Policy"]
        assert policy["PolicyDetails"]["ResourceType"] == "INSTANCE"
        assert policy["PolicyDetails"]["RetainInterval"] == 14
        assert policy["PolicyArn"] == f"arn:aws:dlm:us-west-2:123456789012:policy/{created}"
        assert policy["DateCreated"].tzinfo is not None
        assert east.get_lifecycle_policies()["Policies"] == []  # policies live per Region
        assert west.get_lifecycle_policies(State="DISABLED")["Policies"] == []
        with pytest.raises(ClientError) as missing:
            west.get_lifecycle_policy(PolicyId="policy-00000000000000000")
        assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert ("GetLifecyclePolicy", "us-west-2") in stand_in.requests


def test_dlm_stand_in_validates_seeding_against_the_model():
    stand_in = DlmStandIn()
    with pytest.raises(ValueError, match="Missing required parameter"):
        stand_in.create_policy("us-east-1", Description="no role, no state")


def test_dlm_stand_in_injects_faults_and_stops_cleanly():
    stand_in = DlmStandIn().start()
    client = boto3.client(
        "dlm",
        region_name="us-east-1",
        endpoint_url=stand_in.endpoint_url,
        config=Config(retries={"total_max_attempts": 1}),
    )
    stand_in.fail(500, operation="GetLifecyclePolicies", region="us-east-1", times=1)
    with pytest.raises(ClientError) as failed:
        client.get_lifecycle_policies()
    assert failed.value.response["Error"]["Code"] == "InternalServerException"
    assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert client.get_lifecycle_policies()["Policies"] == []  # times=1: served again
    port = int(stand_in.endpoint_url.rsplit(":", 1)[1])
    stand_in.stop(timeout=5)
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


@mock_aws
def test_deny_service_is_scoped_to_service_and_region_and_undone():
    original = BaseResponse.call_action
    with deny_service("ec2", "us-east-1"):
        with pytest.raises(ClientError) as denied:
            boto3.client("ec2", region_name="us-east-1").describe_instances()
        assert denied.value.response["Error"]["Code"] == "UnauthorizedOperation"
        assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        boto3.client("ec2", region_name="us-west-2").describe_instances()
        boto3.client("autoscaling", region_name="us-east-1").describe_auto_scaling_groups()
    assert BaseResponse.call_action is original
    boto3.client("ec2", region_name="us-east-1").describe_instances()
