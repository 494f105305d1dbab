"""Auto Scaling's zone balancing, which moto skips: it launches a group's instances in one subnet.

AWS spreads an Auto Scaling group's instances evenly over the zones of its
subnets (Availability Zone rebalancing). moto puts every instance in the first
subnet of ``VPCZoneIdentifier``, so a group configured for three zones looks,
from its instances and its target groups, like a single-zone workload.
:func:`balance_group_instances` moves the group's instances round-robin over its
subnets on moto's in-process backend objects: the instance's subnet, primary
network interface, placement and attached volumes follow, so every API then
reports what AWS would. Private IP addresses keep the value moto gave them
(stormproof does not collect them).
"""

from __future__ import annotations

from typing import Any

DEFAULT_ACCOUNT = "123456789012"  # moto's default account


def _backends(account_id: str, region: str) -> tuple[Any, Any]:
    from moto.autoscaling.models import autoscaling_backends
    from moto.ec2.models import ec2_backends

    return autoscaling_backends[account_id][region], ec2_backends[account_id][region]


def balance_group_instances(
    group_name: str, *, region: str, account_id: str = DEFAULT_ACCOUNT
) -> dict[str, str]:
    """Spread ``group_name``'s instances over its subnets as AWS does; returns instance -> zone.

    Subnets are taken in the group's order, one per distinct zone, so a group
    over two subnets of one zone still gets one share per zone.
    """
    autoscaling, ec2 = _backends(account_id, region)
    group = autoscaling.autoscaling_groups.get(group_name)
    if group is None:
        raise KeyError(f"{group_name}: no Auto Scaling group of that name in {region}")
    subnets_by_zone: dict[str, Any] = {}
    for subnet_id in (group.vpc_zone_identifier or "").split(","):
        if subnet_id:
            subnet = ec2.get_subnet(subnet_id)
            subnets_by_zone.setdefault(subnet.availability_zone, subnet)
    if not subnets_by_zone:
        raise ValueError(f"{group_name}: the group has no subnets to balance over")
    subnets = list(subnets_by_zone.values())
    placed: dict[str, str] = {}
    for index, state in enumerate(group.instance_states):
        subnet = subnets[index % len(subnets)]
        _move_instance(ec2, state.instance, subnet)
        # Auto Scaling's own record of the instance's zone (a copy in newer moto releases).
        state.availability_zone = subnet.availability_zone
        placed[state.instance.id] = subnet.availability_zone
    return placed


def _move_instance(ec2: Any, instance: Any, subnet: Any) -> None:
    instance._subnet_id = subnet.id
    instance._placement.zone = subnet.availability_zone
    for nic in instance.nics.values():
        nic.subnet = subnet
    zone = ec2.get_zone_by_name(subnet.availability_zone)
    for device in instance.block_device_mapping.values():
        volume = ec2.volumes.get(device.volume_id)
        if volume is not None:
            volume.zone = zone
