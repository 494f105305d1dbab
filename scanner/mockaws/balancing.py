"""Load balancing and Auto Scaling details moto leaves out: unused targets and traffic sources.

- AWS reports a registered target ``unused`` with reason ``Target.NotInUse`` when
  "the target group is not used by any load balancer or the target is in an
  Availability Zone that is not enabled for its load balancer"; moto reports every
  registered running instance ``healthy``. :func:`report_unused_targets` makes
  moto's ``DescribeTargetHealth`` answer as AWS does (process-wide, undone by the
  returned handle or as a context manager).
- moto has no ``AttachTrafficSources`` and its ``DescribeAutoScalingGroups`` has no
  ``TrafficSources``. :func:`attach_traffic_source` records one on moto's group,
  which moto's own serializer then returns like any other member of the group.

https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AttachTrafficSources.html
"""

from __future__ import annotations

import threading
from typing import Any

from moto.autoscaling.models import FakeAutoScalingGroup, autoscaling_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.elbv2.models import FakeHealthStatus, FakeTargetGroup, elbv2_backends

_LOCK = threading.Lock()
NOT_IN_USE = "Target.NotInUse"


class UnusedTargetsPatch:
    """Undoes :func:`report_unused_targets`; also a context manager."""

    def __init__(self, original: Any):
        self._original = original

    def undo(self) -> None:
        with _LOCK:
            FakeTargetGroup.health_for = self._original

    def __enter__(self) -> UnusedTargetsPatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.undo()


def report_unused_targets() -> UnusedTargetsPatch:
    """Instance targets no load balancer of theirs serves come back unused/Target.NotInUse."""
    with _LOCK:
        original = FakeTargetGroup.health_for
        if getattr(original, "_stormproof_unused", False):
            return UnusedTargetsPatch(original.__wrapped__)

        def health_for(group: FakeTargetGroup, target: dict[str, Any], ec2_backend: Any):
            status = original(group, target, ec2_backend)
            if status.status != "healthy" or not str(status.instance_id).startswith("i-"):
                return status
            instance = ec2_backend.get_instance_by_id(status.instance_id)
            zone = getattr(getattr(instance, "placement", None), "zone", None)
            if zone is None or zone in _served_zones(group):
                return status
            return FakeHealthStatus(
                status.instance_id,
                status.port,
                status.health_check_port,
                "unused",
                NOT_IN_USE,
                "Target group is not configured to receive traffic from the load balancer",
            )

        health_for._stormproof_unused = True  # type: ignore[attr-defined]
        health_for.__wrapped__ = original  # type: ignore[attr-defined]
        FakeTargetGroup.health_for = health_for
    return UnusedTargetsPatch(original)


def _served_zones(group: FakeTargetGroup) -> set[str]:
    backend = elbv2_backends[group.account_id][group.region_name]
    zones: set[str] = set()
    for arn in group.load_balancer_arns:
        balancer = backend.load_balancers.get(arn)
        if balancer is not None:
            zones.update(subnet.availability_zone for subnet in balancer.subnets)
    return zones


def attach_traffic_source(
    group_name: str,
    identifier: str,
    source_type: str,
    *,
    region: str,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """What ``AttachTrafficSources`` does: the group lists the source in ``TrafficSources``.

    ``source_type`` is ``elb``, ``elbv2`` or ``vpc-lattice``, as AWS's ``Type``.
    """
    group: FakeAutoScalingGroup = autoscaling_backends[account_id][region].autoscaling_groups[
        group_name
    ]
    sources = list(getattr(group, "traffic_sources", None) or [])
    sources.append({"Identifier": identifier, "Type": source_type})
    group.traffic_sources = sources
