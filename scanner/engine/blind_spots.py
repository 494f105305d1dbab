"""Blind spots: where a policy could not see its resources at all, reported as *unknown*.

A failed detail call leaves a document whose facts are unknown, and ``judge``
reports that document as unknown. A failed *listing* (``DescribeVolumes``
denied, an account whose role could not be assumed) leaves no document to
judge: without this module such a policy would report nothing there, which
reads as a pass. So each policy gets one unknown finding per (account, Region)
it could not observe, naming the calls that failed. Its identity is a stable
pseudo-ARN, so waivers and baselines can refer to it like any other finding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from scanner.engine.policy import Policy
from scanner.engine.results import Finding, PolicyStats
from scanner.model.link.gaps import affected_dependencies, describe_failure
from scanner.model.link.location import empty_location
from scanner.model.resource_types import RESOURCE_TYPES

ALL_REGIONS = "*"

# The observed types a derived type is built from: a fleet is blind where any of them is.
_DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "fleet": ("auto_scaling_group", "classic_load_balancer", "load_balancer", "instance"),
}
# Failures that hide a whole account: nothing of it was observed. A failed DescribeRegions
# does only when no Regions were named (its entry then has no Region): with --regions
# the named Regions were collected all the same.
_ACCOUNT_WIDE = frozenset({("sts", "AssumeRole")})
_REGION_DISCOVERY = ("ec2", "DescribeRegions")
_OBSERVED_TYPES = tuple(name for name, rt in RESOURCE_TYPES.items() if rt.snapshot_key)

Unit = tuple[str, str]  # (account, region or ALL_REGIONS)


def hidden_types(error: dict[str, Any]) -> tuple[str, ...]:
    """The resource types a failed call may have left (partly) unlisted."""
    service, operation = error.get("service", ""), error.get("operation") or ""
    if error.get("resource"):
        return ()  # a detail call of one listed resource: that document is judged unknown
    if (service, operation) in _ACCOUNT_WIDE:
        return _OBSERVED_TYPES
    if (service, operation) == _REGION_DISCOVERY and error.get("region") is None:
        return _OBSERVED_TYPES
    affected = affected_dependencies(service, operation, error.get("code"))
    return tuple(name for name in affected if name in RESOURCE_TYPES)


def blind_spots(errors: Iterable[dict[str, Any]]) -> dict[str, dict[Unit, list[dict[str, Any]]]]:
    """resource type → unit → the errors that hid that type there."""
    spots: dict[str, dict[Unit, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        account = error.get("account")
        if not account:  # e.g. the organization's account list: no account to name
            continue
        unit = (account, error.get("region") or ALL_REGIONS)
        for name in hidden_types(error):
            spots[name][unit].append(error)
    return spots


def blind_spot_findings(
    policies: Sequence[Policy], errors: Iterable[dict[str, Any]], stats: dict[str, PolicyStats]
) -> list[Finding]:
    """One unknown finding per policy and unobserved unit; counts them in ``stats``."""
    spots = blind_spots(errors)
    if not spots:
        return []
    findings: list[Finding] = []
    for policy in policies:
        resource = policy.meta.resource
        units: dict[Unit, list[dict[str, Any]]] = defaultdict(list)
        for source in _DERIVED_FROM.get(resource, (resource,)):
            for unit, unit_errors in spots.get(source, {}).items():
                units[unit].extend(e for e in unit_errors if e not in units[unit])
        for (account, region), unit_errors in sorted(units.items()):
            findings.append(_finding(policy, account, region, unit_errors))
            stats.setdefault(policy.id, PolicyStats()).unknown += 1
    return findings


def _finding(policy: Policy, account: str, region: str, errors: list[dict[str, Any]]) -> Finding:
    meta = policy.meta
    rt = RESOURCE_TYPES.get(meta.resource)
    plural = rt.title_plural if rt else meta.resource
    where = f"account {account}" + ("" if region == ALL_REGIONS else f", Region {region}")
    reasons = sorted({describe_failure(error) for error in errors})
    return Finding(
        policy_id=meta.id,
        severity=meta.severity,
        status="unknown",
        resource_type=meta.resource,
        resource_id=f"{plural} in {account}/{region}",
        arn=f"stormproof:unobserved:{account}:{region}:{meta.resource}",
        account=account,
        region=region,
        message=(
            f"{plural} in {where} could not all be observed, so {meta.id} could not judge "
            f"them: {'; '.join(reasons)}."
        ),
        evidence={"collection_errors": reasons},
        location=empty_location(account, region),
    )
