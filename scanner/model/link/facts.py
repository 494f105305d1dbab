"""The registry of derived facts: what linking adds under each document's ``facts``.

Every fact names the observations it rests on, so the engine can tell a policy
that reads it apart from one that does not when collection failed somewhere.
``rests_on`` lists *dependency names*: resource type names from
:mod:`scanner.model.resource_types` plus ``"zone"`` (the zone catalog). Each
dependency has a reach: ``unit`` (the document's own account and Region),
``region`` (that Region in every scanned account) or ``scan`` (every unit), for
facts that join across accounts or Regions. A name ``<type>.<part>`` is the part of
a type's records that one detail call observes (a target group's targets, a load
balancer's attributes): it is missing where that call failed for a resource the
document's facts draw on (its own, or one in its ``rests_on_arns``), or where the
type's listing failed. ``schemas/model.schema.json``
documents the same facts for policy authors; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

UNIT = "unit"
REGION = "region"
SCAN = "scan"
ZONE = "zone"  # the zone catalog: DescribeAvailabilityZones
# Parts of records that a per-resource detail call observes (see the module docstring).
TARGET_HEALTH = "target_group.targets"  # elbv2 DescribeTargetHealth
TARGET_GROUP_ATTRIBUTES = "target_group.attributes"  # elbv2 DescribeTargetGroupAttributes
LOAD_BALANCER_ATTRIBUTES = "load_balancer.attributes"  # elbv2 DescribeLoadBalancerAttributes
CLASSIC_ATTRIBUTES = "classic_load_balancer.attributes"  # elb DescribeLoadBalancerAttributes
RECORD_PARTS = (
    TARGET_HEALTH,
    TARGET_GROUP_ATTRIBUTES,
    LOAD_BALANCER_ATTRIBUTES,
    CLASSIC_ATTRIBUTES,
)


@dataclass(frozen=True)
class Dependency:
    name: str  # a resource type name, or "zone"
    reach: str = UNIT  # unit | region | scan


@dataclass(frozen=True)
class Fact:
    name: str
    rests_on: tuple[Dependency, ...]
    description: str
    # What single fields rest on, when narrower than the whole fact (``protection.covered``).
    parts: tuple[tuple[str, tuple[Dependency, ...]], ...] = ()


def _deps(*names: str, reach: str = UNIT) -> tuple[Dependency, ...]:
    return tuple(Dependency(name, reach) for name in names)


_ZONE_OBJECT = "a zone object (name, id, type, parent_zone_name, parent_zone_id, group_name)"
_WORKLOAD_ZONES = (  # zones come from the record, or from its subnets when it lists none
    Fact("zones", _deps(ZONE, "subnet"), f"distinct zones, sorted by name; each {_ZONE_OBJECT}"),
    Fact("zone_names", _deps("subnet"), "names of `zones`"),
    Fact("zone_count", _deps("subnet"), "number of distinct zones"),
)
_COPY_FACTS = (
    Fact(
        "copy_of", (), "the source {id, region, via} when this is a copy made from another Region"
    ),
    Fact("dlm_policy_id", (), "the DLM policy that created it (tag aws:dlm:lifecycle-policy-id)"),
    Fact(
        "recovery_point_arn",
        _deps("backup_recovery_point"),
        "the AWS Backup recovery point it is, when AWS Backup made it; else null",
    ),
)

_PROTECTION_DEPS = (
    *_deps("dlm_policy", "backup_plan", "backup_region_settings", "backup_protected_resource"),
    *_deps("snapshot", "image", "backup_recovery_point", reach=SCAN),  # copies anywhere
    *_deps(ZONE),
)
_SOURCE_DEPS = (*_deps("dlm_policy", "backup_plan", "backup_region_settings", ZONE),)
# Which sources protect it rests on policies, plans and opt-in of its own unit; the newest
# backups on the snapshots, AMIs and recovery points of every unit (copies live anywhere).
_PROTECTION_PARTS = tuple(
    (field, _SOURCE_DEPS)
    for field in ("covered", "sources", "interval_hours", "locations", "copy_regions")
)
_PROTECTION = (
    "what protects it: covered, sources [{kind (dlm-snapshot, dlm-ami, backup), id, arn, "
    "rule, interval_hours, locations, copy_regions, copy_accounts}], interval_hours (the "
    "smallest), locations (zone, outpost, region, other-region, other-account), newest, "
    "newest_outside_zone, newest_outside_region (each a backup {id, arn, kind, time, region, "
    "account, location} or null), copy_regions"
)

FACTS: dict[str, tuple[Fact, ...]] = {
    "instance": (
        Fact("zone", _deps(ZONE), f"its zone: {_ZONE_OBJECT}"),
        Fact(
            "asg_name", _deps("auto_scaling_group"), "the Auto Scaling group managing it, or null"
        ),
        Fact(
            "asg_managed", _deps("auto_scaling_group"), "whether an Auto Scaling group manages it"
        ),
        Fact("ebs_backed", (), "whether its root device is EBS"),
        Fact("protection", _PROTECTION_DEPS, _PROTECTION, _PROTECTION_PARTS),
        Fact(
            "fleet_ids",
            _deps(
                "instance",
                "auto_scaling_group",
                "classic_load_balancer",
                "load_balancer",
                "target_group",
            ),
            "the fleets it belongs to (Auto Scaling group, load balancer, tag fleet), sorted",
        ),
        Fact(
            "placement_strategy",
            _deps("placement_group"),
            "strategy of its placement group (cluster, spread, partition, precision-time), "
            "or null when it is in none",
        ),
        Fact(
            "placement_group_size",
            _deps("instance"),
            "running instances of the snapshot in its placement group; 0 when in none",
        ),
    ),
    "subnet": (Fact("zone", _deps(ZONE), f"its zone: {_ZONE_OBJECT}"),),
    "volume": (
        Fact("zone", _deps(ZONE), f"its zone: {_ZONE_OBJECT}"),
        Fact("in_use", (), "attached to an instance (state in-use or any attachment)"),
        Fact("attached_instance_ids", (), "instances it is attached to"),
        Fact("boot", _deps("instance"), "attached as an instance's root device; null if unknown"),
        Fact(
            "deleted_with_asg_instance",
            _deps("instance", "auto_scaling_group"),
            "attached with DeleteOnTermination to an instance an Auto Scaling group manages",
        ),
        Fact(
            "protection",
            (*_PROTECTION_DEPS, *_deps("instance")),
            _PROTECTION,
            tuple((field, (*deps, *_deps("instance"))) for field, deps in _PROTECTION_PARTS),
        ),
        Fact(
            "newest_snapshot",
            _deps("snapshot"),
            "its newest completed snapshot {id, start_time}, or null when it has none",
        ),
        Fact("snapshot_count", _deps("snapshot"), "number of its completed snapshots"),
    ),
    "snapshot": (
        *_COPY_FACTS,
        Fact("image_ids", _deps("image"), "AMIs in its Region that it backs"),
        Fact(
            "copies",
            _deps("snapshot", "image", "backup_recovery_point", reach=SCAN),
            "its copies in other Regions {id, account, region, via, time}",
        ),
        Fact(
            "copy_regions",
            (
                *_deps("snapshot", "image", "backup_recovery_point", reach=SCAN),
                *_deps("dlm_policy", "backup_plan"),
            ),
            "other Regions holding a copy: observed copies, copies of AMIs it backs, the live "
            "cross-Region copies of the DLM schedule that created it, and AWS Backup's copy "
            "actions and copies of the recovery point it is",
        ),
    ),
    "image": (
        *_COPY_FACTS,
        Fact(
            "copies",
            _deps("image", "backup_recovery_point", reach=SCAN),
            "its copies in other Regions {id, account, region, via, time}",
        ),
        Fact(
            "copy_regions",
            (
                *_deps("image", "backup_recovery_point", reach=SCAN),
                *_deps("dlm_policy", "backup_plan"),
            ),
            "other Regions holding a copy: observed copies, the live cross-Region copies of the "
            "DLM schedule that created it, and AWS Backup's copy actions and copies of the "
            "recovery point it is",
        ),
        Fact(
            "in_use",
            _deps(
                "instance",
                "auto_scaling_group",
                "launch_template_version",
                "launch_configuration",
                reach=REGION,
            ),
            "referenced by a non-terminated instance, a launch template version an Auto Scaling "
            "group uses, or a launch configuration",
        ),
        Fact(
            "used_by",
            _deps(
                "instance",
                "auto_scaling_group",
                "launch_template_version",
                "launch_configuration",
                reach=REGION,
            ),
            "what references it: {type, id, account}",
        ),
    ),
    "launch_template_version": (),
    "auto_scaling_group": (
        *_WORKLOAD_ZONES,
        Fact(
            "load_balancer_attached",
            (),
            "attached to a classic load balancer or an ELBv2 target group (any traffic source)",
        ),
        Fact(
            "traffic_sources",
            (),
            "its traffic sources {identifier, type: elb | elbv2 | vpc-lattice}: classic load "
            "balancers, target groups and whatever AttachTrafficSources attached",
        ),
        Fact("vpc_lattice_attached", (), "attached to a VPC Lattice target group"),
        Fact("health_check_types", (), "its health check types (HealthCheckType split on commas)"),
        Fact(
            "zonal_shift_enabled",
            (),
            "its zone impairment policy enables ARC zonal shift; null for a snapshot that did "
            "not record the policy",
        ),
        Fact(
            "zone_distribution_strategy",
            (),
            "balanced-best-effort or balanced-only (AWS's default balanced-best-effort when unset)",
        ),
        Fact(
            "uses_spot",
            _deps("launch_template_version"),
            "it launches Spot Instances: its mixed instances policy leaves capacity above the "
            "On-Demand base to Spot, or its launch template version requests Spot; null when "
            "that version was not read",
        ),
        Fact(
            "instance_zone_counts",
            _deps("subnet"),
            "InService instances per configured zone, zones without any included as 0",
        ),
        Fact(
            "zone_imbalance",
            _deps("subnet"),
            "InService instances in its fullest zone minus those in its emptiest",
        ),
    ),
    "launch_configuration": (),
    "classic_load_balancer": (
        *_WORKLOAD_ZONES,
        Fact(
            "cross_zone",
            _deps(CLASSIC_ATTRIBUTES),
            "cross-zone load balancing as configured; null if unknown",
        ),
        Fact(
            "connection_draining_enabled",
            _deps(CLASSIC_ATTRIBUTES),
            "connection draining is on; null if its attributes could not be read",
        ),
    ),
    "load_balancer": (
        Fact("zones", _deps(ZONE), f"enabled zones, sorted by name; each {_ZONE_OBJECT}"),
        Fact("zone_names", (), "names of `zones`"),
        Fact("zone_count", (), "number of distinct enabled zones"),
        Fact(
            "cross_zone",
            _deps(LOAD_BALANCER_ATTRIBUTES),
            "its own cross-zone load balancing setting (always true for an ALB); null if unknown",
        ),
        Fact("target_group_arns", _deps("target_group"), "target groups that route through it"),
        Fact(
            "cross_zone_target_groups",
            _deps(TARGET_GROUP_ATTRIBUTES, LOAD_BALANCER_ATTRIBUTES),
            "per target group {target_group (name), setting (its attribute), enabled}: the "
            "cross-zone load balancing its traffic gets",
        ),
        Fact(
            "cross_zone_off_target_groups",
            _deps(TARGET_GROUP_ATTRIBUTES, LOAD_BALANCER_ATTRIBUTES),
            "names of its target groups whose traffic gets no cross-zone load balancing",
        ),
        Fact(
            "zonal_shift_enabled",
            _deps(LOAD_BALANCER_ATTRIBUTES),
            "ARC zonal shift integration (zonal_shift.config.enabled, off by default) for an ALB "
            "or NLB; null for a Gateway Load Balancer or when its attributes could not be read",
        ),
    ),
    "target_group": (
        Fact("in_use", (), "attached to at least one load balancer"),
        Fact(
            "target_zones",
            _deps("instance", ZONE, TARGET_HEALTH, "load_balancer"),
            f"distinct zones of its targets that receive traffic; {_ZONE_OBJECT}",
        ),
        Fact(
            "target_zone_names",
            _deps("instance", TARGET_HEALTH, "load_balancer"),
            "names of `target_zones`",
        ),
        Fact(
            "target_zone_count",
            _deps("instance", TARGET_HEALTH, "load_balancer"),
            "number of distinct zones of its targets that receive traffic",
        ),
        Fact(
            "unresolved_target_ids",
            _deps("instance", TARGET_HEALTH),
            "registered targets whose zone is not known (an instance not in the snapshot)",
        ),
        Fact(
            "idle_target_ids",
            _deps("instance", TARGET_HEALTH, "load_balancer"),
            "registered targets that receive no traffic: unused with reason Target.NotInUse, or "
            "in a zone none of its load balancers is enabled in",
        ),
        Fact(
            "cross_zone",
            _deps(TARGET_GROUP_ATTRIBUTES, LOAD_BALANCER_ATTRIBUTES, "load_balancer"),
            "per load balancer it is attached to {load_balancer_arn, load_balancer_name, "
            "target_group_setting, enabled}: its setting overrides the load balancer's unless "
            "it is use_load_balancer_configuration (ALB and NLB target groups)",
        ),
    ),
    "dlm_policy": (
        Fact("enabled", (), "state is ENABLED"),
        Fact(
            "region_located",
            (),
            "creates backups in the Region: a default policy, or a schedule whose create rule's "
            "location is CLOUD (the default, also for LOCAL_ZONE and OUTPOST policies)",
        ),
        Fact(
            "cross_region_copy_regions",
            (),
            "Regions its Region-created backups are copied to by their schedules' copy rules (or "
            "a default policy's targets), its own Region excluded",
        ),
    ),
    "placement_group": (),
    "zonal_shift_resource": (),
    # AWS Backup records: observations that the protection fact of volumes and instances reads.
    "backup_plan": (
        Fact(
            "selected_resource_count",
            _deps("backup_plan", "instance", "volume", "backup_region_settings"),
            "observed EC2 instances and EBS volumes its selections select",
        ),
        Fact("copy_regions", (), "other Regions its rules' copy actions copy to"),
        Fact("selections_known", (), "its selections could be read (else coverage is unknown)"),
    ),
    "backup_vault": (),
    "backup_recovery_point": (),
    "backup_protected_resource": (),
    "backup_region_settings": (),
    "fleet": (
        Fact(
            "zones",
            _deps(ZONE, "subnet", "instance", "auto_scaling_group"),
            f"the workload's zones, sorted by name; each {_ZONE_OBJECT}",
        ),
        Fact("zone_names", _deps("subnet", "instance", "auto_scaling_group"), "names of `zones`"),
        Fact("zone_count", _deps("subnet", "instance", "auto_scaling_group"), "number of zones"),
        Fact(
            "local_zone_names",
            _deps(ZONE, "subnet", "instance", "auto_scaling_group"),
            "its zones that are Local Zones or Wavelength Zones",
        ),
        Fact(
            "local_zone_parent_names",
            _deps(ZONE, "subnet", "instance", "auto_scaling_group"),
            "distinct parent zones of its Local and Wavelength Zones",
        ),
        Fact(
            "availability_zones",
            _deps(ZONE, "subnet", "instance", "auto_scaling_group"),
            "the Availability Zones its zones depend on {id, name}, by zone id: an Availability "
            "Zone itself, a Local or Wavelength Zone its parent; null if a zone is unknown",
        ),
        Fact(
            "instance_ids",
            _deps("instance", "auto_scaling_group", TARGET_HEALTH),
            "member instances (a load balancer's: its registered instance targets)",
        ),
        Fact(
            "instance_count",
            _deps("instance", "auto_scaling_group", TARGET_HEALTH),
            "number of member instances",
        ),
        Fact(
            "cross_zone",
            _deps(CLASSIC_ATTRIBUTES, LOAD_BALANCER_ATTRIBUTES, TARGET_GROUP_ATTRIBUTES),
            "load balancer fleets: false when cross-zone load balancing is off for any of its "
            "target groups (or, without any, for the load balancer), true when on for all; "
            "else null",
        ),
        Fact(
            "cross_zone_off_target_groups",
            _deps(LOAD_BALANCER_ATTRIBUTES, TARGET_GROUP_ATTRIBUTES),
            "ELBv2 fleets: names of its target groups whose traffic gets no cross-zone load "
            "balancing",
        ),
        Fact(
            "load_balancer_type",
            (),
            "load balancer fleets: application, network, gateway or classic",
        ),
    ),
    # Added by the scenarios stage (scanner/scenarios), not by linking: one per workload or
    # volume with a recovery objective. A Region scenario reads backups in every Region.
    "recovery_objective": (
        Fact(
            "objective",
            (
                *_deps(
                    "subnet",
                    "instance",
                    "volume",
                    "auto_scaling_group",
                    "classic_load_balancer",
                    "load_balancer",
                    "target_group",
                    TARGET_HEALTH,
                    TARGET_GROUP_ATTRIBUTES,
                    LOAD_BALANCER_ATTRIBUTES,
                    CLASSIC_ATTRIBUTES,
                ),
                *_PROTECTION_DEPS,
            ),
            "the objective (rpo_hours, survive, source) and its verdict in every failure "
            "scenario: met (true, false, or null when a window is unknown), breaches "
            "[{domain, kind, outcome, text}], unknown [reasons]",
        ),
    ),
}


def fact_names(resource_type: str) -> tuple[str, ...]:
    return tuple(fact.name for fact in FACTS.get(resource_type, ()))


def fact(resource_type: str, name: str) -> Fact | None:
    """A fact by name; ``parent.field`` gives the field's own dependencies when declared."""
    parent_name, _, field = name.partition(".")
    for candidate in FACTS.get(resource_type, ()):
        if candidate.name == parent_name:
            if not field:
                return candidate
            rests_on = dict(candidate.parts).get(field, candidate.rests_on)
            return Fact(name, rests_on, candidate.description)
    return None
