"""Load balancing and Auto Scaling details, collected from moto with real botocore parsing.

Target-group cross-zone settings, target health reasons (``Target.NotInUse`` from
``scanner.mockaws``), traffic sources and suspended processes reach the snapshot;
a failed detail call names the one resource it would have described, so only that
resource's facts are unknown; a failed ``DescribeRegions`` with ``--regions``
given hides nothing of the Regions named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from scanner.collect import CollectOptions, collect_snapshot
from scanner.engine import evaluate, load_policies
from scanner.mockaws import (
    DlmStandIn,
    attach_traffic_source,
    inject_errors,
    report_unused_targets,
)
from scanner.model.link import link_snapshot
from scanner.model.snapshot import validate_snapshot

REGION = "us-west-2"
LATTICE_TG = "arn:aws:vpc-lattice:us-west-2:123456789012:targetgroup/tg-0123456789abcdef0"


def _seed() -> dict[str, Any]:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = {
        zone: ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for zone, cidr in (
            ("us-west-2a", "10.0.1.0/24"),
            ("us-west-2b", "10.0.2.0/24"),
            ("us-west-2c", "10.0.3.0/24"),
        )
    }
    image = ec2.register_image(
        Name="web",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    in_a, in_c = (
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnets[zone])[
            "Instances"
        ][0]["InstanceId"]
        for zone in ("us-west-2a", "us-west-2c")
    )
    elbv2 = boto3.client("elbv2", region_name=REGION)
    alb = elbv2.create_load_balancer(
        Name="web", Subnets=[subnets["us-west-2a"], subnets["us-west-2b"]]
    )["LoadBalancers"][0]["LoadBalancerArn"]
    group = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    other = elbv2.create_target_group(Name="other", Protocol="HTTP", Port=81, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    elbv2.create_listener(
        LoadBalancerArn=alb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": in_a}, {"Id": in_c}])
    elbv2.modify_target_group_attributes(
        TargetGroupArn=group,
        Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "false"}],
    )
    boto3.client("elb", region_name=REGION).create_load_balancer(
        LoadBalancerName="legacy",
        Subnets=[subnets["us-west-2a"], subnets["us-west-2b"]],
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
    )
    autoscaling = boto3.client("autoscaling", region_name=REGION)
    autoscaling.create_launch_configuration(
        LaunchConfigurationName="web", ImageId=image, InstanceType="t3.micro"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="lattice",
        MinSize=0,
        MaxSize=2,
        DesiredCapacity=0,
        LaunchConfigurationName="web",
        VPCZoneIdentifier=f"{subnets['us-west-2a']},{subnets['us-west-2b']}",
    )
    autoscaling.suspend_processes(
        AutoScalingGroupName="lattice", ScalingProcesses=["Terminate", "AZRebalance"]
    )
    attach_traffic_source("lattice", LATTICE_TG, "vpc-lattice", region=REGION)
    legacy = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/legacy"
    return {"alb": alb, "group": group, "other": other, "in_a": in_a, "in_c": in_c, "clb": legacy}


@pytest.fixture
def estate(dlm_stand_in: DlmStandIn) -> Iterator[dict[str, Any]]:
    with mock_aws(), report_unused_targets():
        yield _seed()


def _collect(regions: list[str] | None = None) -> dict[str, Any]:
    snapshot = collect_snapshot(
        CollectOptions(regions=regions or [REGION], max_workers=1, rate_limit=1000)
    )
    validate_snapshot(snapshot)
    return snapshot


def _records(snapshot: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for unit in snapshot["units"] for r in unit["resources"].get(key, [])}


def test_target_group_settings_health_reasons_traffic_sources_and_suspensions(estate) -> None:
    snapshot = _collect()
    groups = {r["arn"]: r for r in _records(snapshot, "target_groups").values()}
    web = groups[estate["group"]]
    assert web["attributes"]["load_balancing.cross_zone.enabled"] == "false"
    assert groups[estate["other"]]["attributes"]["load_balancing.cross_zone.enabled"] == (
        "use_load_balancer_configuration"
    )
    health = {t["id"]: (t["health_state"], t["health_reason"]) for t in web["targets"]}
    assert health == {
        estate["in_a"]: ("healthy", None),
        estate["in_c"]: ("unused", "Target.NotInUse"),  # us-west-2c: not enabled for the ALB
    }
    group = _records(snapshot, "auto_scaling_groups")["lattice"]
    assert group["traffic_sources"] == [{"identifier": LATTICE_TG, "type": "vpc-lattice"}]
    assert sorted(p["name"] for p in group["suspended_processes"]) == ["AZRebalance", "Terminate"]
    assert all(p["reason"] is None for p in group["suspended_processes"])  # moto says ""


def test_linked_facts_and_findings_from_the_collected_details(estate) -> None:
    model = link_snapshot(_collect())
    target_group = next(d for d in model.of_type("target_group") if d["arn"] == estate["group"])
    assert target_group["facts"]["target_zone_names"] == ["us-west-2a"]
    assert target_group["facts"]["idle_target_ids"] == [estate["in_c"]]
    assert target_group["facts"]["cross_zone"] == [
        {
            "load_balancer_arn": estate["alb"],
            "load_balancer_name": "web",
            "target_group_setting": "false",
            "enabled": False,
        }
    ]
    found = {
        (f.policy_id, f.resource_id, f.status)
        for f in evaluate(model, load_policies()).findings
        if f.policy_id
        in {
            "elb-cross-zone-disabled",
            "elbv2-targets-single-az",
            "asg-processes-suspended",
            "asg-no-elb-health-check",
        }
    }
    assert found == {
        ("elb-cross-zone-disabled", "elbv2/web", "open"),
        ("elb-cross-zone-disabled", "elb/legacy", "open"),  # off by default through the API
        ("elbv2-targets-single-az", estate["group"].split(":targetgroup/")[1], "open"),
        ("asg-processes-suspended", "lattice", "open"),
        ("asg-no-elb-health-check", "lattice", "open"),  # VPC Lattice without VPC_LATTICE
    }


def test_a_failed_detail_call_names_its_resource_and_blinds_only_its_facts(estate) -> None:
    with inject_errors("AccessDenied", status=403, operations=["DescribeTargetHealth"]):
        snapshot = _collect()
    errors = [e for unit in snapshot["units"] for e in unit["errors"]]
    assert sorted(e["resource"] for e in errors) == sorted([estate["group"], estate["other"]])
    assert {e["operation"] for e in errors} == {"DescribeTargetHealth"}
    findings = evaluate(link_snapshot(snapshot), load_policies()).findings
    by_policy = {(f.policy_id, f.status, f.arn) for f in findings}
    # Targets unknown for the target groups whose health failed, nowhere else.
    assert ("elbv2-targets-single-az", "unknown", estate["group"]) in by_policy
    assert not any(f.arn.startswith("stormproof:unobserved:") for f in findings)
    # Cross-zone reads attributes, which were collected: still judged.
    assert ("elb-cross-zone-disabled", "open", estate["alb"]) in by_policy


def test_a_failed_describe_regions_with_regions_named_blinds_nothing(estate) -> None:
    with inject_errors("UnauthorizedOperation", status=403, operations=["DescribeRegions"]):
        snapshot = _collect([REGION])
    # The call went to the home Region (the profile's), which was not asked for.
    assert [(e["operation"], e["region"]) for e in snapshot["errors"]] == [
        ("DescribeRegions", "us-east-1")
    ]
    assert [unit["region"] for unit in snapshot["units"]] == [REGION]
    findings = evaluate(link_snapshot(snapshot), load_policies()).findings
    assert [f for f in findings if f.status == "unknown"] == []
    judged = {(f.policy_id, f.resource_id) for f in findings}
    assert ("asg-processes-suspended", "lattice") in judged


def test_a_failed_describe_regions_without_regions_blinds_the_whole_account(estate) -> None:
    with inject_errors("UnauthorizedOperation", status=403, operations=["DescribeRegions"]):
        snapshot = collect_snapshot(CollectOptions(max_workers=1, rate_limit=1000))
    assert snapshot["units"] == []
    assert [e["region"] for e in snapshot["errors"]] == [None]
    findings = evaluate(link_snapshot(snapshot), load_policies()).findings
    assert findings and {f.status for f in findings} == {"unknown"}
    assert all(f.arn.startswith("stormproof:unobserved:123456789012:*:") for f in findings)


@pytest.mark.parametrize(
    ("service", "operation", "described", "blinded", "still_judged"),
    [
        # A target group's attributes: its load balancer's cross-zone pair, not its targets.
        (
            "elbv2",
            "DescribeTargetGroupAttributes",
            ["group", "other"],
            ("elb-cross-zone-disabled", "alb"),
            ("elbv2-targets-single-az", "group"),
        ),
        # An ALB's own attributes: nothing (an ALB always has cross-zone on at its level).
        (
            "elbv2",
            "DescribeLoadBalancerAttributes",
            ["alb"],
            None,
            ("elb-cross-zone-disabled", "alb"),
        ),
        # A Classic Load Balancer's attributes: its cross-zone and connection draining settings.
        (
            "elb",
            "DescribeLoadBalancerAttributes",
            ["clb"],
            [("elb-cross-zone-disabled", "clb"), ("elb-connection-draining-disabled", "clb")],
            ("elb-cross-zone-disabled", "alb"),
        ),
    ],
)
def test_each_failed_attribute_call_blinds_only_what_reads_it(
    estate, service, operation, described, blinded, still_judged
) -> None:
    with inject_errors("AccessDenied", status=403, services=[service], operations=[operation]):
        snapshot = _collect()
    errors = [e for unit in snapshot["units"] for e in unit["errors"]]
    assert sorted(e["resource"] for e in errors) == sorted(estate[key] for key in described)
    findings = evaluate(link_snapshot(snapshot), load_policies()).findings
    unknown = {(f.policy_id, f.arn) for f in findings if f.status == "unknown"}
    judged = {(f.policy_id, f.arn) for f in findings if f.status == "open"}
    pairs = [] if blinded is None else [blinded] if isinstance(blinded[0], str) else blinded
    expected = {(policy_id, estate[key]) for policy_id, key in pairs}
    assert unknown == expected
    assert (still_judged[0], estate[still_judged[1]]) in judged
