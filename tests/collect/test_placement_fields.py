"""Placement fields the protection fact needs, through botocore's Stubber and the real models:
OutpostArn on instances, volumes, subnets and snapshots, a snapshot's zone, an AMI's source
instance, DLM Parameters, and zone types for older responses without ``ZoneType``."""

from __future__ import annotations

from botocore.stub import ANY

from scanner.collect.dlm import collect_dlm
from scanner.collect.ec2 import collect_ec2, collect_zones

REGION = "us-west-2"
ACCOUNT = "111122223333"
OUTPOST = f"arn:aws:outposts:{REGION}:{ACCOUNT}:outpost/op-0123456789abcdef0"


def test_outpost_arns_snapshot_zones_and_source_instances_are_kept(ctx, stub) -> None:
    ec2 = stub("ec2")
    placed = {"AvailabilityZone": f"{REGION}a"}
    ec2.add_response(
        "describe_instances",
        {
            "Reservations": [
                {"Instances": [{"InstanceId": "i-1", "OutpostArn": OUTPOST, "Placement": placed}]}
            ]
        },
        {"Filters": ANY, "MaxResults": ANY},
    )
    ec2.add_response(
        "describe_subnets",
        {
            "Subnets": [
                {"SubnetId": "subnet-1", "AvailabilityZone": f"{REGION}a", "OutpostArn": OUTPOST}
            ]
        },
        {"MaxResults": ANY},
    )
    ec2.add_response(
        "describe_volumes",
        {
            "Volumes": [
                {"VolumeId": "vol-1", "AvailabilityZone": f"{REGION}a", "OutpostArn": OUTPOST}
            ]
        },
        {"MaxResults": ANY},
    )
    ec2.add_response(
        "describe_snapshots",
        {
            "Snapshots": [
                {"SnapshotId": "snap-outpost", "VolumeId": "vol-1", "OutpostArn": OUTPOST},
                {"SnapshotId": "snap-local", "AvailabilityZone": f"{REGION}-lax-1a"},
                {"SnapshotId": "snap-regional"},
            ]
        },
        {"OwnerIds": ["self"], "MaxResults": ANY},
    )
    ec2.add_response(
        "describe_images",
        {"Images": [{"ImageId": "ami-1", "SourceInstanceId": "i-1"}]},
        {"Owners": ["self"], "MaxResults": ANY},
    )
    resources = collect_ec2(ctx)
    assert resources["instances"][0]["outpost_arn"] == OUTPOST
    assert resources["subnets"][0]["outpost_arn"] == OUTPOST
    assert resources["volumes"][0]["outpost_arn"] == OUTPOST
    placement = {s["id"]: (s["zone"], s["outpost_arn"]) for s in resources["snapshots"]}
    assert placement == {
        "snap-outpost": (None, OUTPOST),
        "snap-local": (f"{REGION}-lax-1a", None),
        "snap-regional": (None, None),
    }
    assert resources["images"][0]["source_instance_id"] == "i-1"


def test_a_zone_without_zone_type_is_typed_by_its_group_or_left_unknown(ctx, stub) -> None:
    ec2 = stub("ec2")
    zones = [
        {"ZoneName": f"{REGION}a", "ZoneId": "usw2-az1", "GroupName": REGION},
        {"ZoneName": f"{REGION}-lax-1a", "ZoneId": "usw2-lax1-az1", "GroupName": f"{REGION}-lax-1"},
        {
            "ZoneName": f"{REGION}-wl1-sea-wlz-1",
            "ZoneId": "usw2-wl1-sea-wlz1",
            "GroupName": f"{REGION}-wl1",
        },
        {"ZoneName": f"{REGION}b", "ZoneId": "usw2-az2"},  # predates groups: an AZ by its name
        {"ZoneName": "mystery-1", "ZoneId": "usw2-x", "GroupName": "elsewhere"},
        {"ZoneName": f"{REGION}c", "ZoneId": "usw2-az3", "ZoneType": "availability-zone"},
    ]
    ec2.add_response(
        "describe_availability_zones", {"AvailabilityZones": zones}, {"AllAvailabilityZones": True}
    )
    types = {zone["name"]: zone["type"] for zone in collect_zones(ctx)}
    assert types == {
        f"{REGION}a": "availability-zone",
        f"{REGION}-lax-1a": "local-zone",
        f"{REGION}-wl1-sea-wlz-1": "wavelength-zone",
        f"{REGION}b": "availability-zone",
        "mystery-1": None,
        f"{REGION}c": "availability-zone",
    }


def test_dlm_parameters_are_collected(ctx, stub) -> None:
    dlm = stub("dlm")
    dlm.add_response("get_lifecycle_policies", {"Policies": [{"PolicyId": "policy-1"}]}, {})
    dlm.add_response(
        "get_lifecycle_policy",
        {
            "Policy": {
                "PolicyId": "policy-1",
                "State": "ENABLED",
                "PolicyDetails": {
                    "PolicyType": "EBS_SNAPSHOT_MANAGEMENT",
                    "ResourceTypes": ["INSTANCE"],
                    "TargetTags": [{"Key": "Backup", "Value": "daily"}],
                    "Parameters": {
                        "ExcludeBootVolume": True,
                        "ExcludeDataVolumeTags": [{"Key": "Scratch", "Value": "yes"}],
                    },
                    "Schedules": [
                        {
                            "Name": "local",
                            "CreateRule": {
                                "Interval": 12,
                                "IntervalUnit": "HOURS",
                                "Location": "LOCAL_ZONE",
                            },
                        }
                    ],
                },
            }
        },
        {"PolicyId": "policy-1"},
    )
    [policy] = collect_dlm(ctx)["dlm_policies"]
    assert policy["parameters"] == {
        "exclude_boot_volume": True,
        "exclude_data_volume_tags": [{"key": "Scratch", "value": "yes"}],
        "no_reboot": None,
    }
    assert policy["schedules"][0]["create_rule"]["location"] == "LOCAL_ZONE"
