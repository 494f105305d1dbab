"""Resolve what to collect into account targets: one session per account to scan.

Single-account runs use the caller's session. A multi-account run
(:class:`~scanner.collect.accounts.AccountSelection`) first asks who the caller
is, lists the Organization if asked, then reaches every account in parallel
(:class:`~scanner.collect.assume_role.AccountReacher`). Calls made here are
account-level: counted in the snapshot's top-level ``api_calls``, failures in its
top-level ``errors``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from scanner.collect.accounts import list_organization_accounts
from scanner.collect.assume_role import AccountReacher
from scanner.collect.calls import CallCounter
from scanner.collect.context import UnitContext
from scanner.collect.normalize import partition_of_arn, partition_of_region
from scanner.collect.options import AccountTarget, CollectOptions
from scanner.collect.regions import home_region
from scanner.collect.session import ClientFactory
from scanner.errors import InputError


def resolve_targets(
    options: CollectOptions,
    caller_session: boto3.Session,
    caller_factory: ClientFactory,
    counter: CallCounter,
    errors: list[dict[str, Any]],
) -> list[AccountTarget]:
    """The accounts to collect, each with the session that reaches it (failures recorded)."""
    if options.accounts is not None:
        return list(options.accounts)
    selection = options.selection
    if selection is None:
        return [AccountTarget(None, caller_session)]
    home = home_region(caller_session, options.regions)
    ctx = UnitContext(None, home, partition_of_region(home), caller_factory.client, counter, errors)
    identity = ctx.call("sts", "GetCallerIdentity") or {}
    caller_account = identity.get("Account")
    ctx.account = caller_account
    partition = partition_of_arn(identity.get("Arn", "")) or ctx.partition
    listed: list[str] = []
    if selection.organization:
        found = list_organization_accounts(ctx)
        # The listing failed (an error entry says why): the caller's own account is still known.
        listed = found if found is not None else [caller_account] if caller_account else []
    account_ids = selection.select(listed)
    others = [account for account in account_ids if account != caller_account]
    if others and selection.role is None:
        raise InputError(
            f"--role-name is required to reach accounts other than the caller's own "
            f"({caller_account or 'unknown'}): {', '.join(others[:3])}"
            f"{' …' if len(others) > 3 else ''}"
        )
    reacher = AccountReacher(
        caller_session,
        caller_account,
        partition,
        home,
        ctx.client("sts"),
        selection.role,
        errors,
        profile=options.profile,
    )
    with ThreadPoolExecutor(options.max_workers, thread_name_prefix="stormproof-reach") as pool:
        reached = list(pool.map(reacher.reach, account_ids))
    return [target for target in reached if target is not None]
