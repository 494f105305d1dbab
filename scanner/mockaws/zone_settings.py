"""Zone-event settings that moto accepts but drops, set on its backend objects as AWS keeps them.

moto ignores these request fields, so the API never reports them:

- an instance's ``MaintenanceOptions.AutoRecovery`` (RunInstances,
  ModifyInstanceMaintenanceOptions) and ``Placement.GroupName`` (RunInstances);
- an Auto Scaling group's ``AvailabilityZoneDistribution`` and
  ``AvailabilityZoneImpairmentPolicy`` (CreateAutoScalingGroup, UpdateAutoScalingGroup).

:func:`set_instance_options` and :func:`set_group_zone_policies` put them on
moto's in-process objects, whose response serializer then renders them in
``DescribeInstances`` and ``DescribeAutoScalingGroups`` with the real wire
format. Values are checked against botocore's model, so a typo fails here.
"""

from __future__ import annotations

from typing import Any

import botocore.session

DEFAULT_ACCOUNT = "123456789012"  # moto's default account


def set_instance_options(
    instance_id: str,
    *,
    region: str,
    auto_recovery: str | None = None,
    placement_group: str | None = None,
    account_id: str = DEFAULT_ACCOUNT,
) -> None:
    """Give a moto instance AutoRecovery (``default``/``disabled``) and/or a placement group."""
    from moto.ec2.models import ec2_backends

    instance = ec2_backends[account_id][region].get_instance(instance_id)
    if auto_recovery is not None:
        _check_enum("ec2", "InstanceAutoRecoveryState", auto_recovery)
        instance.maintenance_options = {"AutoRecovery": auto_recovery}
    if placement_group is not None:
        instance.placement.group_name = placement_group


def set_group_zone_policies(
    group_name: str,
    *,
    region: str,
    distribution: str | None = None,
    zonal_shift: bool | None = None,
    impaired_zone_health_check: str = "IgnoreUnhealthy",
    account_id: str = DEFAULT_ACCOUNT,
) -> None:
    """Give a moto Auto Scaling group a zone distribution strategy and/or impairment policy."""
    from moto.autoscaling.models import autoscaling_backends

    group = autoscaling_backends[account_id][region].autoscaling_groups.get(group_name)
    if group is None:
        raise KeyError(f"{group_name}: no Auto Scaling group of that name in {region}")
    if distribution is not None:
        _check_enum("autoscaling", "CapacityDistributionStrategy", distribution)
        group.availability_zone_distribution = {"CapacityDistributionStrategy": distribution}
    if zonal_shift is not None:
        _check_enum("autoscaling", "ImpairedZoneHealthCheckBehavior", impaired_zone_health_check)
        group.availability_zone_impairment_policy = {
            "ZonalShiftEnabled": zonal_shift,
            "ImpairedZoneHealthCheckBehavior": impaired_zone_health_check,
        }


def _check_enum(service: str, shape: str, value: Any) -> None:
    model = botocore.session.get_session().get_service_model(service)
    allowed = model.shape_for(shape).enum
    if value not in allowed:
        raise ValueError(f"{value!r} is not a valid {service} {shape} ({', '.join(allowed)})")
