"""A two-Region estate with every resource kind, seeded into moto for collector tests.

Seeding talks to moto (in process or a loopback server) through plain boto3
clients, never through stormproof's collector session. Gaps moto leaves (Local
Zones, DLM, copy provenance, AWS Backup's selections and recovery points) are
filled by ``scanner.mockaws`` only; the building blocks are shared with
``stormproof demo`` (``scanner.mockaws.estate``).
Collector tests count exactly what is seeded here, so this estate stays small
and fixed; the demo's richer estate lives in ``scanner.demo.estate``.
"""

from __future__ import annotations

from scanner.collect.normalize import arn_resource
from scanner.mockaws import (
    DlmStandIn,
    add_placement_group,
    add_recovery_point,
    set_instance_options,
    set_region_settings,
)
from scanner.mockaws.estate import (
    ClientFor,
    Estate,
    copy_image_across,
    copy_snapshot_across,
    create_network,
    daily_snapshot_schedule,
    dlm_role_arn,
    forward_listener,
    launch_instances,
    plain_clients,
    register_ami,
    tag_policy,
    tag_spec,
    web_target_group,
    weekly_ami_schedule,
)

__all__ = ["ACCOUNT", "EAST", "LOCAL_ZONE", "WEST", "ClientFor", "Estate", "plain_clients"]

WEST, EAST = "us-west-2", "us-east-1"
LOCAL_ZONE, PARENT_ZONE = "us-west-2-lax-1a", "us-west-2a"
ACCOUNT = "123456789012"


def seed_estate(client: ClientFor, dlm: DlmStandIn) -> Estate:
    """Two Regions: us-west-2 with a Local Zone and every resource kind, us-east-1 with copies."""
    estate = Estate()
    _seed_west(client, estate)
    _seed_east(client, estate)
    _seed_dlm(dlm, estate)
    _seed_backup(client, estate)
    return estate


def _seed_west(client: ClientFor, estate: Estate) -> None:
    ec2 = client("ec2", WEST)
    vpc, subnets = create_network(
        ec2,
        "10.0.0.0/16",
        {"us-west-2a": "10.0.1.0/24", "us-west-2b": "10.0.2.0/24", LOCAL_ZONE: "10.0.3.0/24"},
    )
    for subnet in subnets.values():
        estate.add(WEST, "subnets", subnet)
    estate.facts["west_subnets"] = subnets
    image = register_ami(ec2, "web-ami", "web server", tags={"role": "web"})
    estate.add(WEST, "images", image)
    estate.facts["west_image"] = image
    # The AMI's backing snapshot is self-owned too.
    for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
        estate.add(WEST, "snapshots", snapshot["SnapshotId"])

    (web,) = launch_instances(ec2, image, subnets["us-west-2a"], tags={"Name": "web-a"})
    (edge,) = launch_instances(ec2, image, subnets[LOCAL_ZONE])
    estate.facts.update(web_instance=web, edge_instance=edge)
    for instance in (web, edge):
        estate.add(WEST, "instances", instance)
    # The web host runs in a cluster placement group with automatic recovery off.
    add_placement_group("web-cluster", "cluster", region=WEST)
    set_instance_options(web, region=WEST, placement_group="web-cluster", auto_recovery="disabled")
    estate.add(WEST, "placement_groups", "web-cluster")

    data = ec2.create_volume(
        AvailabilityZone="us-west-2a",
        Size=20,
        VolumeType="gp3",
        TagSpecifications=tag_spec("volume", {"backup": "daily"}),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=data, InstanceId=web, Device="/dev/sdf")
    estate.facts["data_volume"] = data
    snapshot = ec2.create_snapshot(
        VolumeId=data,
        Description="nightly",
        TagSpecifications=tag_spec("snapshot", {"backup": "daily"}),
    )["SnapshotId"]
    estate.facts["west_snapshot"] = snapshot
    estate.add(WEST, "snapshots", snapshot)
    for volume in ec2.describe_volumes()["Volumes"]:
        estate.add(WEST, "volumes", volume["VolumeId"])

    template = ec2.create_launch_template(
        LaunchTemplateName="web", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"}
    )["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_launch_template_version(
        LaunchTemplateId=template, LaunchTemplateData={"ImageId": "ami-0000000000000000b"}
    )
    estate.facts["template"] = template
    estate.add(WEST, "launch_template_versions", f"{template}:1")
    estate.add(WEST, "launch_template_versions", f"{template}:2")

    elbv2 = client("elbv2", WEST)
    alb = elbv2.create_load_balancer(
        Name="web-alb",
        Subnets=[subnets["us-west-2a"], subnets["us-west-2b"]],
        Tags=[{"Key": "team", "Value": "web"}],
    )["LoadBalancers"][0]["LoadBalancerArn"]
    nlb = elbv2.create_load_balancer(
        Name="edge-nlb", Type="network", Subnets=[subnets["us-west-2a"], subnets[LOCAL_ZONE]]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group = web_target_group(elbv2, "web-tg", vpc, Tags=[{"Key": "team", "Value": "web"}])
    forward_listener(elbv2, alb, group)
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": web, "Port": 80}])
    estate.facts.update(alb=alb, nlb=nlb, target_group=group)
    estate.add(WEST, "load_balancers", alb)
    estate.add(WEST, "load_balancers", nlb)
    estate.add(WEST, "target_groups", group)

    elb = client("elb", WEST)
    elb.create_load_balancer(
        LoadBalancerName="legacy-clb",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=[subnets["us-west-2a"], subnets["us-west-2b"]],
        Tags=[{"Key": "team", "Value": "legacy"}],
    )
    elb.register_instances_with_load_balancer(
        LoadBalancerName="legacy-clb", Instances=[{"InstanceId": web}]
    )
    estate.add(WEST, "classic_load_balancers", "legacy-clb")

    autoscaling = client("autoscaling", WEST)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="legacy-lc", ImageId=image, InstanceType="t3.micro"
    )
    estate.add(WEST, "launch_configurations", "legacy-lc")
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="web-asg",
        LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
        MinSize=2,
        MaxSize=4,
        DesiredCapacity=2,
        VPCZoneIdentifier=f"{subnets['us-west-2a']},{subnets['us-west-2b']}",
        TargetGroupARNs=[group],
        HealthCheckType="ELB",
        HealthCheckGracePeriod=120,
        CapacityRebalance=True,
        Tags=[{"Key": "team", "Value": "web", "PropagateAtLaunch": True}],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="pinned-asg",
        MixedInstancesPolicy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateName": "web", "Version": "1"},
                "Overrides": [{"InstanceType": "t3.small"}],
            }
        },
        MinSize=1,
        MaxSize=1,
        DesiredCapacity=1,
        VPCZoneIdentifier=subnets[LOCAL_ZONE],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="legacy-asg",
        LaunchConfigurationName="legacy-lc",
        MinSize=1,
        MaxSize=1,
        DesiredCapacity=1,
        VPCZoneIdentifier=subnets["us-west-2a"],
        LoadBalancerNames=["legacy-clb"],
    )
    for name in ("web-asg", "pinned-asg", "legacy-asg"):
        estate.add(WEST, "auto_scaling_groups", name)
    # Auto Scaling launched instances (and their root volumes) of its own.
    for reservation in ec2.describe_instances()["Reservations"]:
        for instance in reservation["Instances"]:
            estate.add(WEST, "instances", instance["InstanceId"])
    for volume in ec2.describe_volumes()["Volumes"]:
        estate.add(WEST, "volumes", volume["VolumeId"])
    # moto's default VPC has subnets too (one per zone).
    for found in ec2.describe_subnets()["Subnets"]:
        estate.add(WEST, "subnets", found["SubnetId"])


def _seed_east(client: ClientFor, estate: Estate) -> None:
    ec2 = client("ec2", EAST)
    subnet = ec2.describe_subnets(
        Filters=[{"Name": "availability-zone", "Values": ["us-east-1b"]}]
    )["Subnets"][0]["SubnetId"]
    instance = ec2.run_instances(
        ImageId="ami-0000000000000000e", MinCount=1, MaxCount=1, SubnetId=subnet
    )["Instances"][0]["InstanceId"]
    estate.add(EAST, "instances", instance)
    snapshot = copy_snapshot_across(
        client, estate.facts["west_snapshot"], source_region=WEST, region=EAST
    )
    image = copy_image_across(
        client, estate.facts["west_image"], source_region=WEST, region=EAST, name="web-ami"
    )
    estate.facts.update(east_snapshot=snapshot, east_image=image)
    estate.add(EAST, "images", image)
    for found in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
        estate.add(EAST, "snapshots", found["SnapshotId"])
    for volume in ec2.describe_volumes()["Volumes"]:
        estate.add(EAST, "volumes", volume["VolumeId"])
    for found in ec2.describe_subnets()["Subnets"]:
        estate.add(EAST, "subnets", found["SubnetId"])


def _seed_dlm(dlm: DlmStandIn, estate: Estate) -> None:
    volumes = tag_policy(
        dlm,
        WEST,
        description="daily volume snapshots, copied east",
        state="ENABLED",
        policy_type="EBS_SNAPSHOT_MANAGEMENT",
        resource_types=["VOLUME"],
        resource_locations=["CLOUD"],
        target_tags={"backup": "daily"},
        schedules=[daily_snapshot_schedule(copy_to=[EAST])],
        tags={"owner": "platform"},
        account_id=ACCOUNT,
    )
    amis = tag_policy(
        dlm,
        WEST,
        description="weekly AMIs",
        state="DISABLED",
        policy_type="IMAGE_MANAGEMENT",
        resource_types=["INSTANCE"],
        target_tags={"Name": "web-a"},
        schedules=[weekly_ami_schedule()],
        account_id=ACCOUNT,
    )
    default = dlm.create_policy(
        EAST,
        ExecutionRoleArn=dlm_role_arn(ACCOUNT),
        Description="default policy for volumes",
        State="ENABLED",
        DefaultPolicy="VOLUME",
        CreateInterval=1,
        RetainInterval=7,
        CrossRegionCopyTargets=[{"TargetRegion": WEST}],
        Exclusions={
            "ExcludeBootVolumes": True,
            "ExcludeTags": [{"Key": "backup", "Value": "none"}],
        },
    )
    estate.facts.update(dlm_volumes=volumes, dlm_amis=amis, dlm_default=default)
    for region, policy in ((WEST, volumes), (WEST, amis), (EAST, default)):
        estate.add(region, "dlm_policies", policy)


BACKUP_ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole"


def _seed_backup(client: ClientFor, estate: Estate) -> None:
    """A daily plan in us-west-2 copying to a vault in us-east-1, with recovery points."""
    west, east = client("backup", WEST), client("backup", EAST)
    west_vault = west.create_backup_vault(
        BackupVaultName="Default", BackupVaultTags={"owner": "platform"}
    )["BackupVaultArn"]
    dr_vault = east.create_backup_vault(BackupVaultName="dr")["BackupVaultArn"]
    plan = west.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "daily-ebs",
            "Rules": [
                {
                    "RuleName": "daily",
                    "TargetBackupVaultName": "Default",
                    "ScheduleExpression": "cron(0 5 ? * * *)",
                    "StartWindowMinutes": 60,
                    "Lifecycle": {"DeleteAfterDays": 35},
                    "CopyActions": [
                        {
                            "DestinationBackupVaultArn": dr_vault,
                            "Lifecycle": {"DeleteAfterDays": 90},
                        }
                    ],
                }
            ],
        },
        BackupPlanTags={"team": "platform"},
    )
    plan_id = plan["BackupPlanId"]
    by_tag = west.create_backup_selection(
        BackupPlanId=plan_id,
        BackupSelection={
            "SelectionName": "tagged-volumes",
            "IamRoleArn": BACKUP_ROLE,
            "Resources": ["arn:aws:ec2:*:*:volume/*"],
            "Conditions": {
                "StringEquals": [
                    {"ConditionKey": "aws:ResourceTag/backup", "ConditionValue": "daily"}
                ]
            },
        },
    )["SelectionId"]
    web_arn = f"arn:aws:ec2:{WEST}:{ACCOUNT}:instance/{estate.facts['web_instance']}"
    explicit = west.create_backup_selection(
        BackupPlanId=plan_id,
        BackupSelection={
            "SelectionName": "web-instance",
            "IamRoleArn": BACKUP_ROLE,
            "Resources": [web_arn],
            "ListOfTags": [
                {"ConditionType": "STRINGEQUALS", "ConditionKey": "Name", "ConditionValue": "web-a"}
            ],
        },
    )["SelectionId"]
    plan_details = west.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]
    rule_id = plan_details["Rules"][0]["RuleId"]
    set_region_settings(EAST, {"EC2": False})
    volume_arn = f"arn:aws:ec2:{WEST}:{ACCOUNT}:volume/{estate.facts['data_volume']}"
    volume_point = add_recovery_point(
        WEST, "Default", volume_arn, plan_id=plan_id, rule_id=rule_id, delete_after_days=35
    )
    image_point = add_recovery_point(WEST, "Default", web_arn, plan_id=plan_id, rule_id=rule_id)
    copy_point = add_recovery_point(
        EAST, "dr", volume_arn, source_vault_arn=west_vault, delete_after_days=90
    )
    estate.facts.update(
        backup_plan=plan_id,
        backup_rule=rule_id,
        backup_selections={"tagged-volumes": by_tag, "web-instance": explicit},
        backup_vaults={WEST: west_vault, EAST: dr_vault},
        volume_recovery_point=volume_point,
        image_recovery_point=image_point,
        copy_recovery_point=copy_point,
        volume_arn=volume_arn,
        web_arn=web_arn,
    )
    estate.add(WEST, "backup_plans", plan_id)
    estate.add(WEST, "backup_vaults", "Default")
    estate.add(EAST, "backup_vaults", "dr")
    for region, point, resource in (
        (WEST, volume_point, volume_arn),
        (WEST, image_point, web_arn),
        (EAST, copy_point, volume_arn),
    ):
        estate.add(region, "backup_recovery_points", arn_resource(point))
        estate.add(region, "backup_protected_resources", resource)
    for region in (WEST, EAST):
        estate.add(region, "backup_region_settings", "region-settings")
    estate.facts["backup_selection_count"] = {WEST: 2, EAST: 0}


def expected_api_calls(estate: Estate, region: str) -> dict[str, int]:
    """The requests one unit needs for ``estate``: one page per listing, plus detail calls."""
    count = estate.count
    load_balancers = count(region, "load_balancers")
    target_groups = count(region, "target_groups")
    classic = count(region, "classic_load_balancers")
    calls = {
        "ec2:DescribeAvailabilityZones": 1,
        "ec2:DescribeInstances": 1,
        "ec2:DescribeSubnets": 1,
        "ec2:DescribeVolumes": 1,
        "ec2:DescribeSnapshots": 1,
        "ec2:DescribeImages": 1,
        "autoscaling:DescribeAutoScalingGroups": 1,
        "elb:DescribeLoadBalancers": 1,
        "elbv2:DescribeLoadBalancers": 1,
        "elbv2:DescribeTargetGroups": 1,
        "dlm:GetLifecyclePolicies": 1,
        "arc-zonal-shift:ListManagedResources": 1,
        # One call per item: no batched form exists.
        "elb:DescribeLoadBalancerAttributes": classic,
        "elbv2:DescribeLoadBalancerAttributes": load_balancers,
        "elbv2:DescribeTargetGroupAttributes": target_groups,
        "elbv2:DescribeTargetHealth": target_groups,
        "dlm:GetLifecyclePolicy": count(region, "dlm_policies"),
        # Once per unit, and only where an instance runs in a placement group.
        "ec2:DescribePlacementGroups": 1 if count(region, "placement_groups") else 0,
        # Batched 20 per call.
        "elb:DescribeTags": -(-classic // 20),
        "elbv2:DescribeTags": -(-(load_balancers + target_groups) // 20),
        "autoscaling:DescribeLaunchConfigurations": 1
        if count(region, "launch_configurations")
        else 0,
        # One call for every $Latest/$Default, one per template with pinned versions.
        "ec2:DescribeLaunchTemplateVersions": 2 if count(region, "auto_scaling_groups") else 0,
        # AWS Backup: one page per listing; details and tags per plan, tags per vault, and
        # one recovery-point listing per vault and resource type (EC2, EBS).
        "backup:ListBackupPlans": 1,
        "backup:DescribeRegionSettings": 1,
        "backup:ListProtectedResources": 1,
        "backup:ListBackupVaults": 1,
        "backup:GetBackupPlan": count(region, "backup_plans"),
        "backup:ListBackupSelections": count(region, "backup_plans"),
        "backup:GetBackupSelection": estate.facts["backup_selection_count"][region],
        "backup:ListTags": count(region, "backup_plans") + count(region, "backup_vaults"),
        "backup:ListRecoveryPointsByBackupVault": 2 * count(region, "backup_vaults"),
    }
    return {name: n for name, n in sorted(calls.items()) if n}
