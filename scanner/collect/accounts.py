"""Which accounts a multi-account scan covers: an explicit list, a file, or the Organization.

The choice is made from flags and files before any AWS call (a typo is exit 2 in a
second); the Organization's member list is read at collection time with
``organizations:ListAccounts`` (paginated, ACTIVE accounts only), from the
management account or a delegated administrator. A listing that fails becomes an
error entry: the scan then covers only the caller's own account and says so.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from scanner.collect.context import UnitContext
from scanner.errors import InputError, Location
from scanner.userfiles import read_user_text

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
# IAM role names may carry a path ("audit/stormproof"); characters from IAM's naming rules.
ROLE_NAME = re.compile(r"^[\w+=,.@-]+(/[\w+=,.@-]+)*$")
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
ACTIVE = "ACTIVE"


@dataclass(frozen=True)
class RoleToAssume:
    """The role stormproof assumes in every account other than the caller's own."""

    name: str
    external_id: str | None = None
    session_name: str = "stormproof"

    def arn(self, partition: str, account: str) -> str:
        return f"arn:{partition}:iam::{account}:role/{self.name}"


@dataclass(frozen=True)
class AccountSelection:
    """Accounts to scan: ``account_ids`` (explicit) or the whole ``organization``, minus
    ``exclude``. ``role`` is needed to reach any account but the caller's own."""

    account_ids: tuple[str, ...] | None = None
    organization: bool = False
    exclude: frozenset[str] = field(default_factory=frozenset)
    role: RoleToAssume | None = None

    def select(self, listed: list[str]) -> list[str]:
        """The accounts to scan, sorted and without exclusions; ``listed`` is the Organization."""
        chosen = listed if self.organization else list(self.account_ids or ())
        return sorted(set(chosen) - self.exclude)


def parse_account_ids(values: list[str], flag: str) -> tuple[str, ...]:
    """Check each id is 12 digits; duplicates are dropped, order kept."""
    bad = [value for value in values if not ACCOUNT_ID.match(value)]
    if bad:
        raise InputError(f"{flag}: {', '.join(bad)} is not an AWS account id (12 digits)")
    if not values:
        raise InputError(f"{flag} names no account")
    return tuple(dict.fromkeys(values))


def read_accounts_file(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """One account id per line; blank lines and ``#`` comments (whole-line or trailing) ignored.

    Each problem is one :class:`InputError` naming the file, line and column.
    """
    source = str(path)
    text = read_user_text(path, "accounts file")
    ids: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0]
        value = content.strip()
        if not value:
            continue
        column = len(content) - len(content.lstrip()) + 1
        if not ACCOUNT_ID.match(value):
            shown = value if len(value) <= 40 else value[:39] + "…"
            raise InputError(
                f"{shown!r} is not an AWS account id (12 digits, one per line)",
                Location(source, number, column),
            )
        ids.append(value)
    if not ids:
        raise InputError("names no account (one 12-digit id per line)", Location(source))
    return tuple(dict.fromkeys(ids))


def role_from_flags(
    name: str | None, external_id: str | None, session_name: str | None
) -> RoleToAssume | None:
    """``--role-name`` / ``--external-id`` / ``--role-session-name``, checked."""
    if name is None:
        if external_id:
            raise InputError("--external-id needs --role-name (the role it is presented to)")
        return None
    if not ROLE_NAME.match(name) or len(name.rsplit("/", 1)[-1]) > 64:
        raise InputError(f"--role-name: {name!r} is not an IAM role name")
    session_name = session_name or "stormproof"
    if not SESSION_NAME.match(session_name):
        raise InputError(
            f"--role-session-name: {session_name!r} must be 2-64 characters of "
            "letters, digits and +=,.@_-"
        )
    if external_id is not None and not EXTERNAL_ID.match(external_id):
        raise InputError("--external-id must be 2-1224 characters of letters, digits and +=,.@:/-")
    return RoleToAssume(name, external_id, session_name)


def list_organization_accounts(ctx: UnitContext) -> list[str] | None:
    """Active member accounts of the caller's Organization; ``None`` (and an error) on failure.

    ``State`` is the current field; ``Status`` (deprecated by AWS) is read when it is absent.
    """
    accounts = ctx.pages("organizations", "ListAccounts", "Accounts")
    if accounts is None:
        return None
    return sorted(
        account["Id"]
        for account in accounts
        if (account.get("State") or account.get("Status")) == ACTIVE
    )
