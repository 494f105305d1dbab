"""Run every (account, Region) unit in parallel and assemble the snapshot document.

Account-level calls (who am I, which Regions) come first; then units run on a
thread pool (``max_workers``), each self-contained. The document returned is
valid against ``schemas/snapshot.schema.json``; the caller writes it with
:func:`scanner.model.snapshot.dump_snapshot`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from scanner import __version__
from scanner.collect.calls import CallCounter, merge_counts
from scanner.collect.context import UnitContext
from scanner.collect.normalize import now_utc, partition_of_arn, partition_of_region
from scanner.collect.options import AccountTarget, CollectOptions, shard_slice
from scanner.collect.progress import Reporter, SilentReporter
from scanner.collect.regions import RegionStatus, discover_regions, home_region
from scanner.collect.session import ClientFactory, new_session
from scanner.collect.unit import collect_unit
from scanner.model.snapshot import FORMAT, FORMAT_VERSION


@dataclass(frozen=True)
class PlannedUnit:
    factory: ClientFactory
    account: str
    partition: str
    region: RegionStatus

    @property
    def key(self) -> tuple[str, str]:
        return (self.account, self.region.name)


def collect_snapshot(options: CollectOptions, *, reporter: Reporter | None = None) -> dict:
    """Collect every unit ``options`` selects; AWS failures are recorded, never raised."""
    options.validate()
    reporter = reporter or SilentReporter()
    started_at = now_utc()
    account_counter = CallCounter("account")
    account_errors: list[dict[str, Any]] = []
    targets = options.accounts or [AccountTarget(None, new_session(options.profile))]
    planned: list[PlannedUnit] = []
    partitions: list[str] = []
    for target in targets:
        factory = ClientFactory(target.session, options.rate_limit, options.max_workers)
        found = _plan_account(factory, target, options, account_counter, account_errors)
        planned.extend(found)
        partitions.extend(unit.partition for unit in found)
    planned = _shard(sorted(planned, key=lambda unit: unit.key), options.shard)

    reporter.start(len(planned))
    units = _run_units(planned, options.max_workers, reporter)
    reporter.finish()

    units.sort(key=lambda unit: (unit["account"], unit["region"]))
    scope: dict[str, Any] = {
        "accounts": sorted({unit.account for unit in planned}),
        "regions": sorted({unit.region.name for unit in planned}),
        "shard": options.shard,
    }
    if partitions:
        scope["partition"] = partitions[0]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "tool": {"name": "stormproof", "version": __version__},
        "started_at": started_at,
        "finished_at": now_utc(),
        "scope": scope,
        # Totals: account-level calls plus every unit's (each unit also keeps its own).
        "api_calls": merge_counts(account_counter.as_dict(), *(u["api_calls"] for u in units)),
        "errors": account_errors,
        "units": units,
    }


def snapshot_errors(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every error entry of a snapshot: account-level first, then each unit's."""
    return [*document["errors"], *(e for unit in document["units"] for e in unit["errors"])]


def _plan_account(
    factory: ClientFactory,
    target: AccountTarget,
    options: CollectOptions,
    counter: CallCounter,
    errors: list[dict[str, Any]],
) -> list[PlannedUnit]:
    """Identify the account and list its Regions; an account we cannot identify has no units."""
    home = home_region(target.session, options.regions)
    ctx = UnitContext(
        target.account_id, home, partition_of_region(home), factory.client, counter, errors
    )
    identity = ctx.call("sts", "GetCallerIdentity")
    account = target.account_id or (identity or {}).get("Account")
    if account is None:
        return []
    ctx.account = account
    partition = partition_of_arn((identity or {}).get("Arn", "")) or ctx.partition
    regions = discover_regions(ctx, partition, options.regions)
    return [PlannedUnit(factory, account, partition, region) for region in regions]


def _shard(units: list[PlannedUnit], shard: str | None) -> list[PlannedUnit]:
    """Keep slice K of N (round-robin over the sorted units): disjoint and covering."""
    selected = shard_slice(shard)
    if selected is None:
        return units
    k, n = selected
    return [unit for index, unit in enumerate(units) if index % n == k - 1]


def _run_units(
    planned: list[PlannedUnit], max_workers: int, reporter: Reporter
) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = []
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="stormproof-unit")
    try:
        futures = [
            pool.submit(
                collect_unit,
                unit.factory.client,
                unit.account,
                unit.partition,
                unit.region.name,
                unit.region.opt_in_status,
                unit.region.enabled,
            )
            for unit in planned
        ]
        for future in as_completed(futures):
            unit = future.result()
            units.append(unit)
            reporter.unit_done(unit)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return units
