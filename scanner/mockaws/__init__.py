"""The one place where stormproof fills moto's gaps, for tests and for ``stormproof demo``.

moto serves EC2, Auto Scaling, ELB, ELBv2 and STS with real AWS wire formats.
What it lacks is filled here, deliberately and documented (``docs/testing.md``):

- :func:`add_local_zones`: Local Zones and Wavelength Zones in moto's zone table.
- :class:`DlmStandIn`: Data Lifecycle Manager over REST-JSON on 127.0.0.1, reached
  with ``AWS_ENDPOINT_URL_DLM``.
- :func:`fill_backup_gaps`: AWS Backup selections, Region settings, protected resources
  and recovery points in moto's backup backend (:func:`add_recovery_point`,
  :func:`set_region_settings` seed them).
- :func:`mark_snapshot_copy`, :func:`mark_image_copy`: the provenance AWS sets on copies.
- :func:`deny_service`: a service refused in one Region, for partial-failure tests.
- :func:`inject_errors`: throttling, 5xx storms or expired tokens on a seeded
  fraction of requests (a botocore hook); :func:`quick_retries` keeps such tests fast.
- :class:`HangingEndpoint`: a loopback endpoint that never answers, for timeouts
  and interrupts.
- :class:`ImpostorEndpoint`: a loopback endpoint that answers every request with HTTP 200
  and an HTML page, an empty XML document or ``{}`` (a proxy or a wrong endpoint).
- :func:`backdate`: an old snapshot, AMI, volume or instance (moto makes everything "now").
- :func:`balance_group_instances`: an Auto Scaling group's instances spread over its
  zones, as AWS does (moto launches them all in one subnet).
- :func:`set_instance_options`, :func:`set_group_zone_policies`: instance AutoRecovery and
  placement group, Auto Scaling zone distribution and impairment policy (moto drops them).
- :func:`add_placement_group`: ``DescribePlacementGroups``, which moto does not serve.
- ARC zonal shift's ``ListManagedResources``, served wherever moto answers (installed on
  import), derived from moto's state; :func:`set_zonal_autoshift` configures autoshift.
- :func:`enforce_role_trust`: AssumeRole refused unless the role exists and trusts the
  caller, as AWS does (moto lets anyone assume any role ARN).
- :func:`report_unused_targets`: targets in a zone their load balancer is not enabled
  in come back ``unused``/``Target.NotInUse``, as AWS reports them (moto: ``healthy``).
- :func:`attach_traffic_source`: what ``AttachTrafficSources`` does, which moto lacks.

Shared seeding building blocks (tests and the demo) are in :mod:`scanner.mockaws.estate`.

This package imports moto; it is only for the ``demo`` and ``test`` extras.
"""

from scanner.mockaws.backdate import backdate
from scanner.mockaws.backup import (
    BackupPatch,
    add_recovery_point,
    fill_backup_gaps,
    set_region_settings,
)
from scanner.mockaws.balancing import attach_traffic_source, report_unused_targets
from scanner.mockaws.dlm import DlmStandIn
from scanner.mockaws.faults import InjectedFaults, deny_service, inject_errors, quick_retries
from scanner.mockaws.impostor import ImpostorEndpoint
from scanner.mockaws.placement import balance_group_instances
from scanner.mockaws.placement_groups import add_placement_group
from scanner.mockaws.provenance import mark_image_copy, mark_snapshot_copy
from scanner.mockaws.slow import HangingEndpoint
from scanner.mockaws.trust import enforce_role_trust
from scanner.mockaws.zonal_shift import install as _install_zonal_shift
from scanner.mockaws.zonal_shift import set_zonal_autoshift
from scanner.mockaws.zone_ids import map_zone_ids
from scanner.mockaws.zone_settings import set_group_zone_policies, set_instance_options
from scanner.mockaws.zones import DEFAULT_ZONES, ExtraZone, ZonePatch, add_local_zones

__all__ = [
    "DEFAULT_ZONES",
    "BackupPatch",
    "DlmStandIn",
    "ExtraZone",
    "HangingEndpoint",
    "ImpostorEndpoint",
    "InjectedFaults",
    "ZonePatch",
    "add_local_zones",
    "add_placement_group",
    "add_recovery_point",
    "attach_traffic_source",
    "backdate",
    "balance_group_instances",
    "deny_service",
    "enforce_role_trust",
    "fill_backup_gaps",
    "inject_errors",
    "map_zone_ids",
    "mark_image_copy",
    "mark_snapshot_copy",
    "quick_retries",
    "report_unused_targets",
    "set_group_zone_policies",
    "set_instance_options",
    "set_region_settings",
    "set_zonal_autoshift",
]

_install_zonal_shift()
