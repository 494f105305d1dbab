"""Collection gaps: which observations are missing where, so facts resting on them are *unknown*.

An error entry names a service and an operation in an (account, Region) unit;
``account`` or ``region`` may be null for failures wider than one unit. The
operation narrows the gap to the resource types it observes; an operation we do
not know makes the whole service's types missing, which errs towards unknown.

A detail call that describes one resource (a target group's health, a load
balancer's attributes) names it in ``resource``: its gap is that resource's part
(``target_group.targets``), for the documents whose facts draw on it, and nothing
else. Linking adds entries of the same shape, code ``MissingAttribute``, where a
call succeeded but its answer lacked what a fact needs: unknown, never a pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from scanner.model.link.facts import (
    CLASSIC_ATTRIBUTES,
    LOAD_BALANCER_ATTRIBUTES,
    REGION,
    SCAN,
    TARGET_GROUP_ATTRIBUTES,
    TARGET_HEALTH,
    UNIT,
    ZONE,
    Dependency,
)
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
    ("elbv2", "DescribeTargetHealth"): (TARGET_HEALTH,),
    ("elbv2", "DescribeTargetGroupAttributes"): (TARGET_GROUP_ATTRIBUTES,),
    ("elbv2", "DescribeLoadBalancerAttributes"): (LOAD_BALANCER_ATTRIBUTES,),
    ("elb", "DescribeLoadBalancers"): ("classic_load_balancer",),
    ("elb", "DescribeLoadBalancerAttributes"): (CLASSIC_ATTRIBUTES,),
    # Which Regions to scan: a failure hides no unit's observations. Without --regions
    # the account has no units at all, a blind spot (``blind_spots``) but no gap here.
    ("ec2", "DescribeRegions"): (),
}
MISSING_ATTRIBUTE = "MissingAttribute"  # code of linking's entries: answered, but without it


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


def _whole_type(name: str) -> str | None:
    """``target_group`` for ``target_group.targets``: its listing hides that part too."""
    return name.split(".", 1)[0] if "." in name else None


class CollectionGaps:
    """Answers: did any observation a set of dependencies needs fail for this document?"""

    def __init__(self, errors: Iterable[dict[str, Any]]):
        self._by_dependency: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._by_resource: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for error in errors:
            affected = affected_dependencies(
                error.get("service", ""), error.get("operation"), error.get("code")
            )
            resource = error.get("resource")
            for name in affected:
                if resource:
                    self._by_resource[(name, resource)].append(error)
                else:
                    self._by_dependency[name].append(error)
        self._cache: dict[tuple, tuple[dict[str, Any], ...]] = {}
        # Most documents have no per-resource error: one set look-up answers for them.
        self._failed_arns = frozenset(arn for _, arn in self._by_resource)

    def __bool__(self) -> bool:
        return bool(self._by_dependency) or bool(self._by_resource)

    def failures(
        self,
        account: str,
        region: str,
        dependencies: Iterable[Dependency],
        arns: Iterable[str] = (),
    ) -> tuple[dict[str, Any], ...]:
        """The error entries that leave any of ``dependencies`` unobserved for this document.

        ``arns`` are the resources whose per-resource observations its facts draw on.
        """
        if not self._by_dependency and not self._by_resource:
            return ()  # a complete collection: the common case, answered at once
        dependencies = tuple(dependencies)
        key = (account, region, dependencies)
        if key not in self._cache:
            found: list[dict[str, Any]] = []
            for dependency in dependencies:
                names = (dependency.name, _whole_type(dependency.name))
                for name in filter(None, names):
                    for error in self._by_dependency.get(name, ()):
                        reaches = _reaches(error, account, region, dependency.reach)
                        if reaches and error not in found:
                            found.append(error)
            self._cache[key] = tuple(sorted(found, key=_error_order))
        unit_wide = self._cache[key]
        if not self._by_resource:
            return unit_wide
        arns = [arn for arn in arns if arn in self._failed_arns]
        if not arns:
            return unit_wide
        own = [
            error
            for arn in arns
            for dependency in dependencies
            for name in filter(None, (dependency.name, _whole_type(dependency.name)))
            for error in self._by_resource.get((name, arn), ())
        ]
        if not own:
            return unit_wide
        merged = list(unit_wide)
        merged.extend(error for error in own if error not in merged)
        return tuple(sorted(merged, key=_error_order))


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
    call = f"{error.get('service')}:{error.get('operation')}"
    if error.get("code") == MISSING_ATTRIBUTE:
        return f"{call} for {error.get('resource')}: {error.get('message')}"
    where = (
        "/".join(part for part in (error.get("account"), error.get("region")) if part)
        or "all units"
    )
    target = f" for {error['resource']}" if error.get("resource") else ""
    return f"{call} failed{target} in {where} ({error.get('code')})"
