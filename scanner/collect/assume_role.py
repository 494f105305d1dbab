"""Reach each account of a multi-account scan: its own credentials, or the scan role via STS.

The caller's own account is scanned with the caller's credentials (no role to
assume). Every other account is reached with ``sts:AssumeRole`` into
``--role-name`` (with ``--external-id`` and ``--role-session-name`` when given),
through the caller's guarded, counted, rate-limited STS client. The credentials
refresh themselves with the same call before they expire, so an organization scan
longer than the role's session still works. A role that cannot be assumed (not
trusted, missing, blocked by an SCP, throttled) becomes that account's error entry
(service ``sts``, operation ``AssumeRole``) and the other accounts carry on.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
import botocore.session
from botocore.client import BaseClient
from botocore.credentials import RefreshableCredentials

from scanner.collect.accounts import RoleToAssume
from scanner.collect.failures import AWS_FAILURES, error_entry
from scanner.collect.options import AccountTarget

SESSION_SECONDS = 3600  # the default maximum session of an IAM role; refreshed before expiry


class AccountReacher:
    """Turns account ids into :class:`AccountTarget` sessions, recording failures."""

    def __init__(
        self,
        caller_session: boto3.Session,
        caller_account: str | None,
        partition: str,
        region: str,
        sts: BaseClient,
        role: RoleToAssume | None,
        errors: list[dict[str, Any]],
        profile: str | None = None,
    ) -> None:
        self.caller_session = caller_session
        self.caller_account = caller_account
        self.partition = partition
        self.region = region
        self.sts = sts
        self.role = role
        self.errors = errors
        self.profile = profile
        self._lock = threading.Lock()

    def reach(self, account: str) -> AccountTarget | None:
        """The session for ``account``; ``None`` after recording why it cannot be reached."""
        if account == self.caller_account:
            return AccountTarget(account, self.caller_session)
        if self.role is None:
            # Unreachable by construction: the command requires --role-name for other accounts.
            raise ValueError(f"no role to assume in account {account}")
        try:
            return AccountTarget(account, self._assumed_session(account, self.role))
        except AWS_FAILURES as exc:
            with self._lock:
                self.errors.append(error_entry(account, self.region, "sts", "AssumeRole", exc))
            return None

    def _assumed_session(self, account: str, role: RoleToAssume) -> boto3.Session:
        role_arn = role.arn(self.partition, account)
        params: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": role.session_name,
            "DurationSeconds": SESSION_SECONDS,
        }
        if role.external_id:
            params["ExternalId"] = role.external_id

        def fetch() -> dict[str, str]:
            credentials = self.sts.assume_role(**params)["Credentials"]
            return {
                "access_key": credentials["AccessKeyId"],
                "secret_key": credentials["SecretAccessKey"],
                "token": credentials["SessionToken"],
                "expiry_time": credentials["Expiration"].isoformat(),
            }

        refreshable = RefreshableCredentials.create_from_metadata(
            fetch(), refresh_using=fetch, method="sts-assume-role"
        )
        core = botocore.session.Session(profile=self.profile)
        # Share the caller's loader: its cache holds the parsed service models (tens of MiB for
        # EC2), which every account's session would otherwise load again.
        core.register_component(
            "data_loader", self.caller_session._session.get_component("data_loader")
        )
        # botocore has no public setter for ready-made refreshable credentials; assigning
        # `_credentials` is the long-standing idiom for it.
        core._credentials = refreshable
        core.set_config_variable("region", self.region)
        return boto3.Session(botocore_session=core)
