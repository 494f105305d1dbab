"""The demo's zone-event settings: what the library checks beyond zones, copies and backups.

Seeded into the primary Region after the shop itself (:mod:`scanner.demo.estate`):

- the web tier is the compliant example: its ALB and its Auto Scaling group have
  ARC zonal shift enabled (the API tier's stay at AWS's default, off), and the
  group is under zonal autoshift (the ALB not yet);
- ``render-farm``: two render nodes in one cluster placement group;
- ``ledger-db``: a hand-built database host with automatic recovery disabled;
- ``spot-workers``: a group three quarters on Spot, without Capacity Rebalancing;
- ``quorum``: a three-zone group with the ``balanced-only`` zone distribution;
- ``queue-workers``: a two-zone group whose four instances all run in one zone
  (launches kept failing in the other, as moto's placement happens to show).

The demo's Classic Load Balancer keeps connection draining off (the API default),
and its hand-built hosts belong to no fleet.
"""

from __future__ import annotations

from typing import Any

from scanner.demo.regions import PRIMARY
from scanner.mockaws import (
    add_placement_group,
    balance_group_instances,
    set_group_zone_policies,
    set_instance_options,
    set_zonal_autoshift,
)
from scanner.mockaws.estate import ClientFor, Estate, launch_instances


def seed_library_estate(client: ClientFor, estate: Estate) -> None:
    region = PRIMARY
    ec2, autoscaling = client("ec2", region), client("autoscaling", region)
    elbv2 = client("elbv2", region)
    subnets = _shop_subnets(ec2)
    a, b, c = subnets["us-east-1a"], subnets["us-east-1b"], subnets["us-east-1c"]
    tools_ami = estate.facts["tools_ami"]

    # The web tier can be shifted away from an impaired zone, both its ALB and its group.
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=estate.facts["web_alb"],
        Attributes=[{"Key": "zonal_shift.config.enabled", "Value": "true"}],
    )
    set_group_zone_policies("shop-web", region=region, zonal_shift=True)
    web_group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["shop-web"])
    set_zonal_autoshift(web_group["AutoScalingGroups"][0]["AutoScalingGroupARN"], region=region)

    add_placement_group("render", "cluster", region=region)
    render = launch_instances(ec2, tools_ami, b, tags={"Service": "render"}, count=2)
    for node in render:
        set_instance_options(node, region=region, placement_group="render")

    (ledger,) = launch_instances(ec2, tools_ami, c, tags={"Name": "ledger-db"})
    set_instance_options(ledger, region=region, auto_recovery="disabled")

    template = ec2.create_launch_template(
        LaunchTemplateName="shop-workers",
        LaunchTemplateData={"ImageId": tools_ami, "InstanceType": "t3.small"},
    )["LaunchTemplate"]["LaunchTemplateId"]
    _group(
        autoscaling,
        "spot-workers",
        [a, b, c],
        MixedInstancesPolicy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template, "Version": "1"},
                "Overrides": [{"InstanceType": "t3.small"}, {"InstanceType": "t3a.small"}],
            },
            "InstancesDistribution": {
                "OnDemandBaseCapacity": 0,
                "OnDemandPercentageAboveBaseCapacity": 25,
                "SpotAllocationStrategy": "price-capacity-optimized",
            },
        },
    )
    balance_group_instances("spot-workers", region=region)
    _group(autoscaling, "quorum", [a, b, c], capacity=3, template=template)
    set_group_zone_policies("quorum", region=region, distribution="balanced-only")
    balance_group_instances("quorum", region=region)
    # Left where moto launched them: all four in the first subnet's zone.
    _group(autoscaling, "queue-workers", [a, b], capacity=4, template=template)
    estate.facts.update(render_nodes=render, ledger_db=ledger, worker_template=template)


def _group(
    autoscaling: Any,
    name: str,
    subnets: list[str],
    *,
    capacity: int = 2,
    template: str | None = None,
    **extra: Any,
) -> None:
    if template is not None:
        extra["LaunchTemplate"] = {"LaunchTemplateId": template, "Version": "1"}
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MinSize=capacity,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        VPCZoneIdentifier=",".join(subnets),
        Tags=[{"Key": "Name", "Value": name, "PropagateAtLaunch": True}],
        **extra,
    )


def _shop_subnets(ec2: Any) -> dict[str, str]:
    """The shop's subnets (10.10.0.0/16), by zone."""
    subnets = ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.10.*"]}])
    return {s["AvailabilityZone"]: s["SubnetId"] for s in subnets["Subnets"]}
