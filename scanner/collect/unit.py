"""One unit of work: everything one (account, Region) shows, as a self-contained record.

A unit's document carries its own calls, errors, timings and resources, so the
runner can hand it on (or, later, stream it to disk) without keeping anything
else about it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from scanner.collect.autoscaling import collect_autoscaling
from scanner.collect.backup import collect_backup
from scanner.collect.calls import CallCounter
from scanner.collect.context import ClientMaker, UnitContext
from scanner.collect.dlm import collect_dlm
from scanner.collect.ec2 import collect_ec2, collect_zones
from scanner.collect.elb import collect_elb
from scanner.collect.elbv2 import collect_elbv2
from scanner.collect.normalize import now_utc
from scanner.collect.readonly import ReadOnlyViolation
from scanner.collect.zonal_shift import collect_zonal_shift

log = logging.getLogger("stormproof.collect")

# (service, what it collects): each step is independent of the others' failures.
STEPS: tuple[tuple[str, Callable[[UnitContext], dict[str, list[dict[str, Any]]]]], ...] = (
    ("ec2", collect_ec2),
    ("autoscaling", collect_autoscaling),
    ("elb", collect_elb),
    ("elbv2", collect_elbv2),
    ("dlm", collect_dlm),
    ("arc-zonal-shift", collect_zonal_shift),
    ("backup", collect_backup),
)


def collect_unit(
    make_client: ClientMaker,
    account: str,
    partition: str,
    region: str,
    opt_in_status: str | None = None,
    enabled: bool = True,
) -> dict[str, Any]:
    """Collect one (account, Region); never raises for an AWS failure."""
    started_at, started = now_utc(), time.monotonic()
    ctx = UnitContext(account, region, partition, make_client, CallCounter(f"{account} {region}"))
    zones: list[dict[str, Any]] = []
    resources: dict[str, list[dict[str, Any]]] = {}
    if not enabled:
        ctx.errors.append(
            {
                "account": account,
                "region": region,
                "service": "ec2",
                "operation": "DescribeRegions",
                "code": "RegionNotEnabled",
                "message": f"Region {region} is not enabled for account {account} "
                f"(opt-in status: {opt_in_status}); nothing in it was collected",
            }
        )
    else:
        zones = _guarded(ctx, "ec2", collect_zones) or []
        for service, step in STEPS:
            resources.update(_guarded(ctx, service, step) or {})
    return {
        "account": account,
        "region": region,
        "partition": partition,
        "started_at": started_at,
        "finished_at": now_utc(),
        "duration_seconds": round(time.monotonic() - started, 3),
        "api_calls": ctx.counter.as_dict(),
        "errors": ctx.errors,
        "zones": zones,
        "resources": resources,
    }


def _guarded(ctx: UnitContext, service: str, step: Callable[[UnitContext], Any]) -> Any:
    """Run one step; a stormproof bug in it becomes an error entry, not a lost unit."""
    try:
        return step(ctx)
    except ReadOnlyViolation:
        raise
    except Exception as exc:
        log.debug("collector error in %s %s %s", ctx.account, ctx.region, service, exc_info=True)
        ctx.errors.append(
            {
                "account": ctx.account,
                "region": ctx.region,
                "service": service,
                "operation": step.__name__,
                "code": "CollectorError",
                "message": f"stormproof failed to read the response: {type(exc).__name__}: {exc}",
            }
        )
        return None
