"""The one place where stormproof fills moto's gaps, for tests and for ``stormproof demo``.

moto serves EC2, Auto Scaling, ELB, ELBv2 and STS with real AWS wire formats.
What it lacks is filled here, deliberately and documented (``docs/testing.md``):

- :func:`add_local_zones`: Local Zones and Wavelength Zones in moto's zone table.
- :class:`DlmStandIn`: Data Lifecycle Manager over REST-JSON on 127.0.0.1, reached
  with ``AWS_ENDPOINT_URL_DLM``.
- :func:`mark_snapshot_copy`, :func:`mark_image_copy`: the provenance AWS sets on copies.
- :func:`deny_service`: a service refused in one Region, for partial-failure tests.

This package imports moto; it is only for the ``demo`` and ``test`` extras.
"""

from scanner.mockaws.dlm import DlmStandIn
from scanner.mockaws.faults import deny_service
from scanner.mockaws.provenance import mark_image_copy, mark_snapshot_copy
from scanner.mockaws.zones import DEFAULT_ZONES, ExtraZone, ZonePatch, add_local_zones

__all__ = [
    "DEFAULT_ZONES",
    "DlmStandIn",
    "ExtraZone",
    "ZonePatch",
    "add_local_zones",
    "deny_service",
    "mark_image_copy",
    "mark_snapshot_copy",
]
