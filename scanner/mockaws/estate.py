"""Building blocks for seeding an estate into moto, shared by the tests and ``stormproof demo``.

Seeding talks to moto (in process or a loopback server in this process) through
plain boto3 clients, never through stormproof's collector session, so the
collector's read-only guard is never bypassed. Each helper does what an
operator would do with the AWS API, then fills moto's gaps the documented way
(:mod:`scanner.mockaws`): copies get their provenance, groups get balanced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3

from scanner.mockaws.provenance import DEFAULT_ACCOUNT, mark_image_copy, mark_snapshot_copy

ClientFor = Callable[[str, str], Any]  # (service, region) -> boto3 client


@dataclass
class Estate:
    """What was seeded, per Region: snapshot key -> ids, plus named facts for checks."""

    ids: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, region: str, key: str, resource_id: str) -> None:
        self.ids.setdefault(region, {}).setdefault(key, set()).add(resource_id)

    def count(self, region: str, key: str) -> int:
        return len(self.ids.get(region, {}).get(key, set()))


def plain_clients(endpoint_url: str | None = None) -> ClientFor:
    """Seeding clients (not stormproof's), optionally aimed at a moto server."""

    def client(service: str, region: str) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint_url)

    return client


def tag_spec(resource_type: str, tags: Mapping[str, str]) -> list[dict[str, Any]]:
    """``TagSpecifications`` for one resource type from a plain dict."""
    return [
        {
            "ResourceType": resource_type,
            "Tags": [{"Key": key, "Value": value} for key, value in tags.items()],
        }
    ]


def create_network(ec2: Any, cidr: str, subnets: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """A VPC and one subnet per zone (zone -> subnet CIDR); returns (vpc id, zone -> subnet id)."""
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    by_zone = {
        zone: ec2.create_subnet(VpcId=vpc, CidrBlock=block, AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for zone, block in subnets.items()
    }
    return vpc, by_zone


def register_ami(
    ec2: Any, name: str, description: str, tags: Mapping[str, str] | None = None
) -> str:
    """An EBS-backed AMI with an 8 GiB root volume (moto creates its backing snapshot)."""
    image = ec2.register_image(
        Name=name,
        Description=description,
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    if tags:
        ec2.create_tags(
            Resources=[image], Tags=[{"Key": key, "Value": value} for key, value in tags.items()]
        )
    return image


def backing_snapshot_ids(ec2: Any, image_id: str) -> list[str]:
    """The snapshots an AMI's block device mappings point at."""
    image = ec2.describe_images(ImageIds=[image_id])["Images"][0]
    return [
        mapping["Ebs"]["SnapshotId"]
        for mapping in image.get("BlockDeviceMappings", [])
        if mapping.get("Ebs", {}).get("SnapshotId")
    ]


def launch_instances(
    ec2: Any, image_id: str, subnet_id: str, tags: Mapping[str, str] | None = None, count: int = 1
) -> list[str]:
    """``count`` running instances of ``image_id`` in one subnet."""
    request: dict[str, Any] = {
        "ImageId": image_id,
        "MinCount": count,
        "MaxCount": count,
        "SubnetId": subnet_id,
    }
    if tags:
        request["TagSpecifications"] = tag_spec("instance", tags)
    return [item["InstanceId"] for item in ec2.run_instances(**request)["Instances"]]


def copy_snapshot_across(
    client: ClientFor,
    snapshot_id: str,
    *,
    source_region: str,
    region: str,
    account_id: str = DEFAULT_ACCOUNT,
) -> str:
    """``CopySnapshot`` into ``region``, then the provenance AWS records on the copy."""
    copy = client("ec2", region).copy_snapshot(
        SourceSnapshotId=snapshot_id, SourceRegion=source_region
    )["SnapshotId"]
    mark_snapshot_copy(
        copy,
        region=region,
        source_snapshot_id=snapshot_id,
        source_region=source_region,
        account_id=account_id,
    )
    return copy


def copy_image_across(
    client: ClientFor,
    image_id: str,
    *,
    source_region: str,
    region: str,
    name: str,
    account_id: str = DEFAULT_ACCOUNT,
) -> str:
    """``CopyImage`` into ``region``, then ``SourceImageId``/``SourceImageRegion`` as AWS sets."""
    copy = client("ec2", region).copy_image(
        SourceImageId=image_id, SourceRegion=source_region, Name=name
    )["ImageId"]
    mark_image_copy(
        copy,
        region=region,
        source_image_id=image_id,
        source_region=source_region,
        account_id=account_id,
    )
    return copy


def web_target_group(
    elbv2: Any, name: str, vpc_id: str, *, protocol: str = "HTTP", port: int = 80, **extra: Any
) -> str:
    """An instance target group."""
    return elbv2.create_target_group(
        Name=name, Protocol=protocol, Port=port, VpcId=vpc_id, TargetType="instance", **extra
    )["TargetGroups"][0]["TargetGroupArn"]


def forward_listener(
    elbv2: Any,
    load_balancer_arn: str,
    target_group_arn: str,
    *,
    protocol: str = "HTTP",
    port: int = 80,
) -> None:
    """A listener that forwards everything to one target group (attaches it to the LB)."""
    elbv2.create_listener(
        LoadBalancerArn=load_balancer_arn,
        Protocol=protocol,
        Port=port,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group_arn}],
    )


def daily_snapshot_schedule(
    copy_to: Iterable[str] = (), *, retain_days_in_copy: int = 14
) -> dict[str, Any]:
    """A DLM schedule: daily at 03:00, keep 7, optionally copied to other Regions."""
    schedule: dict[str, Any] = {
        "Name": "daily",
        "CopyTags": True,
        "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS", "Times": ["03:00"]},
        "RetainRule": {"Count": 7},
    }
    rules = [
        {
            "TargetRegion": region,
            "Encrypted": False,
            "RetainRule": {"Interval": retain_days_in_copy, "IntervalUnit": "DAYS"},
        }
        for region in copy_to
    ]
    if rules:
        schedule["CrossRegionCopyRules"] = rules
    return schedule


def weekly_ami_schedule() -> dict[str, Any]:
    """A DLM AMI schedule: Sundays at 03:00, kept four weeks."""
    return {
        "Name": "weekly",
        "CreateRule": {"CronExpression": "cron(0 3 ? * SUN *)"},
        "RetainRule": {"Interval": 4, "IntervalUnit": "WEEKS"},
    }


def dlm_role_arn(account_id: str = DEFAULT_ACCOUNT) -> str:
    """The role DLM's console creates for snapshot policies."""
    return f"arn:aws:iam::{account_id}:role/AWSDataLifecycleManagerDefaultRole"


def tag_policy(
    dlm: Any,
    region: str,
    *,
    description: str,
    state: str,
    policy_type: str,
    resource_types: list[str],
    target_tags: Mapping[str, str],
    schedules: list[dict[str, Any]],
    resource_locations: list[str] | None = None,
    tags: Mapping[str, str] | None = None,
    account_id: str = DEFAULT_ACCOUNT,
) -> str:
    """A tag-targeted DLM policy (not a default policy) in ``region``; returns its id."""
    details: dict[str, Any] = {"PolicyType": policy_type, "ResourceTypes": resource_types}
    if resource_locations is not None:
        details["ResourceLocations"] = resource_locations
    details["TargetTags"] = [{"Key": key, "Value": value} for key, value in target_tags.items()]
    details["Schedules"] = schedules
    request: dict[str, Any] = {
        "ExecutionRoleArn": dlm_role_arn(account_id),
        "Description": description,
        "State": state,
        "PolicyDetails": details,
    }
    if tags is not None:
        request["Tags"] = dict(tags)
    return dlm.create_policy(region, **request)
