"""The zone-event checks end to end: a seeded moto estate, the real collector, exact findings.

moto serves EC2, Auto Scaling and ELB in process; ``scanner.mockaws`` fills what
it drops (instance AutoRecovery and placement group, placement groups, Auto
Scaling zone distribution and impairment policy). Every resource is built to
pass or fail exactly one of the checks in ``LIBRARY_POLICY_IDS``, and the test
asserts the exact set of their findings: nothing missing, nothing extra.
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
    add_placement_group,
    balance_group_instances,
    set_group_zone_policies,
    set_instance_options,
    set_zonal_autoshift,
)
from scanner.mockaws.estate import create_network, launch_instances, register_ami
from scanner.model.link import link_snapshot
from scanner.model.snapshot import validate_snapshot
from tests.offline import apply_offline_environment
from tests.policies.library_ids import LIBRARY_POLICY_IDS

pytestmark = pytest.mark.slow

REGION = "us-east-1"
A, B = "us-east-1a", "us-east-1b"


def _group(autoscaling: Any, name: str, subnets: list[str], capacity: int, **extra: Any) -> None:
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=capacity,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        VPCZoneIdentifier=",".join(subnets),
        **extra,
    )


def seed() -> dict[str, Any]:
    ec2, elbv2 = boto3.client("ec2", region_name=REGION), boto3.client("elbv2", region_name=REGION)
    autoscaling, elb = (
        boto3.client("autoscaling", region_name=REGION),
        boto3.client("elb", region_name=REGION),
    )
    _, subnet = create_network(ec2, "10.0.0.0/16", {A: "10.0.1.0/24", B: "10.0.2.0/24"})
    a, b = subnet[A], subnet[B]
    ami = register_ami(ec2, "base", "base image")
    ids: dict[str, Any] = {}

    # ELBv2: zonal shift on, off (the default), and a one-zone NLB that is out of scope.
    for name, kind, subnets in (
        ("zs-on", "application", [a, b]),
        ("zs-off", "application", [a, b]),
        ("single", "network", [a]),
    ):
        arn = elbv2.create_load_balancer(Name=name, Type=kind, Subnets=subnets)["LoadBalancers"][0][
            "LoadBalancerArn"
        ]
        ids[name] = arn.split(":loadbalancer/")[1]
        if name == "zs-on":  # registered with ARC, but zonal autoshift stays off
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=arn,
                Attributes=[{"Key": "zonal_shift.config.enabled", "Value": "true"}],
            )

    # Auto Scaling: each group fails one check at most; the others have zonal shift on.
    plain = ec2.create_launch_template(
        LaunchTemplateName="plain", LaunchTemplateData={"ImageId": ami}
    )["LaunchTemplate"]["LaunchTemplateId"]
    spot = ec2.create_launch_template(
        LaunchTemplateName="spot",
        LaunchTemplateData={"ImageId": ami, "InstanceMarketOptions": {"MarketType": "spot"}},
    )["LaunchTemplate"]["LaunchTemplateId"]
    template = {"LaunchTemplate": {"LaunchTemplateId": plain, "Version": "1"}}
    mixed = {
        "MixedInstancesPolicy": {
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": plain, "Version": "1"},
                "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}],
            },
            "InstancesDistribution": {
                "OnDemandBaseCapacity": 0,
                "OnDemandPercentageAboveBaseCapacity": 0,
            },
        }
    }
    groups = {
        "compliant": (2, template, None),
        "no-zonal-shift": (2, template, None),
        "strict": (2, template, "balanced-only"),
        "lopsided": (4, template, None),
        "mixed-spot": (2, mixed, None),
        "mixed-spot-rebalanced": (2, {**mixed, "CapacityRebalance": True}, None),
        "template-spot": (2, {"LaunchTemplate": {"LaunchTemplateId": spot, "Version": "1"}}, None),
    }
    for name, (capacity, launch, distribution) in groups.items():
        _group(autoscaling, name, [a, b], capacity, **launch)
        if name != "lopsided":  # moto launches every instance in the first subnet
            balance_group_instances(name, region=REGION)
        set_group_zone_policies(
            name,
            region=REGION,
            zonal_shift=name != "no-zonal-shift",
            distribution=distribution or "balanced-best-effort",
        )
        arn = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])[
            "AutoScalingGroups"
        ][0]["AutoScalingGroupARN"]
        if name != "no-zonal-shift":
            set_zonal_autoshift(arn, region=REGION)

    # Classic Load Balancers: connection draining off (the API default) and on.
    (member,) = launch_instances(ec2, ami, a, tags={"Name": "clb-member"})
    for name in ("draining-off", "draining-on"):
        elb.create_load_balancer(
            LoadBalancerName=name,
            Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
            Subnets=[a, b],
        )
        elb.register_instances_with_load_balancer(
            LoadBalancerName=name, Instances=[{"InstanceId": member}]
        )
    elb.modify_load_balancer_attributes(
        LoadBalancerName="draining-on",
        LoadBalancerAttributes={"ConnectionDraining": {"Enabled": True, "Timeout": 120}},
    )

    # Instances: a standalone host with recovery off, one with it on (standalone too), a
    # two-node cluster placement group, a spread group, and a node alone in a cluster group.
    (ids["solo"],) = launch_instances(ec2, ami, a, tags={"Name": "solo"})
    set_instance_options(ids["solo"], region=REGION, auto_recovery="disabled")
    (ids["recovering"],) = launch_instances(ec2, ami, b, tags={"Name": "recovering"})
    set_instance_options(ids["recovering"], region=REGION, auto_recovery="default")
    add_placement_group("tight", "cluster", region=REGION)
    add_placement_group("apart", "spread", region=REGION)
    add_placement_group("lonely", "cluster", region=REGION)
    ids["tight"] = launch_instances(ec2, ami, a, tags={"Service": "hpc"}, count=2)
    ids["apart"] = launch_instances(ec2, ami, a, tags={"Service": "apart"}, count=2)
    (ids["lonely"],) = launch_instances(ec2, ami, b, tags={"Name": "lonely"})
    for group in ("tight", "apart"):
        for node in ids[group]:
            set_instance_options(node, region=REGION, placement_group=group)
    set_instance_options(ids["lonely"], region=REGION, placement_group="lonely")
    return ids


@pytest.fixture(scope="module")
def scan() -> Iterator[tuple[dict, dict]]:
    environment = pytest.MonkeyPatch()  # module-scoped: the autouse per-test fixture is too late
    apply_offline_environment(environment)
    try:
        with mock_aws(), DlmStandIn() as dlm:
            environment.setenv("AWS_ENDPOINT_URL_DLM", dlm.endpoint_url)
            ids = seed()
            snapshot = collect_snapshot(CollectOptions(regions=[REGION], rate_limit=1000))
            yield snapshot, ids
    finally:
        environment.undo()


def test_the_snapshot_is_complete_and_valid(scan) -> None:
    snapshot, _ = scan
    validate_snapshot(snapshot)
    assert [error for unit in snapshot["units"] for error in unit["errors"]] == []
    (unit,) = snapshot["units"]
    groups = {g["id"]: g["strategy"] for g in unit["resources"]["placement_groups"]}
    assert groups == {"tight": "cluster", "apart": "spread", "lonely": "cluster"}
    assert unit["api_calls"]["ec2:DescribePlacementGroups"] == 1
    managed = {r["name"]: r["autoshift_status"] for r in unit["resources"]["zonal_shift_resources"]}
    assert managed == {
        "zs-on": "DISABLED",
        **{name: "ENABLED" for name in ("compliant", "strict", "lopsided", "mixed-spot")},
        **{name: "ENABLED" for name in ("mixed-spot-rebalanced", "template-spot")},
    }  # ARC lists what has zonal shift enabled: not zs-off, single or no-zonal-shift


def test_exactly_the_expected_findings(scan) -> None:
    snapshot, ids = scan
    policies = [policy for policy in load_policies() if policy.id in LIBRARY_POLICY_IDS]
    assert {policy.id for policy in policies} == LIBRARY_POLICY_IDS
    findings = evaluate(link_snapshot(snapshot), policies).findings
    expected = {
        ("elbv2-zonal-shift-disabled", ids["zs-off"], "open"),
        ("zonal-autoshift-disabled", f"loadbalancer/{ids['zs-on']}", "open"),
        ("asg-zonal-shift-disabled", "no-zonal-shift", "open"),
        ("asg-balanced-only-distribution", "strict", "open"),
        ("asg-zone-imbalance", "lopsided", "open"),
        ("asg-capacity-rebalance-off", "mixed-spot", "open"),
        ("asg-capacity-rebalance-off", "template-spot", "open"),
        ("elb-connection-draining-disabled", "draining-off", "open"),
        ("instance-auto-recovery-disabled", ids["solo"], "open"),
        ("instance-standalone", ids["solo"], "open"),
        ("instance-standalone", ids["recovering"], "open"),
        ("instance-standalone", ids["lonely"], "open"),
        *{("instance-cluster-placement-group", node, "open") for node in ids["tight"]},
    }
    assert {(f.policy_id, f.resource_id, f.status) for f in findings} == expected
