"""moto gap fillers for zone-event settings: reported as AWS does, validated, reset with moto."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from scanner.mockaws import add_placement_group, set_group_zone_policies, set_instance_options
from scanner.mockaws.estate import create_network, launch_instances, register_ami

REGION = "eu-west-1"


@pytest.fixture
def ec2():
    with mock_aws():
        yield boto3.client("ec2", region_name=REGION)


def test_placement_groups_answer_like_aws_and_filter_by_name(ec2) -> None:
    add_placement_group("hpc", "cluster", region=REGION)
    add_placement_group("kafka", "partition", region=REGION, partition_count=3)
    groups = {g["GroupName"]: g for g in ec2.describe_placement_groups()["PlacementGroups"]}
    assert groups["hpc"]["Strategy"] == "cluster" and groups["hpc"]["State"] == "available"
    assert groups["kafka"]["PartitionCount"] == 3
    assert groups["hpc"]["GroupId"] == add_placement_group("hpc", "cluster", region=REGION)
    (only,) = ec2.describe_placement_groups(GroupNames=["kafka"])["PlacementGroups"]
    assert only["GroupName"] == "kafka"
    assert (
        boto3.client("ec2", region_name="us-east-1").describe_placement_groups()["PlacementGroups"]
        == []
    )  # kept per Region


def test_placement_groups_go_with_a_moto_reset() -> None:
    with mock_aws():
        add_placement_group("hpc", "cluster", region=REGION)
    with mock_aws():
        client = boto3.client("ec2", region_name=REGION)
        assert client.describe_placement_groups()["PlacementGroups"] == []


def test_values_aws_would_refuse_are_refused_here(ec2) -> None:
    with pytest.raises(ValueError, match="not a placement strategy"):
        add_placement_group("hpc", "clustered", region=REGION)
    _, subnets = create_network(ec2, "10.0.0.0/16", {f"{REGION}a": "10.0.1.0/24"})
    (instance,) = launch_instances(
        ec2, register_ami(ec2, "base", "base image"), subnets[f"{REGION}a"]
    )
    with pytest.raises(ValueError, match="InstanceAutoRecoveryState"):
        set_instance_options(instance, region=REGION, auto_recovery="off")
    with pytest.raises(KeyError, match="no Auto Scaling group"):
        set_group_zone_policies("missing", region=REGION, zonal_shift=True)


def test_instance_and_group_settings_are_reported(ec2) -> None:
    _, subnets = create_network(ec2, "10.0.0.0/16", {f"{REGION}a": "10.0.1.0/24"})
    image = register_ami(ec2, "base", "base image")
    (instance,) = launch_instances(ec2, image, subnets[f"{REGION}a"])
    set_instance_options(instance, region=REGION, auto_recovery="disabled", placement_group="hpc")
    (described,) = ec2.describe_instances()["Reservations"][0]["Instances"]
    assert described["MaintenanceOptions"] == {"AutoRecovery": "disabled"}
    assert described["Placement"]["GroupName"] == "hpc"
    autoscaling = boto3.client("autoscaling", region_name=REGION)
    template = ec2.create_launch_template(
        LaunchTemplateName="web", LaunchTemplateData={"ImageId": image}
    )["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        LaunchTemplate={"LaunchTemplateId": template},
        MinSize=0,
        MaxSize=1,
        VPCZoneIdentifier=subnets[f"{REGION}a"],
    )
    set_group_zone_policies("web", region=REGION, distribution="balanced-only", zonal_shift=True)
    (group,) = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
    assert group["AvailabilityZoneDistribution"] == {
        "CapacityDistributionStrategy": "balanced-only"
    }
    assert group["AvailabilityZoneImpairmentPolicy"] == {
        "ZonalShiftEnabled": True,
        "ImpairedZoneHealthCheckBehavior": "IgnoreUnhealthy",
    }
