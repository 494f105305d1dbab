"""The demo's estate: a small online shop in us-east-1, with recovery and edge in us-west-2.

It is built to show every built-in policy at work on something a platform team
would recognize, with some resources compliant and some not:

us-east-1 (primary)
  - web tier: an Auto Scaling group over three zones behind an ALB, ELB health
    checks, AMI copied to us-west-2 (compliant);
  - API tier: a two-zone group behind an ALB that keeps EC2 health checks, on an
    AMI that exists only here;
  - batch workers: a group in one zone;
  - a Classic Load Balancer left in one zone; an NLB over two zones with
    cross-zone load balancing off, in front of ingest instances that all share
    one zone; an internal NLB in one subnet;
  - tag-grouped instances (``Service``): search over two zones (compliant),
    ingest in one;
  - databases: ``orders-db`` whose data volume a DLM policy snapshots daily and
    copies west (compliant), ``reporting-db`` whose only snapshot is a month old
    and was never copied;
  - DLM: the daily policy (copies west), a weekly AMI policy with no
    cross-Region copy, a disabled legacy policy.
us-west-2 (recovery and the Los Angeles Local Zone)
  - copies of the web AMI and the orders snapshot;
  - an edge tier in us-west-2-lax-1a whose only other zone is its parent
    us-west-2a; a streaming tier in us-west-2-lax-1b and us-west-2b (compliant);
  - game-session servers living only in us-west-2-lax-1a;
  - DLM: a default policy for volumes that copies east, a disabled policy;
  - an edge cache whose volume is snapshotted only inside its Local Zone
    (:mod:`scanner.demo.protect`).

Ages come from :func:`scanner.mockaws.backdate`, so "old" is what the API reports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scanner.demo.backup import seed_backup
from scanner.demo.lbasg import seed_load_balancing_details
from scanner.demo.library import seed_library_estate
from scanner.demo.protect import EDGE_LOCAL_TAG, seed_protection
from scanner.demo.regions import PRIMARY, RECOVERY
from scanner.demo.scenarios import seed_scenario_cases
from scanner.mockaws import DlmStandIn, backdate, balance_group_instances
from scanner.mockaws.estate import (
    ClientFor,
    Estate,
    backing_snapshot_ids,
    copy_image_across,
    copy_snapshot_across,
    create_network,
    daily_snapshot_schedule,
    dlm_role_arn,
    forward_listener,
    launch_instances,
    register_ami,
    tag_policy,
    tag_spec,
    web_target_group,
    weekly_ami_schedule,
)

EDGE_ZONE, EDGE_PARENT, EDGE_OTHER = "us-west-2-lax-1a", "us-west-2a", "us-west-2-lax-1b"

AMI_AGE = dt.timedelta(days=20)
FRESH_BACKUP_AGE = dt.timedelta(hours=26)
STALE_BACKUP_AGE = dt.timedelta(days=31)


def seed_demo_estate(client: ClientFor, dlm: DlmStandIn) -> Estate:
    """Seed both Regions and DLM; returns what was made (``facts`` names the key resources)."""
    estate = Estate()
    _seed_primary(client, estate)
    seed_library_estate(client, estate)  # zone-event settings: zonal shift, placement, Spot, ...
    _seed_recovery(client, estate)
    _seed_dlm(dlm, estate)
    seed_backup(client, estate)
    seed_protection(client, dlm, estate)
    seed_load_balancing_details(client, estate)
    seed_scenario_cases(estate)
    return estate


def _group(
    autoscaling: Any,
    name: str,
    template: str,
    subnets: list[str],
    capacity: int,
    **extra: Any,
) -> None:
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
        MinSize=capacity,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        VPCZoneIdentifier=",".join(subnets),
        Tags=[{"Key": "Name", "Value": name, "PropagateAtLaunch": True}],
        **extra,
    )


def _template(ec2: Any, name: str, image: str) -> str:
    return ec2.create_launch_template(
        LaunchTemplateName=name,
        LaunchTemplateData={"ImageId": image, "InstanceType": "t3.small"},
    )["LaunchTemplate"]["LaunchTemplateId"]


def _seed_primary(client: ClientFor, estate: Estate) -> None:
    region = PRIMARY
    ec2, elbv2 = client("ec2", region), client("elbv2", region)
    autoscaling, elb = client("autoscaling", region), client("elb", region)
    vpc, subnet = create_network(
        ec2,
        "10.10.0.0/16",
        {"us-east-1a": "10.10.1.0/24", "us-east-1b": "10.10.2.0/24", "us-east-1c": "10.10.3.0/24"},
    )
    a, b, c = subnet["us-east-1a"], subnet["us-east-1b"], subnet["us-east-1c"]

    web_ami = register_ami(ec2, "shop-web-2024.06", "shop web server", tags={"app": "web"})
    api_ami = register_ami(ec2, "shop-api-2024.06", "shop API server", tags={"app": "api"})
    tools_ami = register_ami(ec2, "shop-tools-2024.05", "ops and data tools", tags={"app": "ops"})
    for image in (web_ami, api_ami, tools_ami):
        backdate(image, region=region, age=AMI_AGE)
        for snapshot in backing_snapshot_ids(ec2, image):
            backdate(snapshot, region=region, age=AMI_AGE)
    estate.facts.update(web_ami=web_ami, api_ami=api_ami, tools_ami=tools_ami)

    # Web tier: three zones, ELB health checks, capacity rebalancing. Compliant.
    web_alb = elbv2.create_load_balancer(Name="shop-web", Subnets=[a, b, c])["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    web_tg = web_target_group(elbv2, "shop-web", vpc)
    forward_listener(elbv2, web_alb, web_tg)
    _group(
        autoscaling,
        "shop-web",
        _template(ec2, "shop-web", web_ami),
        [a, b, c],
        3,
        TargetGroupARNs=[web_tg],
        HealthCheckType="ELB",
        HealthCheckGracePeriod=120,
        CapacityRebalance=True,
    )
    balance_group_instances("shop-web", region=region)

    # API tier: two zones behind an ALB, but EC2 health checks only.
    api_alb = elbv2.create_load_balancer(Name="shop-api", Subnets=[a, b])["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    api_tg = web_target_group(elbv2, "shop-api", vpc, port=8080)
    forward_listener(elbv2, api_alb, api_tg)
    api_template = _template(ec2, "shop-api", api_ami)
    _group(autoscaling, "shop-api", api_template, [a, b], 2, TargetGroupARNs=[api_tg])
    balance_group_instances("shop-api", region=region)

    # Batch workers: one zone.
    _group(autoscaling, "batch-workers", api_template, [a], 1)

    # Classic Load Balancer from years ago, in one zone, in front of a hand-built host.
    (legacy,) = launch_instances(ec2, tools_ami, a, tags={"Name": "legacy-admin"})
    elb.create_load_balancer(
        LoadBalancerName="legacy-admin",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
        Subnets=[a],
    )
    elb.register_instances_with_load_balancer(
        LoadBalancerName="legacy-admin", Instances=[{"InstanceId": legacy}]
    )

    # Ingest: an NLB over two zones (cross-zone off, the NLB default), targets in one zone.
    ingest = launch_instances(
        ec2, tools_ami, a, tags={"Service": "ingest", "Name": "ingest"}, count=2
    )
    ingest_nlb = elbv2.create_load_balancer(Name="ingest", Type="network", Subnets=[a, b])[
        "LoadBalancers"
    ][0]["LoadBalancerArn"]
    ingest_tg = web_target_group(elbv2, "ingest", vpc, protocol="TCP", port=9000)
    forward_listener(elbv2, ingest_nlb, ingest_tg, protocol="TCP", port=9000)
    elbv2.register_targets(
        TargetGroupArn=ingest_tg, Targets=[{"Id": target, "Port": 9000} for target in ingest]
    )

    # Metrics: an internal NLB in a single subnet.
    elbv2.create_load_balancer(Name="metrics", Type="network", Scheme="internal", Subnets=[c])

    # Search: a tag fleet over two zones, imaged weekly by DLM. Compliant.
    for zone_subnet in (a, b):
        launch_instances(
            ec2,
            tools_ami,
            zone_subnet,
            tags={"Service": "search", "Name": "search", "AmiBackup": "weekly"},
        )

    # Databases: orders is backed up daily and copied west; reporting was forgotten.
    (orders,) = launch_instances(ec2, tools_ami, b, tags={"Name": "orders-db"})
    orders_data = _data_volume(ec2, orders, "us-east-1b", {"Backup": "daily", "Name": "orders"})
    orders_snapshot = _snapshot(ec2, orders_data, "orders nightly", FRESH_BACKUP_AGE)
    (reporting,) = launch_instances(ec2, tools_ami, c, tags={"Name": "reporting-db"})
    reporting_data = _data_volume(ec2, reporting, "us-east-1c", {"Name": "reporting"})
    reporting_snapshot = _snapshot(ec2, reporting_data, "before upgrade", STALE_BACKUP_AGE)
    estate.facts.update(
        orders_volume=orders_data,
        orders_snapshot=orders_snapshot,
        reporting_volume=reporting_data,
        reporting_snapshot=reporting_snapshot,
        web_alb=web_alb,
        ingest_nlb=ingest_nlb,
    )


def _data_volume(ec2: Any, instance: str, zone: str, tags: dict[str, str]) -> str:
    volume = ec2.create_volume(
        AvailabilityZone=zone,
        Size=100,
        VolumeType="gp3",
        TagSpecifications=tag_spec("volume", tags),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    backdate(volume, region=ec2.meta.region_name, age=AMI_AGE)  # long in service
    return volume


def _snapshot(ec2: Any, volume: str, description: str, age: dt.timedelta) -> str:
    snapshot = ec2.create_snapshot(VolumeId=volume, Description=description)["SnapshotId"]
    backdate(snapshot, region=ec2.meta.region_name, age=age)
    return snapshot


def _seed_recovery(client: ClientFor, estate: Estate) -> None:
    region = RECOVERY
    ec2, autoscaling = client("ec2", region), client("autoscaling", region)
    _, subnet = create_network(
        ec2,
        "10.20.0.0/16",
        {
            "us-west-2a": "10.20.1.0/24",
            "us-west-2b": "10.20.2.0/24",
            EDGE_ZONE: "10.20.3.0/24",
            EDGE_OTHER: "10.20.4.0/24",
        },
    )
    web_copy = copy_image_across(
        client, estate.facts["web_ami"], source_region=PRIMARY, region=region, name="shop-web-dr"
    )
    orders_copy = copy_snapshot_across(
        client, estate.facts["orders_snapshot"], source_region=PRIMARY, region=region
    )
    backdate(web_copy, region=region, age=AMI_AGE - dt.timedelta(days=1))
    backdate(orders_copy, region=region, age=FRESH_BACKUP_AGE - dt.timedelta(hours=1))
    estate.facts.update(web_ami_copy=web_copy, orders_snapshot_copy=orders_copy)

    template = _template(ec2, "shop-edge", web_copy)
    # Edge tier: the Local Zone and its parent zone only.
    _group(autoscaling, "shop-edge", template, [subnet[EDGE_ZONE], subnet[EDGE_PARENT]], 2)
    balance_group_instances("shop-edge", region=region)
    # Streaming: a second Local Zone and a non-parent zone. Compliant.
    _group(autoscaling, "shop-stream", template, [subnet[EDGE_OTHER], subnet["us-west-2b"]], 2)
    balance_group_instances("shop-stream", region=region)
    # Game sessions: only in the Local Zone.
    launch_instances(
        ec2,
        web_copy,
        subnet[EDGE_ZONE],
        tags={"Service": "game-session", "Name": "game-session"},
        count=2,
    )


def _seed_dlm(dlm: DlmStandIn, estate: Estate) -> None:
    daily = tag_policy(
        dlm,
        PRIMARY,
        description="daily database snapshots, copied to us-west-2",
        state="ENABLED",
        policy_type="EBS_SNAPSHOT_MANAGEMENT",
        resource_types=["VOLUME"],
        resource_locations=["CLOUD"],
        target_tags={"Backup": "daily"},
        schedules=[daily_snapshot_schedule(copy_to=[RECOVERY])],
        tags={"owner": "platform"},
    )
    weekly_amis = tag_policy(
        dlm,
        PRIMARY,
        description="weekly AMIs of hand-managed hosts",
        state="ENABLED",
        policy_type="IMAGE_MANAGEMENT",
        resource_types=["INSTANCE"],
        target_tags={"AmiBackup": "weekly"},
        schedules=[weekly_ami_schedule()],
    )
    legacy = tag_policy(
        dlm,
        PRIMARY,
        description="legacy admin host snapshots",
        state="DISABLED",
        policy_type="EBS_SNAPSHOT_MANAGEMENT",
        resource_types=["INSTANCE"],
        target_tags={"Name": "legacy-admin"},
        schedules=[daily_snapshot_schedule()],
    )
    default = dlm.create_policy(
        RECOVERY,
        ExecutionRoleArn=dlm_role_arn(),
        Description="default policy for EBS snapshots",
        State="ENABLED",
        DefaultPolicy="VOLUME",
        CreateInterval=1,
        RetainInterval=7,
        CrossRegionCopyTargets=[{"TargetRegion": PRIMARY}],
        Exclusions={"ExcludeTags": [{"Key": EDGE_LOCAL_TAG[0], "Value": EDGE_LOCAL_TAG[1]}]},
    )
    paused = tag_policy(
        dlm,
        RECOVERY,
        description="edge AMIs (paused during migration)",
        state="DISABLED",
        policy_type="IMAGE_MANAGEMENT",
        resource_types=["INSTANCE"],
        target_tags={"Service": "game-session"},
        schedules=[weekly_ami_schedule()],
    )
    estate.facts.update(
        dlm_daily=daily,
        dlm_weekly_amis=weekly_amis,
        dlm_legacy=legacy,
        dlm_default=default,
        dlm_paused=paused,
    )
