"""Which Regions to collect: every Region enabled for the account, or the ones asked for.

``DescribeRegions(AllRegions=True)`` tells enabled Regions (``opt-in-not-required``
or ``opted-in``) from those an account has not opted in to. A requested Region
that is not enabled still gets a unit, whose only content is an error entry:
the snapshot says what it could not see.
"""

from __future__ import annotations

from typing import NamedTuple

import boto3

from scanner.collect.context import UnitContext
from scanner.collect.normalize import partition_of_region
from scanner.errors import InputError

ENABLED = ("opt-in-not-required", "opted-in")
FALLBACK_HOME_REGION = "us-east-1"


class RegionStatus(NamedTuple):
    name: str
    opt_in_status: str | None  # None when DescribeRegions could not say

    @property
    def enabled(self) -> bool:
        return self.opt_in_status is None or self.opt_in_status in ENABLED


def home_region(session: boto3.Session, requested: list[str] | None) -> str:
    """Where account-level calls go: the configured Region, else the first requested one."""
    return session.region_name or (requested[0] if requested else FALLBACK_HOME_REGION)


def discover_regions(
    ctx: UnitContext, partition: str, requested: list[str] | None
) -> list[RegionStatus]:
    """The Regions to collect, with their opt-in status; failures become ``ctx`` errors."""
    response = ctx.call("ec2", "DescribeRegions", AllRegions=True)
    if response is None:
        if requested is None:
            # No Region was named, so none is collected: the failure hides every Region
            # of the account, not just the one the call went to.
            ctx.errors[-1]["region"] = None
        return [RegionStatus(name, None) for name in requested or []]
    statuses = {
        region["RegionName"]: region.get("OptInStatus") or "opt-in-not-required"
        for region in response.get("Regions", [])
        if partition_of_region(region["RegionName"]) == partition
    }
    if not statuses:
        # Every account has Regions: an empty list is a broken answer, never "nothing to scan".
        ctx.record_empty("ec2", "DescribeRegions", f"no Regions of partition {partition}")
        return [RegionStatus(name, None) for name in requested or []]
    if requested is None:
        return [RegionStatus(name, s) for name, s in sorted(statuses.items()) if s in ENABLED]
    unknown = [name for name in requested if name not in statuses]
    if unknown:
        raise InputError(
            f"--regions: {', '.join(unknown)} is not a Region of partition {partition} "
            f"for account {ctx.account}"
        )
    return [RegionStatus(name, statuses[name]) for name in dict.fromkeys(requested)]
