"""Collection gaps: which observations are missing where, so facts resting on them are *unknown*.

An error entry names a service and an operation in an (account, Region) unit;
``account`` or ``region`` may be null for failures wider than one unit. The
operation narrows the gap to the resource types it observes; an operation we do
not know makes the whole service's types missing, which errs towards unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from scanner.model.link.facts import REGION, SCAN, UNIT, ZONE, Dependency
from scanner.model.resource_types import RESOURCE_TYPES

_OPERATION_TYPES: dict[tuple[str, str], tuple[str, ...]] = {
    ("ec2", "DescribeAvailabilityZones"): (ZONE,),
    ("ec2", "DescribeInstances"): ("instance",),
    ("ec2", "DescribeSubnets"): ("subnet",),
    ("ec2", "DescribeVolumes"): ("volume",),
    ("ec2", "DescribeSnapshots"): ("snapshot",),
    ("ec2", "DescribeImages"): ("image",),
    ("ec2", "DescribeLaunchTemplates"): ("launch_template_version",),
    ("ec2", "DescribeLaunchTemplateVersions"): ("launch_template_version",),
    ("ec2", "DescribePlacementGroups"): ("placement_group",),
    ("autoscaling", "DescribeAutoScalingGroups"): ("auto_scaling_group",),
    ("autoscaling", "DescribeLaunchConfigurations"): ("launch_configuration",),
    ("elbv2", "DescribeTargetGroups"): ("target_group",),
    ("elbv2", "DescribeTargetHealth"): ("target_group",),
    ("elbv2", "DescribeTargetGroupAttributes"): ("target_group",),
    ("elbv2", "DescribeLoadBalancerAttributes"): ("load_balancer",),
}


# A Region that is not enabled holds nothing: its "failure" hides no observation.
_NOTHING_MISSED = frozenset({"RegionNotEnabled"})


def affected_dependencies(
    service: str, operation: str | None, code: str | None = None
) -> tuple[str, ...]:
    """Dependency names a failed call leaves unobserved."""
    if code in _NOTHING_MISSED:
        return ()
    known = _OPERATION_TYPES.get((service, operation or ""))
    if known is not None:
        return known
    names = [rt.name for rt in RESOURCE_TYPES.values() if rt.service == service and rt.snapshot_key]
    if service == "ec2":
        names.append(ZONE)
    return tuple(names)


class CollectionGaps:
    """Answers: did any observation a set of dependencies needs fail for this document?"""

    def __init__(self, errors: Iterable[dict[str, Any]]):
        self._by_dependency: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for error in errors:
            affected = affected_dependencies(
                error.get("service", ""), error.get("operation"), error.get("code")
            )
            for name in affected:
                self._by_dependency[name].append(error)
        self._cache: dict[tuple, tuple[dict[str, Any], ...]] = {}

    def __bool__(self) -> bool:
        return bool(self._by_dependency)

    def failures(
        self, account: str, region: str, dependencies: Iterable[Dependency]
    ) -> tuple[dict[str, Any], ...]:
        """The error entries that leave any of ``dependencies`` unobserved for this unit."""
        if not self._by_dependency:  # a complete collection: the common case, answered at once
            return ()
        dependencies = tuple(dependencies)
        key = (account, region, dependencies)
        if key not in self._cache:
            found: list[dict[str, Any]] = []
            for dependency in dependencies:
                for error in self._by_dependency.get(dependency.name, ()):
                    if _reaches(error, account, region, dependency.reach) and error not in found:
                        found.append(error)
            self._cache[key] = tuple(sorted(found, key=_error_order))
        return self._cache[key]


def _error_order(error: dict[str, Any]) -> tuple[str, ...]:
    fields = ("account", "region", "service", "operation", "code", "message")
    return tuple(str(error.get(name) or "") for name in fields)


def _reaches(error: dict[str, Any], account: str, region: str, reach: str) -> bool:
    if reach == SCAN:
        return True
    region_matches = error.get("region") in (None, region)
    if reach == REGION:
        return region_matches
    assert reach == UNIT
    return region_matches and error.get("account") in (None, account)


def describe_failure(error: dict[str, Any]) -> str:
    where = (
        "/".join(part for part in (error.get("account"), error.get("region")) if part)
        or "all units"
    )
    return (
        f"{error.get('service')}:{error.get('operation')} failed in {where} ({error.get('code')})"
    )
