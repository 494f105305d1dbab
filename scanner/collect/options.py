"""What to collect: the options ``stormproof collect`` and ``stormproof scan`` pass in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import boto3

from scanner.collect.accounts import AccountSelection
from scanner.errors import InputError

REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
SHARD = re.compile(r"^([0-9]+)/([0-9]+)$")


class AccountTarget(NamedTuple):
    """One account to collect and the session that reaches it.

    ``account_id`` may be ``None``: it is then read with ``sts:GetCallerIdentity``.
    A multi-account scan (:class:`AccountSelection`) makes one target per account:
    the caller's own session for its own account, an assumed role for the others.
    """

    account_id: str | None
    session: boto3.Session


@dataclass
class CollectOptions:
    profile: str | None = None
    regions: list[str] | None = None  # None: every Region enabled for the account
    max_workers: int = 8  # units (account, Region) collected in parallel
    rate_limit: float = 10.0  # client-side requests per second per account and service
    shard: str | None = None  # "K/N": only the K-th of N slices of the units
    accounts: list[AccountTarget] | None = None  # None: the caller's own account via `profile`
    selection: AccountSelection | None = None  # multi-account: resolved at collection time

    def validate(self) -> None:
        """Raise :class:`InputError` for a value the user got wrong."""
        if not 1 <= self.max_workers <= MAX_WORKERS:
            raise InputError(
                f"--max-workers must be from 1 to {MAX_WORKERS} (got {self.max_workers})"
            )
        if not MIN_RATE_LIMIT <= self.rate_limit <= MAX_RATE_LIMIT:
            raise InputError(
                f"--rate-limit must be from {MIN_RATE_LIMIT} to {MAX_RATE_LIMIT:,} requests per "
                f"second (got {self.rate_limit})"
            )
        if self.regions is not None:
            if not self.regions:
                raise InputError("--regions names no Region")
            bad = [name for name in self.regions if not REGION_NAME.match(name)]
            if bad:
                raise InputError(
                    f"--regions: {', '.join(bad)} is not a Region name (e.g. us-east-1)"
                )
        shard_slice(self.shard)
        if self.accounts is not None and self.selection is not None:
            raise InputError("give either account targets or an account selection, not both")


# Bounds on the collection flags: a value outside them is a typo, not a wish.
MAX_WORKERS = 256
MIN_RATE_LIMIT = 0.01  # one request per 100 s
MAX_RATE_LIMIT = 10_000.0


def shard_slice(shard: str | None) -> tuple[int, int] | None:
    """``"2/4"`` → ``(2, 4)``; ``None`` → ``None``; anything else is an :class:`InputError`."""
    if shard is None:
        return None
    match = SHARD.match(shard)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise InputError(f"--shard must be K/N with 1 <= K <= N (got {shard!r})")
    return int(match.group(1)), int(match.group(2))
