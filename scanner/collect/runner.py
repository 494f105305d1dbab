"""Run every (account, Region) unit in parallel and assemble the snapshot document.

Account-level calls (who am I, which accounts, AssumeRole, which Regions) come
first, accounts in parallel; then units run on a thread pool (``max_workers``),
each self-contained, and are handed on as they finish (:func:`collect_units`), so
``stormproof collect`` streams them to disk
(:class:`scanner.model.snapshot_stream.SnapshotStreamWriter`). :func:`collect_snapshot`
keeps them in memory instead, for callers that need the whole document; it is
valid against ``schemas/snapshot.schema.json``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from itertools import islice
from typing import Any

from scanner import __version__
from scanner.collect.calls import CallCounter, merge_counts
from scanner.collect.context import UnitContext
from scanner.collect.credentials import check_credentials, raise_if_caller_rejected
from scanner.collect.normalize import now_utc, partition_of_arn, partition_of_region
from scanner.collect.options import AccountTarget, CollectOptions, shard_slice
from scanner.collect.progress import Reporter, SilentReporter
from scanner.collect.readonly import ALLOWED_OPERATIONS, CALLER_OPERATIONS
from scanner.collect.regions import RegionStatus, discover_regions, home_region
from scanner.collect.session import ClientFactory, new_session
from scanner.collect.targets import resolve_targets
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
    units: list[dict[str, Any]] = []
    document = collect_units(options, units.append, reporter=reporter)
    units.sort(key=lambda unit: (unit["account"], unit["region"]))
    document["units"] = units
    return document


def collect_units(
    options: CollectOptions,
    sink: Callable[[dict[str, Any]], None],
    *,
    reporter: Reporter | None = None,
) -> dict[str, Any]:
    """Hand each unit to ``sink`` as it finishes; return the rest of the document (no ``units``).

    Only ``max_workers`` units are in flight and none is kept once handed on, so
    memory stays bounded by the largest units, whatever the number of accounts.
    ``sink`` sees units in completion order; a writer that needs an order sorts.
    """
    options.validate()
    reporter = reporter or SilentReporter()
    started_at = now_utc()
    account_counter = CallCounter("account")
    account_errors: list[dict[str, Any]] = []
    caller_session = new_session(options.profile)
    if options.accounts is None:
        check_credentials(caller_session, options.profile)
    caller_factory = ClientFactory(
        caller_session,
        options.rate_limit,
        options.max_workers,
        allowed=ALLOWED_OPERATIONS | CALLER_OPERATIONS,
    )
    targets = resolve_targets(
        options, caller_session, caller_factory, account_counter, account_errors
    )
    planned = _plan_accounts(targets, caller_factory, options, account_counter, account_errors)
    if options.accounts is None:
        raise_if_caller_rejected(account_errors, options.profile)
    planned = _shard(sorted(planned, key=lambda unit: unit.key), options.shard)

    unit_calls: Counter[str] = Counter()
    reporter.start(len(planned))
    for unit in _run_units(planned, options.max_workers):
        unit_calls.update(unit["api_calls"])
        sink(unit)
        reporter.unit_done(unit)
    reporter.finish()

    account_errors.sort(key=error_sort_key)
    accounts = {unit.account for unit in planned}
    accounts.update(e["account"] for e in account_errors if e["account"] is not None)
    scope: dict[str, Any] = {
        "accounts": sorted(accounts),
        "regions": sorted({unit.region.name for unit in planned}),
        "shard": options.shard,
    }
    partitions = sorted({unit.partition for unit in planned})
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
        "api_calls": merge_counts(account_counter.as_dict(), dict(unit_calls)),
        "errors": account_errors,
    }


def error_sort_key(error: dict[str, Any]) -> tuple[str, ...]:
    """A stable order for error entries (accounts are reached in parallel)."""
    return tuple(
        str(error.get(key) or "")
        for key in ("account", "region", "service", "operation", "code", "message")
    )


def snapshot_errors(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every error entry of a snapshot: account-level first, then each unit's."""
    return [*document["errors"], *(e for unit in document["units"] for e in unit["errors"])]


def _plan_accounts(
    targets: list[AccountTarget],
    caller_factory: ClientFactory,
    options: CollectOptions,
    counter: CallCounter,
    errors: list[dict[str, Any]],
) -> list[PlannedUnit]:
    """Identify each account and list its Regions, accounts in parallel."""
    lock = threading.Lock()

    def plan(target: AccountTarget) -> list[PlannedUnit]:
        # One rate-limit budget per account: the caller's own account shares the caller's.
        factory = (
            caller_factory
            if target.session is caller_factory.session
            else ClientFactory(target.session, options.rate_limit, options.max_workers)
        )
        found_errors: list[dict[str, Any]] = []
        found = _plan_account(factory, target, options, counter, found_errors)
        with lock:
            errors.extend(found_errors)
        return found

    if len(targets) == 1:
        return plan(targets[0])
    with ThreadPoolExecutor(options.max_workers, thread_name_prefix="stormproof-plan") as pool:
        return [unit for found in pool.map(plan, targets) for unit in found]


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


def _run_units(planned: list[PlannedUnit], max_workers: int) -> Iterator[dict[str, Any]]:
    """Yield units as they finish, with at most ``max_workers`` submitted at a time."""
    remaining = iter(planned)
    pending: set[Future[dict[str, Any]]] = set()
    pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="stormproof-unit")
    finished = False
    try:
        while True:
            for unit in islice(remaining, max_workers - len(pending)):
                pending.add(
                    pool.submit(
                        collect_unit,
                        unit.factory.client,
                        unit.account,
                        unit.partition,
                        unit.region.name,
                        unit.region.opt_in_status,
                        unit.region.enabled,
                    )
                )
            if not pending:
                finished = True
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        # Interrupted: do not wait for units blocked in a network read, so Ctrl-C unwinds now.
        pool.shutdown(wait=finished, cancel_futures=True)
