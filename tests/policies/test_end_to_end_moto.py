"""A seeded moto estate, collected by the real collector, judged by the built-in library.

moto serves EC2, Auto Scaling and ELB in process; ``scanner.mockaws`` fills its
gaps (Local Zones, DLM, AWS Backup, copy provenance, targets AWS reports
``Target.NotInUse``). The estate is built so each built-in policy has something
to find, and the test asserts the exact set of findings: nothing missing,
nothing extra. Everything is seeded at test time, so age checks are evaluated
two days after the scan (``evaluate(..., now=...)``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from scanner.collect import CollectOptions, collect_snapshot
from scanner.engine import evaluate, evaluation_time, load_policies
from scanner.mockaws import (
    DlmStandIn,
    add_local_zones,
    add_recovery_point,
    mark_image_copy,
    mark_snapshot_copy,
    report_unused_targets,
)
from scanner.mockaws.estate import tag_policy, tag_spec
from scanner.model.link import link_snapshot
from scanner.model.snapshot import validate_snapshot
from tests.offline import apply_offline_environment
from tests.policies.library_ids import LIBRARY_POLICY_IDS

pytestmark = pytest.mark.slow

WEST, EAST = "us-west-2", "us-east-1"
LOCAL_ZONE = "us-west-2-lax-1a"  # parent us-west-2a
SIBLING_ZONE = "us-west-2-lax-1b"  # parent us-west-2a too: one failure domain with LOCAL_ZONE
ACCOUNT = "123456789012"


def instance_ids(reservation: dict[str, Any]) -> list[str]:
    return [instance["InstanceId"] for instance in reservation["Instances"]]


def seed(dlm: DlmStandIn) -> dict[str, Any]:
    """The estate; returns the ids the expected findings name."""
    ids: dict[str, Any] = {}
    ec2 = boto3.client("ec2", region_name=WEST)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = {
        zone: ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for zone, cidr in (
            ("us-west-2a", "10.0.1.0/24"),
            ("us-west-2b", "10.0.2.0/24"),
            (LOCAL_ZONE, "10.0.3.0/24"),
            (SIBLING_ZONE, "10.0.4.0/24"),
        )
    }
    web_ami = ec2.register_image(
        Name="web",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    batch_ami = ec2.register_image(
        Name="batch",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    ids.update(web_ami=web_ami, batch_ami=batch_ami)

    # A tag fleet in one zone, with an AMI policy; the first has a backed-up data volume.
    api = instance_ids(
        ec2.run_instances(
            ImageId=web_ami,
            MinCount=2,
            MaxCount=2,
            SubnetId=subnet["us-west-2a"],
            TagSpecifications=tag_spec("instance", {"Service": "api", "AmiBackup": "weekly"}),
        )
    )
    data = ec2.create_volume(
        AvailabilityZone="us-west-2a",
        Size=20,
        TagSpecifications=tag_spec("volume", {"Backup": "daily"}),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=data, InstanceId=api[0], Device="/dev/sdf")
    data_snapshot = ec2.create_snapshot(
        VolumeId=data, TagSpecifications=tag_spec("snapshot", {"Backup": "daily"})
    )["SnapshotId"]
    lonely_snapshot = ec2.create_snapshot(VolumeId=data, Description="manual")["SnapshotId"]
    # A bastion alone in a Local Zone, with no AMI policy.
    bastion = instance_ids(
        ec2.run_instances(
            ImageId=web_ami,
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet[LOCAL_ZONE],
            TagSpecifications=tag_spec("instance", {"Fleet": "bastion"}),
        )
    )[0]
    # A volume of the bastion protected only by AWS Backup, whose plan copies nothing.
    backup_only = ec2.create_volume(
        AvailabilityZone=LOCAL_ZONE,
        Size=10,
        TagSpecifications=tag_spec("volume", {"backup": "aws-backup"}),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=backup_only, InstanceId=bastion, Device="/dev/sdg")
    ids.update(backup_only=backup_only, **seed_backup(ec2, backup_only))
    ids.update(
        api=api,
        data=data,
        data_snapshot=data_snapshot,
        lonely_snapshot=lonely_snapshot,
        bastion=bastion,
    )

    elbv2 = boto3.client("elbv2", region_name=WEST)
    alb = elbv2.create_load_balancer(
        Name="web-alb", Subnets=[subnet["us-west-2a"], subnet["us-west-2b"]]
    )
    alb_arn = alb["LoadBalancers"][0]["LoadBalancerArn"]
    nlb_arn = elbv2.create_load_balancer(
        Name="edge-nlb", Type="network", Subnets=[subnet["us-west-2a"], subnet[LOCAL_ZONE]]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group = elbv2.create_target_group(
        Name="api-tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance"
    )
    group_arn = group["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=alb_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
    )
    # The bastion's Local Zone is not enabled for the ALB: AWS reports it Target.NotInUse,
    # so api-tg's targets that receive traffic are still all in us-west-2a.
    elbv2.register_targets(
        TargetGroupArn=group_arn, Targets=[{"Id": i, "Port": 80} for i in [*api, bastion]]
    )
    # Cross-zone per target group: api-tg turns it off on the ALB (a finding); edge-tg
    # turns it on for the NLB, whose own setting is off (no finding).
    elbv2.modify_target_group_attributes(
        TargetGroupArn=group_arn,
        Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "false"}],
    )
    edge_group = elbv2.create_target_group(
        Name="edge-tg", Protocol="TCP", Port=443, VpcId=vpc, TargetType="instance"
    )["TargetGroups"][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=nlb_arn,
        Protocol="TCP",
        Port=443,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": edge_group}],
    )
    elbv2.modify_target_group_attributes(
        TargetGroupArn=edge_group,
        Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}],
    )
    ids["target_group"] = group_arn
    elb = boto3.client("elb", region_name=WEST)
    elb.create_load_balancer(
        LoadBalancerName="legacy",
        Subnets=[subnet["us-west-2a"]],
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
    )

    template = ec2.create_launch_template(
        LaunchTemplateName="web",
        LaunchTemplateData={"ImageId": web_ami, "InstanceType": "t3.micro"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling = boto3.client("autoscaling", region_name=WEST)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="batch", ImageId=batch_ami, InstanceType="t3.micro"
    )
    for name, subnets, extra in (
        (
            "web-asg",
            ["us-west-2a", "us-west-2b"],
            {
                "TargetGroupARNs": [group_arn],
                "HealthCheckType": "ELB",
                "LaunchTemplate": {"LaunchTemplateId": template, "Version": "$Latest"},
            },
        ),
        (
            "edge-asg",
            [LOCAL_ZONE, "us-west-2a"],
            {"LaunchTemplate": {"LaunchTemplateId": template}},
        ),
        (
            "batch-asg",
            ["us-west-2b"],
            {"LoadBalancerNames": ["legacy"], "LaunchConfigurationName": "batch"},
        ),
        (
            "edge-pair-asg",  # two Local Zones with one parent: one failure domain
            [LOCAL_ZONE, SIBLING_ZONE],
            {"LaunchTemplate": {"LaunchTemplateId": template}},
        ),
    ):
        autoscaling.create_auto_scaling_group(
            AutoScalingGroupName=name,
            MinSize=0,
            MaxSize=2,
            DesiredCapacity=0,
            VPCZoneIdentifier=",".join(subnet[zone] for zone in subnets),
            **extra,
        )
    # Suspended for a deployment and never resumed: unhealthy instances are not replaced.
    autoscaling.suspend_processes(AutoScalingGroupName="web-asg", ScalingProcesses=["Terminate"])

    # us-east-1 holds the copies; its DLM answers AccessDenied.
    east = boto3.client("ec2", region_name=EAST)
    copied_snapshot = east.copy_snapshot(SourceSnapshotId=data_snapshot, SourceRegion=WEST)[
        "SnapshotId"
    ]
    mark_snapshot_copy(
        copied_snapshot, region=EAST, source_snapshot_id=data_snapshot, source_region=WEST
    )
    copied_ami = east.copy_image(SourceImageId=web_ami, SourceRegion=WEST, Name="web")["ImageId"]
    mark_image_copy(copied_ami, region=EAST, source_image_id=web_ami, source_region=WEST)
    dr = instance_ids(east.run_instances(ImageId=copied_ami, MinCount=1, MaxCount=1))[0]
    ids.update(copied_snapshot=copied_snapshot, copied_ami=copied_ami, dr=dr)
    dlm.fail(400, "AccessDeniedException", "not authorized", region=EAST)

    daily = tag_policy(
        dlm,
        WEST,
        description="daily",
        state="ENABLED",
        policy_type="EBS_SNAPSHOT_MANAGEMENT",
        resource_types=["VOLUME"],
        resource_locations=["CLOUD"],
        target_tags={"Backup": "daily"},
        schedules=[
            {
                "Name": "daily",
                "CreateRule": {"Interval": 24, "IntervalUnit": "HOURS"},
                "RetainRule": {"Count": 7},
                "CrossRegionCopyRules": [
                    {
                        "TargetRegion": EAST,
                        "Encrypted": False,
                        "RetainRule": {"Interval": 7, "IntervalUnit": "DAYS"},
                    }
                ],
            },
            {  # copy rules belong to a schedule: this one copies nothing
                "Name": "hourly",
                "CreateRule": {"Interval": 1, "IntervalUnit": "HOURS"},
                "RetainRule": {"Count": 24},
            },
        ],
        account_id=ACCOUNT,
    )
    hourly_snapshot = ec2.create_snapshot(
        VolumeId=data,
        TagSpecifications=tag_spec(
            "snapshot",
            {"aws:dlm:lifecycle-policy-id": daily, "aws:dlm:lifecycle-schedule-name": "hourly"},
        ),
    )["SnapshotId"]
    ids["hourly_snapshot"] = hourly_snapshot
    weekly = tag_policy(
        dlm,
        WEST,
        description="weekly AMIs",
        state="ENABLED",
        policy_type="IMAGE_MANAGEMENT",
        resource_types=["INSTANCE"],
        target_tags={"AmiBackup": "weekly"},
        schedules=[
            {
                "Name": "weekly",
                "CreateRule": {"CronExpression": "cron(0 3 ? * SUN *)"},
                "RetainRule": {"Count": 4},
            }
        ],
        account_id=ACCOUNT,
    )
    paused = tag_policy(
        dlm,
        WEST,
        description="paused",
        state="DISABLED",
        policy_type="EBS_SNAPSHOT_MANAGEMENT",
        resource_types=["VOLUME"],
        target_tags={"Backup": "hourly"},
        schedules=[
            {
                "Name": "hourly",
                "CreateRule": {"Interval": 1, "IntervalUnit": "HOURS"},
                "RetainRule": {"Count": 24},
            }
        ],
        account_id=ACCOUNT,
    )
    ids.update(daily=daily, weekly=weekly, paused=paused)
    ids["volumes"] = {
        region: {
            v["VolumeId"]: v
            for v in boto3.client("ec2", region_name=region).describe_volumes()["Volumes"]
        }
        for region in (WEST, EAST)
    }
    ids["ami_snapshots"] = {
        image["ImageId"]: [
            m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"] if "Ebs" in m
        ]
        for image in ec2.describe_images(ImageIds=[web_ami, batch_ami])["Images"]
    }
    return ids


def seed_backup(ec2: Any, volume: str) -> dict[str, Any]:
    """An AWS Backup plan selecting tagged volumes, no copy action; one recovery point."""
    backup = boto3.client("backup", region_name=WEST)
    backup.create_backup_vault(BackupVaultName="Default")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "volumes-daily",
            "Rules": [
                {
                    "RuleName": "daily",
                    "TargetBackupVaultName": "Default",
                    "ScheduleExpression": "cron(0 5 ? * * *)",
                }
            ],
        }
    )["BackupPlanId"]
    backup.create_backup_selection(
        BackupPlanId=plan,
        BackupSelection={
            "SelectionName": "tagged-volumes",
            "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole",
            "Resources": ["arn:aws:ec2:*:*:volume/*"],
            "Conditions": {
                "StringEquals": [
                    {"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "aws-backup"}
                ]
            },
        },
    )
    rule = backup.get_backup_plan(BackupPlanId=plan)["BackupPlan"]["Rules"][0]["RuleId"]
    made = ec2.create_snapshot(
        VolumeId=volume, Description="This snapshot is created by the AWS Backup service."
    )["SnapshotId"]
    add_recovery_point(
        WEST,
        "Default",
        f"arn:aws:ec2:{WEST}:{ACCOUNT}:volume/{volume}",
        account=ACCOUNT,
        resource_id=made,
        plan_id=plan,
        rule_id=rule,
    )
    return {"backup_plan": plan, "backup_snapshot": made}


@pytest.fixture(scope="module")
def scan() -> Iterator[tuple[dict, dict]]:
    environment = pytest.MonkeyPatch()  # module-scoped: the autouse per-test fixture is too late
    apply_offline_environment(environment)
    try:
        with add_local_zones(WEST), mock_aws(), report_unused_targets(), DlmStandIn() as dlm:
            environment.setenv("AWS_ENDPOINT_URL_DLM", dlm.endpoint_url)
            ids = seed(dlm)
            snapshot = collect_snapshot(
                CollectOptions(regions=[WEST, EAST], max_workers=2, rate_limit=1000)
            )
            yield snapshot, ids
    finally:
        environment.undo()


def findings_of(snapshot: dict) -> list:
    model = link_snapshot(snapshot)
    later = evaluation_time(snapshot) + timedelta(days=2)
    policies = [policy for policy in load_policies() if policy.id not in LIBRARY_POLICY_IDS]
    return evaluate(model, policies, now=later).findings


def test_the_snapshot_is_valid(scan) -> None:
    snapshot, _ = scan
    validate_snapshot(snapshot)
    assert [
        (e["region"], e["service"], e["code"])
        for e in snapshot["errors"] + [e for unit in snapshot["units"] for e in unit["errors"]]
    ] == [(EAST, "dlm", "AccessDeniedException")]


def test_exactly_the_expected_findings(scan) -> None:
    snapshot, ids = scan
    api, bastion, dr = ids["api"], ids["bastion"], ids["dr"]
    west_volumes, east_volumes = ids["volumes"][WEST], ids["volumes"][EAST]
    root = {v for v in west_volumes if v not in (ids["data"], ids["backup_only"])}
    # The api instances' AMI policy covers their volumes; the bastion's root has nothing.
    [bastion_root] = [v for v in root if west_volumes[v]["Attachments"][0]["InstanceId"] == bastion]
    expected = {
        ("asg-single-az", "batch-asg", "open"),
        ("asg-no-elb-health-check", "batch-asg", "open"),
        ("elb-single-az", "legacy", "open"),
        ("elbv2-targets-single-az", ids["target_group"].split(":targetgroup/")[1], "open"),
        ("elb-cross-zone-disabled", "elbv2/web-alb", "open"),  # api-tg turns it off
        ("asg-processes-suspended", "web-asg", "open"),
        ("fleet-single-az", "tag/Service=api", "open"),
        ("fleet-single-az", "tag/Fleet=bastion", "open"),
        ("local-zone-failover-to-parent", "asg/edge-asg", "open"),
        ("local-zone-failover-to-parent", "elbv2/edge-nlb", "open"),
        ("local-zone-failover-to-parent", "asg/edge-pair-asg", "open"),
        ("local-zone-no-failover", "tag/Fleet=bastion", "open"),
        ("instance-no-image-backup", bastion, "open"),
        ("instance-no-image-backup", dr, "unknown"),
        ("dlm-policy-disabled", ids["paused"], "open"),
        ("dlm-policy-no-cross-region-copy", ids["weekly"], "open"),
        ("snapshot-not-copied-cross-region", ids["lonely_snapshot"], "open"),
        ("ami-not-copied-cross-region", ids["batch_ami"], "open"),
        *{
            ("snapshot-not-copied-cross-region", s, "open")
            for s in ids["ami_snapshots"][ids["batch_ami"]]
        },
        ("volume-no-backup-policy", bastion_root, "open"),
        # AWS Backup: a plan that copies nothing, judged through its recovery point's snapshot.
        ("backup-plan-no-cross-region-copy", ids["backup_plan"], "open"),
        ("snapshot-not-copied-cross-region", ids["backup_snapshot"], "open"),
        # A snapshot of the DLM schedule that does not copy, in a policy whose other one does.
        ("snapshot-not-copied-cross-region", ids["hourly_snapshot"], "open"),
        *{("volume-no-recent-snapshot", v, "open") for v in root},
        *{("volume-no-backup-policy", v, "unknown") for v in east_volumes},
        *{("volume-no-recent-snapshot", v, "open") for v in east_volumes},
        # DLM was denied in us-east-1: the DLM policies there were never seen, so never judged.
        *{
            (policy_id, f"DLM lifecycle policies in {ACCOUNT}/{EAST}", "unknown")
            for policy_id in ("dlm-policy-disabled", "dlm-policy-no-cross-region-copy")
        },
    }
    actual = {(f.policy_id, f.resource_id, f.status) for f in findings_of(snapshot)}
    assert actual == expected
    assert (
        len(root) == 3 and len(east_volumes) == 1
    )  # three instances in us-west-2, one in us-east-1
    assert api[0] not in {resource for _, resource, _ in actual}


def test_evaluation_is_byte_for_byte_reproducible(scan) -> None:
    snapshot, _ = scan
    runs = [
        json.dumps(
            [dataclasses.asdict(f) for f in findings_of(json.loads(json.dumps(snapshot)))],
            sort_keys=True,
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_the_aws_backup_volume_is_protected_through_the_collected_plan(scan) -> None:
    snapshot, ids = scan
    volume = next(
        v for v in link_snapshot(snapshot).of_type("volume") if v["id"] == ids["backup_only"]
    )
    protection = volume["facts"]["protection"]
    assert [(s["kind"], s["id"], s["rule"]) for s in protection["sources"]] == [
        ("backup", ids["backup_plan"], "daily")
    ]
    assert (protection["interval_hours"], protection["locations"]) == (24.0, ["region"])
    # Its snapshot (the recovery point) is the newest backup; nothing left the Region.
    assert protection["newest"]["kind"] in ("snapshot", "recovery-point")
    assert ids["backup_snapshot"] in protection["newest"]["arn"]
    assert protection["newest_outside_region"] is None
