"""Count the HTTP requests the collector sends, per ``service:Operation``.

The counter hangs on botocore's ``before-send`` event, which fires once per HTTP
attempt: a retried call counts once per attempt (what AWS bills and throttles),
and a call the read-only guard refused counts zero (it was never sent).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Any

from botocore.client import BaseClient

log = logging.getLogger("stormproof.collect")


class _SentTally:
    """Every request this process has sent, for the live progress display."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self._count += 1

    @property
    def count(self) -> int:
        return self._count


SENT = _SentTally()


class CallCounter:
    """Thread-safe tally of requests sent; one per unit, plus one for account-level calls."""

    def __init__(self, label: str = "") -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._label = label

    def record(self, service: str, operation: str) -> None:
        with self._lock:
            self._counts[f"{service}:{operation}"] += 1
        SENT.add()
        log.debug("%s %s:%s", self._label, service, operation)

    def as_dict(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))

    def install(self, client: BaseClient) -> None:
        """Count every request this client sends."""
        service = client.meta.service_model.service_name

        def count(event_name: str = "", **_: Any) -> None:
            self.record(service, event_name.rsplit(".", 1)[-1])

        client.meta.events.register("before-send", count, unique_id="stormproof-call-counter")


def merge_counts(*counts: dict[str, int]) -> dict[str, int]:
    """Sum several ``api_calls`` maps (units into the snapshot total)."""
    total: Counter[str] = Counter()
    for count in counts:
        total.update(count)
    return dict(sorted(total.items()))
