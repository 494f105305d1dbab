"""The pieces the demo stands on: its sealed AWS environment and the moto gap fillers it adds."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from scanner.demo.environment import DEMO_ENVIRONMENT, demo_environment
from scanner.mockaws import backdate, balance_group_instances
from scanner.mockaws.estate import create_network, launch_instances, register_ami

REGION = "us-east-1"


def test_the_demo_environment_hides_the_users_aws_settings_and_restores_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://example.invalid")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSER")
    with demo_environment():
        assert "AWS_PROFILE" not in os.environ
        assert "AWS_ENDPOINT_URL" not in os.environ
        assert os.environ["AWS_ACCESS_KEY_ID"] == DEMO_ENVIRONMENT["AWS_ACCESS_KEY_ID"]
        assert os.environ["AWS_CONFIG_FILE"] == os.devnull
        assert os.environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
        assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
        os.environ["AWS_ENDPOINT_URL_DLM"] = "http://127.0.0.1:1"  # set by the demo, must go
    assert os.environ["AWS_PROFILE"] == "production"
    assert os.environ["AWS_ENDPOINT_URL"] == "https://example.invalid"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSER"
    assert "AWS_ENDPOINT_URL_DLM" not in os.environ


def test_the_demo_environment_is_restored_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "production")
    with pytest.raises(KeyboardInterrupt), demo_environment():
        raise KeyboardInterrupt
    assert os.environ["AWS_PROFILE"] == "production"


@pytest.fixture
def ec2() -> Iterator[object]:
    with mock_aws():
        yield boto3.client("ec2", region_name=REGION)


def test_backdate_makes_moto_report_an_old_snapshot_and_ami(ec2: object) -> None:
    image = register_ami(ec2, "old", "an old image")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    now = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
    backdate(snapshot, region=REGION, age=dt.timedelta(days=30), now=now)
    backdate(image, region=REGION, age=dt.timedelta(hours=26), now=now)
    backdate(volume, region=REGION, age=dt.timedelta(days=400), now=now)
    started = ec2.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["StartTime"]
    assert started == dt.datetime(2024, 5, 2, 12, 0, tzinfo=dt.UTC)
    created = ec2.describe_images(ImageIds=[image])["Images"][0]["CreationDate"]
    assert created.startswith("2024-05-31T10:00:00")
    volume_created = ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["CreateTime"]
    assert volume_created == dt.datetime(2023, 4, 28, 12, 0, tzinfo=dt.UTC)  # 2024 is a leap year


def test_backdate_refuses_what_it_cannot_age(ec2: object) -> None:
    with pytest.raises(ValueError, match="snap-, ami-, vol- and i-"):
        backdate("subnet-123", region=REGION, age=dt.timedelta(days=1))
    with pytest.raises(KeyError, match="snap-0000"):
        backdate("snap-0000", region=REGION, age=dt.timedelta(days=1))
    with pytest.raises(ValueError, match="negative"):
        backdate("snap-0000", region=REGION, age=dt.timedelta(days=-1))


def test_balance_spreads_a_groups_instances_over_its_zones_as_aws_does(ec2: object) -> None:
    vpc, subnets = create_network(
        ec2,
        "10.9.0.0/16",
        {"us-east-1a": "10.9.1.0/24", "us-east-1b": "10.9.2.0/24", "us-east-1c": "10.9.3.0/24"},
    )
    image = register_ami(ec2, "web", "web")
    autoscaling = boto3.client("autoscaling", region_name=REGION)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="web", ImageId=image, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web",
        LaunchConfigurationName="web",
        MinSize=3,
        MaxSize=3,
        DesiredCapacity=3,
        VPCZoneIdentifier=",".join(subnets.values()),
    )

    def zones_seen() -> dict[str, str]:
        group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])
        ids = [i["InstanceId"] for i in group["AutoScalingGroups"][0]["Instances"]]
        reservations = ec2.describe_instances(InstanceIds=ids)["Reservations"]
        return {
            i["InstanceId"]: i["Placement"]["AvailabilityZone"]
            for r in reservations
            for i in r["Instances"]
        }

    assert len(set(zones_seen().values())) == 1  # moto's quirk
    placed = balance_group_instances("web", region=REGION)
    assert zones_seen() == placed
    assert sorted(placed.values()) == ["us-east-1a", "us-east-1b", "us-east-1c"]
    for instance_id, zone in placed.items():
        instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]
        assert instance["Instances"][0]["SubnetId"] == subnets[zone]
        volumes = ec2.describe_volumes(
            Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}]
        )["Volumes"]
        assert volumes and {v["AvailabilityZone"] for v in volumes} == {zone}
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])
    reported = {i["AvailabilityZone"] for i in group["AutoScalingGroups"][0]["Instances"]}
    assert reported == {"us-east-1a", "us-east-1b", "us-east-1c"}
    assert vpc


def test_balance_names_a_missing_group(ec2: object) -> None:
    with pytest.raises(KeyError, match="nope"):
        balance_group_instances("nope", region=REGION)


def test_launch_instances_tags_every_instance(ec2: object) -> None:
    _, subnets = create_network(ec2, "10.8.0.0/16", {"us-east-1a": "10.8.1.0/24"})
    image = register_ami(ec2, "tools", "tools")
    ids = launch_instances(ec2, image, subnets["us-east-1a"], tags={"Service": "x"}, count=2)
    reservations = ec2.describe_instances(InstanceIds=ids)["Reservations"]
    tags = [i["Tags"] for r in reservations for i in r["Instances"]]
    assert len(ids) == 2 and all({"Key": "Service", "Value": "x"} in t for t in tags)
