"""What one service module needs to observe one (account, Region): clients, calls, errors.

Every AWS call of a unit goes through :meth:`UnitContext.call` or
:meth:`UnitContext.pages`: a failure becomes an error entry and the caller gets
``None``, so a module skips what it could not see and carries on with the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name
from botocore.client import BaseClient

from scanner.collect.calls import CallCounter
from scanner.collect.failures import AWS_FAILURES, error_entry
from scanner.collect.limits import PAGE_SIZES
from scanner.collect.normalize import make_arn

log = logging.getLogger("stormproof.collect")

ClientMaker = Callable[[str, str, CallCounter], BaseClient]


@dataclass
class UnitContext:
    """One (account, Region) unit: its identity, its clients, its call tally and its errors."""

    account: str | None  # None only for account-level calls before the account is known
    region: str
    partition: str
    make_client: ClientMaker
    counter: CallCounter = field(default_factory=CallCounter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    _clients: dict[str, BaseClient] = field(default_factory=dict)

    def client(self, service: str) -> BaseClient:
        if service not in self._clients:
            self._clients[service] = self.make_client(service, self.region, self.counter)
        return self._clients[service]

    def record_error(
        self, service: str, operation: str, exc: BaseException, resource: str | None = None
    ) -> None:
        entry = error_entry(self.account, self.region, service, operation, exc, resource)
        self.errors.append(entry)
        log.info(
            "%s %s: %s:%s failed: %s: %s",
            self.account,
            self.region,
            service,
            operation,
            entry["code"],
            entry["message"],
        )

    def record_empty(self, service: str, operation: str, what: str) -> None:
        """An answer that cannot be true (no Regions, no zones): an error entry, not "none"."""
        self.errors.append(
            {
                "account": self.account,
                "region": self.region,
                "service": service,
                "operation": operation,
                "code": "EmptyResponse",
                "message": f"{operation} answered with {what}, which AWS never does; "
                "treated as a failed call",
            }
        )
        log.info(
            "%s %s: %s:%s answered with %s", self.account, self.region, service, operation, what
        )

    def call(
        self, service: str, operation: str, *, resource: str | None = None, **params: Any
    ) -> dict[str, Any] | None:
        """One request; ``None`` (and an error entry) if it failed.

        ``resource`` is the ARN of the one resource a detail call describes: its
        error entry names it, so only that resource's facts become unknown.
        """
        client = self.client(service)
        method = getattr(client, xform_name(operation))
        try:
            return method(**params)
        except AWS_FAILURES as exc:
            self.record_error(service, operation, exc, resource)
            return None

    def pages(
        self, service: str, operation: str, result_key: str, **params: Any
    ) -> list[Any] | None:
        """Every item of a paginated listing; ``None`` if any page failed (no partial list).

        Pages are as large as the API allows (:data:`~scanner.collect.limits.PAGE_SIZES`).
        """
        client = self.client(service)
        paginator = client.get_paginator(xform_name(operation))
        limit = PAGE_SIZES.get(f"{service}:{operation}")
        if limit:
            params["PaginationConfig"] = {"PageSize": limit[1]}
        items: list[Any] = []
        try:
            for page in paginator.paginate(**params):
                items.extend(page.get(result_key, []))
        except AWS_FAILURES as exc:
            self.record_error(service, operation, exc)
            return None
        return items

    def arn(self, service: str, resource: str, *, with_account: bool = True) -> str:
        account = self.account if with_account else ""
        return make_arn(self.partition, service, self.region, account, resource)

    def base(self, resource_id: str, arn: str, tags: dict[str, str]) -> dict[str, Any]:
        """The fields every resource record starts with."""
        return {
            "id": resource_id,
            "arn": arn,
            "account": self.account,
            "region": self.region,
            "tags": tags,
        }
