"""Demo seeding for load balancing and Auto Scaling details.

- ``batch-workers`` (us-east-1) had ``Terminate`` and ``AZRebalance`` suspended
  for a deployment that nobody resumed: unhealthy workers are not replaced.
- ``shop-api``'s target group turns cross-zone load balancing off on its ALB
  (which has it on at the load balancer level): each zone's node now serves
  only from that zone's API instances.
"""

from __future__ import annotations

from scanner.demo.regions import PRIMARY
from scanner.mockaws.estate import ClientFor, Estate


def seed_load_balancing_details(client: ClientFor, estate: Estate) -> None:
    autoscaling, elbv2 = client("autoscaling", PRIMARY), client("elbv2", PRIMARY)
    autoscaling.suspend_processes(
        AutoScalingGroupName="batch-workers", ScalingProcesses=["Terminate", "AZRebalance"]
    )
    (api_group,) = elbv2.describe_target_groups(Names=["shop-api"])["TargetGroups"]
    elbv2.modify_target_group_attributes(
        TargetGroupArn=api_group["TargetGroupArn"],
        Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "false"}],
    )
    estate.facts.update(suspended_group="batch-workers", cross_zone_off_group="shop-api")
