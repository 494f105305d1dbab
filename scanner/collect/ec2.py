"""EC2: zones (Availability, Local and Wavelength Zones), instances, subnets, volumes,
self-owned snapshots and AMIs of one Region, and the placement groups instances use.

Each listing is one paginated call at the API's largest page size, narrowed
server-side where EC2 allows (``OwnerIds=['self']``, ``Owners=['self']``, no
terminated instances). A listing that fails is left out of ``resources`` (and
recorded in ``errors``) so that absence never reads as "none".
"""

from __future__ import annotations

import re
from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.normalize import iso_utc, tags_to_dict
from scanner.collect.placement_groups import collect_placement_groups

LIVE_INSTANCE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"]


def collect_zones(ctx: UnitContext) -> list[dict[str, Any]] | None:
    """Every zone of the Region, opted in or not (``AllAvailabilityZones=True``)."""
    response = ctx.call("ec2", "DescribeAvailabilityZones", AllAvailabilityZones=True)
    if response is None:
        return None
    if not response.get("AvailabilityZones"):
        # "Each Region has at least three Availability Zones"
        # (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html):
        # an empty catalog is a broken answer, and would read as "no zone to lose".
        ctx.record_empty("ec2", "DescribeAvailabilityZones", f"no zones for {ctx.region}")
        return None
    return [
        {
            "name": zone["ZoneName"],
            "id": zone["ZoneId"],
            "region": zone.get("RegionName") or ctx.region,
            "type": zone_type(zone, ctx.region),
            "parent_zone_name": zone.get("ParentZoneName"),
            "parent_zone_id": zone.get("ParentZoneId"),
            "group_name": zone.get("GroupName"),
            "network_border_group": zone.get("NetworkBorderGroup"),
            "opt_in_status": zone.get("OptInStatus"),
            "state": zone.get("State"),
        }
        for zone in response.get("AvailabilityZones", [])
    ]


def zone_type(zone: dict[str, Any], region: str) -> str | None:
    """``ZoneType``; for an older response without it, what its group says, else unknown (None).

    An Availability Zone's group is its Region; a Local Zone's is ``<region>-<city>-<n>``
    and a Wavelength Zone's ``<region>-wl<n>``. Zones predating Local Zones carry no
    group: then only a name of the Availability Zone form (``<region><letter>``) with no
    parent makes it one.
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZone.html
    """
    if zone.get("ZoneType"):
        return zone["ZoneType"]
    group = zone.get("GroupName")
    if group:
        if group == region:
            return "availability-zone"
        if re.fullmatch(re.escape(region) + r"-wl\d+", group):
            return "wavelength-zone"
        if group.startswith(region + "-"):
            return "local-zone"
        return None
    name = zone.get("ZoneName") or ""
    if not zone.get("ParentZoneName") and re.fullmatch(re.escape(region) + r"[a-z]", name):
        return "availability-zone"
    return None


def collect_ec2(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    """Instances, subnets, volumes, snapshots and images; a failed listing's key is absent."""
    resources: dict[str, list[dict[str, Any]]] = {}
    listings = (
        ("instances", _instances),
        ("subnets", _subnets),
        ("volumes", _volumes),
        ("snapshots", _snapshots),
        ("images", _images),
    )
    for key, collect in listings:
        records = collect(ctx)
        if records is not None:
            resources[key] = records
    groups = collect_placement_groups(ctx, resources.get("instances"))
    if groups is not None:
        resources["placement_groups"] = groups
    return resources


def _instances(ctx: UnitContext) -> list[dict[str, Any]] | None:
    reservations = ctx.pages(
        "ec2",
        "DescribeInstances",
        "Reservations",
        Filters=[{"Name": "instance-state-name", "Values": LIVE_INSTANCE_STATES}],
    )
    if reservations is None:
        return None
    records = []
    for reservation in reservations:
        for instance in reservation.get("Instances", []):
            instance_id = instance["InstanceId"]
            record = ctx.base(
                instance_id,
                ctx.arn("ec2", f"instance/{instance_id}"),
                tags_to_dict(instance.get("Tags")),
            )
            record.update(
                state=instance.get("State", {}).get("Name", "unknown"),
                instance_type=instance.get("InstanceType"),
                zone=instance.get("Placement", {}).get("AvailabilityZone"),
                outpost_arn=instance.get("OutpostArn"),
                subnet_id=instance.get("SubnetId"),
                vpc_id=instance.get("VpcId"),
                image_id=instance.get("ImageId"),
                root_device_type=instance.get("RootDeviceType"),
                root_device_name=instance.get("RootDeviceName"),
                volume_ids=[
                    mapping["Ebs"]["VolumeId"]
                    for mapping in instance.get("BlockDeviceMappings", [])
                    if mapping.get("Ebs", {}).get("VolumeId")
                ],
                lifecycle=instance.get("InstanceLifecycle") or "normal",
                launch_time=iso_utc(instance.get("LaunchTime")),
                # "default" or "disabled"; null when AWS does not say (older API answers).
                auto_recovery=(instance.get("MaintenanceOptions") or {}).get("AutoRecovery"),
                placement_group_name=instance.get("Placement", {}).get("GroupName") or None,
            )
            records.append(record)
    return records


def _subnets(ctx: UnitContext) -> list[dict[str, Any]] | None:
    subnets = ctx.pages("ec2", "DescribeSubnets", "Subnets")
    if subnets is None:
        return None
    records = []
    for subnet in subnets:
        subnet_id = subnet["SubnetId"]
        arn = subnet.get("SubnetArn") or ctx.arn("ec2", f"subnet/{subnet_id}")
        record = ctx.base(subnet_id, arn, tags_to_dict(subnet.get("Tags")))
        record.update(
            zone=subnet["AvailabilityZone"],
            zone_id=subnet.get("AvailabilityZoneId"),
            outpost_arn=subnet.get("OutpostArn"),
            vpc_id=subnet.get("VpcId"),
            cidr_block=subnet.get("CidrBlock"),
        )
        records.append(record)
    return records


def _volumes(ctx: UnitContext) -> list[dict[str, Any]] | None:
    volumes = ctx.pages("ec2", "DescribeVolumes", "Volumes")
    if volumes is None:
        return None
    records = []
    for volume in volumes:
        volume_id = volume["VolumeId"]
        record = ctx.base(
            volume_id, ctx.arn("ec2", f"volume/{volume_id}"), tags_to_dict(volume.get("Tags"))
        )
        record.update(
            zone=volume["AvailabilityZone"],
            outpost_arn=volume.get("OutpostArn"),
            state=volume.get("State", "unknown"),
            volume_type=volume.get("VolumeType"),
            size_gib=volume.get("Size"),
            encrypted=volume.get("Encrypted"),
            snapshot_id=volume.get("SnapshotId") or None,
            attachments=[
                {
                    "instance_id": attachment["InstanceId"],
                    "device": attachment.get("Device"),
                    "state": attachment.get("State"),
                    "delete_on_termination": attachment.get("DeleteOnTermination"),
                }
                for attachment in volume.get("Attachments", [])
                if attachment.get("InstanceId")
            ],
            create_time=iso_utc(volume.get("CreateTime")),
        )
        records.append(record)
    return records


def _snapshots(ctx: UnitContext) -> list[dict[str, Any]] | None:
    snapshots = ctx.pages("ec2", "DescribeSnapshots", "Snapshots", OwnerIds=["self"])
    if snapshots is None:
        return None
    records = []
    for snapshot in snapshots:
        snapshot_id = snapshot["SnapshotId"]
        # EC2 snapshot ARNs carry no account: arn:aws:ec2:REGION::snapshot/ID.
        arn = ctx.arn("ec2", f"snapshot/{snapshot_id}", with_account=False)
        record = ctx.base(snapshot_id, arn, tags_to_dict(snapshot.get("Tags")))
        record.update(
            volume_id=snapshot.get("VolumeId"),
            state=snapshot.get("State", "unknown"),
            start_time=iso_utc(snapshot.get("StartTime")),
            description=snapshot.get("Description"),
            encrypted=snapshot.get("Encrypted"),
            volume_size_gib=snapshot.get("VolumeSize"),
            storage_tier=snapshot.get("StorageTier"),
            transfer_type=snapshot.get("TransferType"),
            # Set only for a snapshot kept in a zone (a Local Zone) or on an Outpost.
            zone=snapshot.get("AvailabilityZone"),
            outpost_arn=snapshot.get("OutpostArn"),
        )
        records.append(record)
    return records


def _images(ctx: UnitContext) -> list[dict[str, Any]] | None:
    images = ctx.pages("ec2", "DescribeImages", "Images", Owners=["self"])
    if images is None:
        return None
    records = []
    for image in images:
        image_id = image["ImageId"]
        # AMI ARNs carry no account either: arn:aws:ec2:REGION::image/ID.
        arn = ctx.arn("ec2", f"image/{image_id}", with_account=False)
        record = ctx.base(image_id, arn, tags_to_dict(image.get("Tags")))
        record.update(
            name=image.get("Name"),
            state=image.get("State", "unknown"),
            creation_date=iso_utc(image.get("CreationDate")),
            root_device_type=image.get("RootDeviceType"),
            snapshot_ids=[
                mapping["Ebs"]["SnapshotId"]
                for mapping in image.get("BlockDeviceMappings", [])
                if mapping.get("Ebs", {}).get("SnapshotId")
            ],
            source_image_id=image.get("SourceImageId"),
            source_image_region=image.get("SourceImageRegion"),
            source_instance_id=image.get("SourceInstanceId"),
            description=image.get("Description"),
        )
        records.append(record)
    return records
