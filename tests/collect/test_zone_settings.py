"""Collecting the zone-event settings, against the real service models via botocore's Stubber.

Instances' AutoRecovery and placement group (and placement groups only when an
instance uses one), Auto Scaling zone distribution, impairment policy and Spot
split, Classic Load Balancer connection draining from the one attributes call.
"""

from __future__ import annotations

from botocore.stub import Stubber

from scanner.collect.autoscaling import collect_autoscaling
from scanner.collect.context import UnitContext
from scanner.collect.ec2 import collect_ec2
from scanner.collect.elb import collect_elb
from scanner.collect.zonal_shift import collect_zonal_shift

REGION = "eu-west-1"
ACCOUNT = "111122223333"


def _other_ec2_listings(ec2: Stubber) -> None:
    for operation, key in (
        ("describe_subnets", "Subnets"),
        ("describe_volumes", "Volumes"),
        ("describe_snapshots", "Snapshots"),
        ("describe_images", "Images"),
    ):
        ec2.add_response(operation, {key: []})


def _instance(instance_id: str, group: str | None = None, recovery: str | None = None) -> dict:
    instance: dict = {
        "InstanceId": instance_id,
        "State": {"Name": "running"},
        "Placement": {"AvailabilityZone": "eu-west-1a"},
    }
    if group:
        instance["Placement"]["GroupName"] = group
    if recovery:
        instance["MaintenanceOptions"] = {"AutoRecovery": recovery}
    return instance


def test_placement_groups_are_listed_once_when_an_instance_uses_one(ctx: UnitContext, stub):
    ec2 = stub("ec2")
    instances = [_instance("i-1", "hpc", "disabled"), _instance("i-2", recovery="default")]
    ec2.add_response("describe_instances", {"Reservations": [{"Instances": instances}]})
    _other_ec2_listings(ec2)
    ec2.add_response(
        "describe_placement_groups",
        {
            "PlacementGroups": [
                {
                    "GroupName": "hpc",
                    "GroupId": "pg-0123456789abcdef0",
                    "GroupArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:placement-group/hpc",
                    "Strategy": "cluster",
                    "State": "available",
                },
                {"GroupName": "apart", "Strategy": "spread", "SpreadLevel": "rack"},
            ]
        },
        {},
    )
    resources = collect_ec2(ctx)
    by_id = {i["id"]: i for i in resources["instances"]}
    assert (by_id["i-1"]["auto_recovery"], by_id["i-1"]["placement_group_name"]) == (
        "disabled",
        "hpc",
    )
    assert (by_id["i-2"]["auto_recovery"], by_id["i-2"]["placement_group_name"]) == (
        "default",
        None,
    )
    groups = {g["id"]: g for g in resources["placement_groups"]}
    assert groups["hpc"]["strategy"] == "cluster" and groups["hpc"]["group_id"].startswith("pg-")
    assert groups["hpc"]["arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT}:placement-group/hpc"
    assert groups["apart"]["arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT}:placement-group/apart"
    assert groups["apart"]["spread_level"] == "rack" and ctx.errors == []


def test_no_instance_in_a_placement_group_means_no_call(ctx: UnitContext, stub):
    ec2 = stub("ec2")
    ec2.add_response("describe_instances", {"Reservations": [{"Instances": [_instance("i-1")]}]})
    _other_ec2_listings(ec2)
    resources = collect_ec2(ctx)  # the stubber fails on any call it was not told about
    assert resources["placement_groups"] == []
    assert resources["instances"][0]["auto_recovery"] is None


def test_a_failed_placement_group_listing_is_an_error_not_an_empty_list(ctx: UnitContext, stub):
    ec2 = stub("ec2")
    instances = [_instance("i-1", "hpc")]
    ec2.add_response("describe_instances", {"Reservations": [{"Instances": instances}]})
    _other_ec2_listings(ec2)
    ec2.add_client_error("describe_placement_groups", "UnauthorizedOperation", "denied", 403)
    resources = collect_ec2(ctx)
    assert "placement_groups" not in resources and "instances" in resources
    assert [(e["operation"], e["code"]) for e in ctx.errors] == [
        ("DescribePlacementGroups", "UnauthorizedOperation")
    ]


def _group(name: str, **extra: object) -> dict:
    return {
        "AutoScalingGroupName": name,
        "MinSize": 1,
        "MaxSize": 4,
        "DesiredCapacity": 2,
        "DefaultCooldown": 300,
        "AvailabilityZones": ["eu-west-1a", "eu-west-1b"],
        "HealthCheckType": "EC2",
        "CreatedTime": "2026-05-01T12:00:00Z",
        **extra,
    }


def test_auto_scaling_zone_policies_and_spot_split(ctx: UnitContext, stub):
    autoscaling, ec2 = stub("autoscaling"), stub("ec2")
    mixed = {
        "LaunchTemplate": {
            "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "3"}
        },
        "InstancesDistribution": {
            "OnDemandBaseCapacity": 1,
            "OnDemandPercentageAboveBaseCapacity": 25,
            "SpotAllocationStrategy": "price-capacity-optimized",
        },
    }
    autoscaling.add_response(
        "describe_auto_scaling_groups",
        {
            "AutoScalingGroups": [
                _group(
                    "shifted",
                    AvailabilityZoneDistribution={"CapacityDistributionStrategy": "balanced-only"},
                    AvailabilityZoneImpairmentPolicy={
                        "ZonalShiftEnabled": True,
                        "ImpairedZoneHealthCheckBehavior": "IgnoreUnhealthy",
                    },
                    MixedInstancesPolicy=mixed,
                ),
                _group("spot", LaunchTemplate={"LaunchTemplateId": "lt-2", "Version": "1"}),
                _group("plain"),
            ]
        },
        {"MaxRecords": 100},
    )
    for template, market in (("lt-1", None), ("lt-2", "spot")):
        data: dict = {"ImageId": "ami-1"}
        if market:
            data["InstanceMarketOptions"] = {"MarketType": market}
        number = 3 if template == "lt-1" else 1
        ec2.add_response(
            "describe_launch_template_versions",
            {
                "LaunchTemplateVersions": [
                    {
                        "LaunchTemplateId": template,
                        "VersionNumber": number,
                        "LaunchTemplateData": data,
                    }
                ]
            },
        )
    resources = collect_autoscaling(ctx)
    groups = {g["id"]: g for g in resources["auto_scaling_groups"]}
    shifted, spot, plain = groups["shifted"], groups["spot"], groups["plain"]
    assert shifted["capacity_distribution_strategy"] == "balanced-only"
    assert shifted["zone_impairment_policy"] == {
        "zonal_shift_enabled": True,
        "impaired_zone_health_check_behavior": "IgnoreUnhealthy",
    }
    assert shifted["instances_distribution"] == {
        "on_demand_base_capacity": 1,
        "on_demand_percentage_above_base_capacity": 25,
        "spot_allocation_strategy": "price-capacity-optimized",
    }
    assert shifted["launch_template_market_type"] is None  # the mixed policy decides
    assert spot["launch_template_market_type"] == "spot"
    assert plain["capacity_distribution_strategy"] is None
    assert plain["zone_impairment_policy"] is None and plain["instances_distribution"] is None
    versions = {v["id"]: v["market_type"] for v in resources["launch_template_versions"]}
    assert versions == {"lt-1:3": None, "lt-2:1": "spot"}


def test_connection_draining_comes_from_the_one_attributes_call(ctx: UnitContext, stub):
    elb = stub("elb")
    balancers = [
        {"LoadBalancerName": name, "AvailabilityZones": ["eu-west-1a"]}
        for name in ("draining", "dropping", "unread")
    ]
    elb.add_response(
        "describe_load_balancers", {"LoadBalancerDescriptions": balancers}, {"PageSize": 400}
    )
    elb.add_response("describe_tags", {"TagDescriptions": []})
    for name, enabled in (("draining", True), ("dropping", False)):
        draining = {"Enabled": enabled, "Timeout": 300} if enabled else {"Enabled": False}
        elb.add_response(
            "describe_load_balancer_attributes",
            {
                "LoadBalancerAttributes": {
                    "CrossZoneLoadBalancing": {"Enabled": True},
                    "ConnectionDraining": draining,
                }
            },
            {"LoadBalancerName": name},
        )
    elb.add_client_error("describe_load_balancer_attributes", "Throttling", "slow down", 400)
    records = {r["id"]: r for r in collect_elb(ctx)["classic_load_balancers"]}
    assert records["draining"]["connection_draining"] == {"enabled": True, "timeout": 300}
    assert records["dropping"]["connection_draining"] == {"enabled": False, "timeout": None}
    assert records["unread"]["connection_draining"] is None
    assert records["unread"]["cross_zone"] is None
    assert [e["operation"] for e in ctx.errors] == ["DescribeLoadBalancerAttributes"]


def test_arc_managed_resources_are_paged_at_the_largest_size(ctx: UnitContext, stub):
    arc = stub("arc-zonal-shift")
    alb = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/0123456789abcdef"
    arc.add_response(
        "list_managed_resources",
        {
            "items": [
                {
                    "arn": alb,
                    "name": "web",
                    "availabilityZones": ["euw1-az2", "euw1-az1"],
                    "appliedWeights": {"euw1-az1": 1.0, "euw1-az2": 1.0},
                    "zonalAutoshiftStatus": "DISABLED",
                    "practiceRunStatus": "DISABLED",
                }
            ],
            "nextToken": "page-2",
        },
        {"maxResults": 100},
    )
    arc.add_response(
        "list_managed_resources",
        {"items": [{"availabilityZones": ["euw1-az1"]}]},  # no ARN: nothing to name it by
        {"maxResults": 100, "nextToken": "page-2"},
    )
    (record,) = collect_zonal_shift(ctx)["zonal_shift_resources"]
    assert record["id"] == "loadbalancer/app/web/0123456789abcdef" and record["arn"] == alb
    assert record["zones"] == ["euw1-az1", "euw1-az2"]
    assert (record["autoshift_status"], record["practice_run_status"]) == ("DISABLED", "DISABLED")
    assert ctx.errors == []


def test_arc_unavailable_is_an_error_not_an_empty_list(ctx: UnitContext, stub):
    stub("arc-zonal-shift").add_client_error(
        "list_managed_resources", "AccessDeniedException", "denied", 403
    )
    assert collect_zonal_shift(ctx) == {}
    assert [(e["service"], e["operation"]) for e in ctx.errors] == [
        ("arc-zonal-shift", "ListManagedResources")
    ]
