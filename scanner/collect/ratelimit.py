"""A client-side request budget per (account, service), shared by every Region's unit.

botocore's adaptive retry mode backs off once AWS throttles; this token bucket
keeps a wide parallel collection from provoking throttling in the first place.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from botocore.client import BaseClient


class TokenBucket:
    """``rate`` requests per second on average, with bursts up to ``rate`` (at least one)."""

    def __init__(self, rate: float, clock: Any = time.monotonic, sleep: Any = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, waiting if needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return waited
                delay = (1.0 - self._tokens) / self.rate
            self._sleep(delay)
            waited += delay

    def install(self, client: BaseClient) -> None:
        """Make every request this client sends take a token first."""

        def throttle(**_: Any) -> None:
            self.acquire()

        client.meta.events.register("before-send", throttle, unique_id="stormproof-rate-limit")
