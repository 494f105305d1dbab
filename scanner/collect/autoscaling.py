"""Auto Scaling: groups (zones, subnets, sizes, health checks, load balancers, traffic
sources, suspended processes, instances, capacity rebalancing, mixed-instances policy) and
the AMIs their launch templates or launch configurations use.

``DescribeAutoScalingGroups`` returns a group's ``TrafficSources`` (whatever attached them:
``AttachTrafficSources``, or the older load balancer and target group calls) and its
``SuspendedProcesses``, so neither needs a call of its own.

Launch configurations are fetched by name, only those a group uses, 50 names a
call; launch template versions come from :mod:`scanner.collect.launch_templates`.
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.launch_templates import TemplateRef, TemplateVersions, collect_versions
from scanner.collect.limits import LAUNCH_CONFIGURATION_NAMES_BATCH
from scanner.collect.normalize import chunks, iso_utc, tags_to_dict


def collect_autoscaling(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    """Groups, the launch configurations and launch template versions they use."""
    groups = ctx.pages("autoscaling", "DescribeAutoScalingGroups", "AutoScalingGroups")
    if groups is None:
        return {}
    resources: dict[str, list[dict[str, Any]]] = {}
    configurations = _launch_configurations(ctx, groups)
    if configurations is not None:
        resources["launch_configurations"] = configurations
    refs = {ref for group in groups for ref in _template_refs(group)}
    versions = collect_versions(ctx, refs) if refs else TemplateVersions([], complete=True)
    if versions.complete:
        resources["launch_template_versions"] = versions.records
    images_by_configuration = {lc["id"]: lc["image_id"] for lc in configurations or []}
    resources["auto_scaling_groups"] = [
        _group_record(ctx, group, versions, images_by_configuration) for group in groups
    ]
    return resources


def _launch_configurations(
    ctx: UnitContext, groups: list[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    names = sorted(
        {g["LaunchConfigurationName"] for g in groups if g.get("LaunchConfigurationName")}
    )
    records: list[dict[str, Any]] = []
    for batch in chunks(names, LAUNCH_CONFIGURATION_NAMES_BATCH):
        configurations = ctx.pages(
            "autoscaling",
            "DescribeLaunchConfigurations",
            "LaunchConfigurations",
            LaunchConfigurationNames=batch,
        )
        if configurations is None:
            return None
        for configuration in configurations:
            name = configuration["LaunchConfigurationName"]
            arn = configuration.get("LaunchConfigurationARN") or ctx.arn(
                "autoscaling", f"launchConfiguration:*:launchConfigurationName/{name}"
            )
            record = ctx.base(name, arn, {})
            record.update(
                image_id=configuration.get("ImageId"),
                created_time=iso_utc(configuration.get("CreatedTime")),
            )
            records.append(record)
    return records


def _template_refs(group: dict[str, Any]) -> list[TemplateRef]:
    """Every launch template a group can launch from: its own, its mixed policy's, overrides'."""
    refs = []
    if group.get("LaunchTemplate"):
        refs.append(TemplateRef.from_spec(group["LaunchTemplate"]))
    mixed = (group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}
    if mixed.get("LaunchTemplateSpecification"):
        refs.append(TemplateRef.from_spec(mixed["LaunchTemplateSpecification"]))
    for override in mixed.get("Overrides", []):
        if override.get("LaunchTemplateSpecification"):
            refs.append(TemplateRef.from_spec(override["LaunchTemplateSpecification"]))
    return refs


def _group_record(
    ctx: UnitContext,
    group: dict[str, Any],
    versions: TemplateVersions,
    images_by_configuration: dict[str, str | None],
) -> dict[str, Any]:
    name = group["AutoScalingGroupName"]
    arn = group.get("AutoScalingGroupARN") or ctx.arn(
        "autoscaling", f"autoScalingGroup:*:autoScalingGroupName/{name}"
    )
    record = ctx.base(name, arn, tags_to_dict(group.get("Tags")))
    spec = group.get("LaunchTemplate") or (
        (group.get("MixedInstancesPolicy") or {})
        .get("LaunchTemplate", {})
        .get("LaunchTemplateSpecification")
    )
    image_ids = set()
    for ref in _template_refs(group):
        version = versions.resolve(ref)
        if version and version.get("image_id"):
            image_ids.add(version["image_id"])
    configuration = group.get("LaunchConfigurationName")
    if configuration and images_by_configuration.get(configuration):
        image_ids.add(images_by_configuration[configuration])
    subnets = [s.strip() for s in (group.get("VPCZoneIdentifier") or "").split(",") if s.strip()]
    record.update(
        zones=list(group.get("AvailabilityZones", [])),
        subnet_ids=subnets,
        min_size=group["MinSize"],
        max_size=group["MaxSize"],
        desired_capacity=group["DesiredCapacity"],
        health_check_type=group.get("HealthCheckType"),
        health_check_grace_period=group.get("HealthCheckGracePeriod"),
        load_balancer_names=list(group.get("LoadBalancerNames", [])),
        target_group_arns=list(group.get("TargetGroupARNs", [])),
        traffic_sources=[
            {"identifier": source["Identifier"], "type": source.get("Type")}
            for source in group.get("TrafficSources", [])
        ],
        suspended_processes=[
            {"name": process["ProcessName"], "reason": process.get("SuspensionReason") or None}
            for process in group.get("SuspendedProcesses", [])
            if process.get("ProcessName")
        ],
        instances=[_instance(instance) for instance in group.get("Instances", [])],
        capacity_rebalance=group.get("CapacityRebalance"),
        mixed_instances_policy="MixedInstancesPolicy" in group,
        launch_template=(
            {
                "id": spec.get("LaunchTemplateId"),
                "name": spec.get("LaunchTemplateName"),
                "version": spec.get("Version"),
            }
            if spec
            else None
        ),
        launch_configuration_name=configuration,
        image_ids=sorted(image_ids),
        status=group.get("Status"),
        created_time=iso_utc(group.get("CreatedTime")),
        launch_template_market_type=_market_type(group, versions),
        **_zone_resilience(group),
    )
    return record


def _market_type(group: dict[str, Any], versions: TemplateVersions) -> str | None:
    """What the group's own launch template buys: "spot" or "on-demand"; null if unread.

    Only a group without a mixed instances policy launches with its template's
    market options; a mixed policy sets the Spot share itself.
    """
    if not group.get("LaunchTemplate") or "MixedInstancesPolicy" in group:
        return None
    version = versions.resolve(TemplateRef.from_spec(group["LaunchTemplate"]))
    if version is None:
        return None
    return version.get("market_type") or "on-demand"


def _zone_resilience(group: dict[str, Any]) -> dict[str, Any]:
    """Zone distribution strategy, zone impairment policy and the mixed policy's Spot split."""
    distribution = group.get("AvailabilityZoneDistribution") or {}
    impairment = group.get("AvailabilityZoneImpairmentPolicy")
    split = (group.get("MixedInstancesPolicy") or {}).get("InstancesDistribution")
    return {
        "capacity_distribution_strategy": distribution.get("CapacityDistributionStrategy"),
        "zone_impairment_policy": (
            {
                "zonal_shift_enabled": impairment.get("ZonalShiftEnabled"),
                "impaired_zone_health_check_behavior": impairment.get(
                    "ImpairedZoneHealthCheckBehavior"
                ),
            }
            if impairment is not None
            else None
        ),
        "instances_distribution": (
            {
                "on_demand_base_capacity": split.get("OnDemandBaseCapacity"),
                "on_demand_percentage_above_base_capacity": split.get(
                    "OnDemandPercentageAboveBaseCapacity"
                ),
                "spot_allocation_strategy": split.get("SpotAllocationStrategy"),
            }
            if split is not None
            else None
        ),
    }


def _instance(instance: dict[str, Any]) -> dict[str, Any]:
    template = instance.get("LaunchTemplate") or {}
    return {
        "id": instance["InstanceId"],
        "zone": instance.get("AvailabilityZone"),
        "lifecycle_state": instance.get("LifecycleState"),
        "health_status": instance.get("HealthStatus"),
        "launch_template_version": template.get("Version"),
        "launch_configuration_name": instance.get("LaunchConfigurationName"),
    }
