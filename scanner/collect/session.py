"""AWS sessions and clients for collection: the standard credential chain, hardened clients.

Credentials, Region and endpoints come only from boto3's standard chain, so
``AWS_PROFILE``, ``--profile``, ``AWS_ENDPOINT_URL`` and
``AWS_ENDPOINT_URL_<SERVICE>`` work exactly as they do for the AWS CLI. Every
client gets botocore's adaptive retry mode, timeouts (``STORMPROOF_CONNECT_TIMEOUT``
and ``STORMPROOF_READ_TIMEOUT`` override them), the read-only guard, a request
counter, the per-(account, service) rate limit and a check that a successful
answer carries the operation's result (:mod:`scanner.collect.response_check`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import ProfileNotFound

from scanner import __version__
from scanner.collect.calls import CallCounter
from scanner.collect.ratelimit import TokenBucket
from scanner.collect.readonly import ALLOWED_OPERATIONS, install_readonly_guard
from scanner.collect.response_check import install_response_check, install_strict_parsing
from scanner.errors import InputError

# Total attempts per request (first try included), unless AWS_MAX_ATTEMPTS / the profile's
# max_attempts says otherwise; passed as total_max_attempts, which means the same thing.
DEFAULT_MAX_ATTEMPTS = 8
CONNECT_TIMEOUT_SECONDS = 10
READ_TIMEOUT_SECONDS = 60
# Overrides, in seconds: a slow or hung endpoint costs at most timeout x attempts per call.
CONNECT_TIMEOUT_ENV = "STORMPROOF_CONNECT_TIMEOUT"
READ_TIMEOUT_ENV = "STORMPROOF_READ_TIMEOUT"


def timeout_seconds(name: str, default: float, environ: Mapping[str, str] | None = None) -> float:
    """A timeout from the environment variable ``name``, else ``default``; must be positive."""
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise InputError(f"{name} must be a positive number of seconds (got {raw!r})")
    return value


def new_session(profile: str | None) -> boto3.Session:
    """A boto3 session from the standard chain; an unknown profile is the user's error."""
    try:
        return boto3.Session(profile_name=profile) if profile else boto3.Session()
    except ProfileNotFound as exc:
        raise InputError(f"--profile: {exc}") from exc


def client_config(session: boto3.Session, max_pool_connections: int = 10) -> Config:
    """Adaptive retries (attempts from the AWS config chain if set), timeouts, a user agent."""
    configured = session._session.get_config_variable("max_attempts")
    return Config(
        retries={"mode": "adaptive", "total_max_attempts": configured or DEFAULT_MAX_ATTEMPTS},
        connect_timeout=timeout_seconds(CONNECT_TIMEOUT_ENV, CONNECT_TIMEOUT_SECONDS),
        read_timeout=timeout_seconds(READ_TIMEOUT_ENV, READ_TIMEOUT_SECONDS),
        max_pool_connections=max_pool_connections,
        user_agent_extra=f"stormproof/{__version__}",
    )


class ClientFactory:
    """Makes guarded, counted, rate-limited clients for one account's session.

    boto3 sessions are not thread-safe, so client creation is serialized; the
    clients themselves are used from one unit's thread each.
    """

    def __init__(
        self,
        session: boto3.Session,
        rate_limit: float,
        max_workers: int = 8,
        allowed: frozenset[str] = ALLOWED_OPERATIONS,
    ) -> None:
        self.session = session
        install_strict_parsing(session._session)
        self.allowed = allowed  # the caller's factory also allows CALLER_OPERATIONS
        self._config = client_config(session, max_pool_connections=max(10, max_workers))
        self._rate_limit = rate_limit
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def client(self, service: str, region: str, counter: CallCounter) -> BaseClient:
        """A client for ``service`` in ``region`` whose requests ``counter`` tallies."""
        with self._lock:
            client = self.session.client(service, region_name=region, config=self._config)
            bucket = self._buckets.setdefault(service, TokenBucket(self._rate_limit))
        install_readonly_guard(client, self.allowed)
        install_response_check(client)
        bucket.install(client)
        counter.install(client)
        return client
