"""The registry of resource types: one source of truth for the snapshot, linking and policies.

A policy's ``resource:`` names a type here; the snapshot stores each type's
records under ``units[].resources[<snapshot_key>]``; ``service`` is the AWS
service whose failure makes that type's records (and facts) *unknown*.
Derived types (``fleet``) exist only after linking and have no snapshot key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceType:
    name: str  # what a policy's `resource:` says
    snapshot_key: str | None  # key under units[].resources; None for derived types
    service: str  # the AWS service that observes it
    title: str  # human name, for reports
    plural: str = ""  # when not title + "s"

    @property
    def title_plural(self) -> str:
        return self.plural or f"{self.title}s"


RESOURCE_TYPES: dict[str, ResourceType] = {
    rt.name: rt
    for rt in (
        ResourceType("instance", "instances", "ec2", "EC2 instance"),
        ResourceType("subnet", "subnets", "ec2", "Subnet"),
        ResourceType("volume", "volumes", "ec2", "EBS volume"),
        ResourceType("snapshot", "snapshots", "ec2", "EBS snapshot"),
        ResourceType("image", "images", "ec2", "AMI"),
        ResourceType(
            "launch_template_version", "launch_template_versions", "ec2", "Launch template version"
        ),
        ResourceType(
            "auto_scaling_group", "auto_scaling_groups", "autoscaling", "Auto Scaling group"
        ),
        ResourceType(
            "launch_configuration", "launch_configurations", "autoscaling", "Launch configuration"
        ),
        ResourceType(
            "classic_load_balancer", "classic_load_balancers", "elb", "Classic Load Balancer"
        ),
        ResourceType(
            "load_balancer",
            "load_balancers",
            "elbv2",
            "Load balancer (ALB/NLB/GWLB)",
            "Load balancers (ALB/NLB/GWLB)",
        ),
        ResourceType("target_group", "target_groups", "elbv2", "Target group"),
        ResourceType(
            "dlm_policy", "dlm_policies", "dlm", "DLM lifecycle policy", "DLM lifecycle policies"
        ),
        ResourceType("placement_group", "placement_groups", "ec2", "Placement group"),
        ResourceType(
            "zonal_shift_resource",
            "zonal_shift_resources",
            "arc-zonal-shift",
            "ARC zonal shift resource",
        ),
        ResourceType("backup_plan", "backup_plans", "backup", "AWS Backup plan"),
        ResourceType("backup_vault", "backup_vaults", "backup", "AWS Backup vault"),
        ResourceType(
            "backup_recovery_point",
            "backup_recovery_points",
            "backup",
            "AWS Backup recovery point",
        ),
        ResourceType(
            "backup_protected_resource",
            "backup_protected_resources",
            "backup",
            "AWS Backup protected resource",
        ),
        ResourceType(
            "backup_region_settings",
            "backup_region_settings",
            "backup",
            "AWS Backup Region settings",
            "AWS Backup Region settings",
        ),
        ResourceType("fleet", None, "ec2", "Fleet"),
        ResourceType("recovery_objective", None, "ec2", "Recovery objective"),
    )
}
