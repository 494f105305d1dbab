"""Failures AWS produces and moto does not: a denied service, throttling, 5xx storms, bad tokens.

- :func:`deny_service` makes moto refuse a service in one Region, the way AWS
  refuses a caller without permission. moto allows everything unless IAM
  enforcement is configured account-wide; tests of partial failure need "EC2
  denied in us-east-1, everything else fine". While it is active, every
  matching request gets AWS's error (default: EC2's ``UnauthorizedOperation``,
  HTTP 403) rendered by moto's own serializer in the service's protocol, so
  botocore parses a genuine error response. The patch is process-wide:
  in-process ``mock_aws`` and a ``ThreadedMotoServer`` in this process both
  honour it.
- :func:`inject_errors` is a botocore ``before-send`` hook that answers a
  seeded fraction of requests with an AWS error (``RequestLimitExceeded``,
  ``Throttling``, HTTP 503, ``ExpiredToken``, ...) before they leave the
  process, in the wire format of the service's protocol, so botocore's own
  retry logic and error parsing handle it exactly as they would AWS's. It
  reaches every botocore session created while it is active, as moto's own
  in-process mock does, so it works against ``mock_aws``, a moto server and
  the DLM stand-in alike (in this process only).
- :func:`quick_retries` shrinks botocore's retry backoff and raises the floor of
  adaptive mode's client-side send rate (0.5 requests per second after a
  throttle), so a test that throttles many requests runs in a second; botocore
  still decides what to retry, how often, and when to slow down.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import warnings
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

import botocore.handlers
import botocore.session
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.retries import bucket as retry_bucket
from botocore.retries.standard import ExponentialBackoff
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse

_LOCK = threading.Lock()
_RULES: list[_Denial] = []
_ORIGINAL_CALL_ACTION = BaseResponse.call_action


@dataclass(frozen=True)
class _Denial:
    service: str
    region: str | None
    code: str
    message: str
    status: int


class _Denied(ServiceException):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def _call_action(self: BaseResponse) -> Any:
    with _LOCK:
        rule = next(
            (
                r
                for r in _RULES
                if r.service == self.boto3_service_name and r.region in (None, self.region)
            ),
            None,
        )
    if rule is None:
        return _ORIGINAL_CALL_ACTION(self)
    with warnings.catch_warnings():
        # AWS's common errors (AccessDenied, UnauthorizedOperation, …) are in no service model.
        warnings.filterwarnings("ignore", message=".*does not match an error shape")
        _, headers, body = self.serialized(ActionResult(_Denied(rule.code, rule.message)))
    headers["status"] = str(rule.status)
    return rule.status, headers, body


@contextmanager
def deny_service(
    service: str,
    region: str | None = None,
    *,
    code: str = "UnauthorizedOperation",
    message: str = "You are not authorized to perform this operation.",
    status: int = 403,
) -> Iterator[None]:
    """Within the block, moto answers every ``service`` request in ``region`` with an error."""
    rule = _Denial(service, region, code, message, status)
    with _LOCK:
        _RULES.append(rule)
        BaseResponse.call_action = _call_action  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _LOCK:
            _RULES.remove(rule)
            if not _RULES:
                BaseResponse.call_action = _ORIGINAL_CALL_ACTION  # type: ignore[method-assign]


THROTTLING, EC2_THROTTLING = "Throttling", "RequestLimitExceeded"


@dataclass
class InjectedFaults:
    """What :func:`inject_errors` did: one ``(service, operation, attempt)`` per answer it made."""

    code: str
    status: int
    injected: list[tuple[str, str, int]] = field(default_factory=list)
    active: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def operations(self) -> set[tuple[str, str]]:
        with self._lock:
            return {(service, operation) for service, operation, _ in self.injected}

    def count(self) -> int:
        with self._lock:
            return len(self.injected)


class _RawBody(BytesIO):
    """The ``raw`` botocore reads a response body from (``stream()``)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        chunk = self.read()
        while chunk:
            yield chunk
            chunk = self.read()


def _service_ids(services: Collection[str] | None) -> frozenset[str] | None:
    """botocore service names (``elbv2``) -> the ids event names carry (``elastic-load-...``)."""
    if services is None:
        return None
    session = botocore.session.get_session()
    return frozenset(session.get_service_model(name).service_id.hyphenize() for name in services)


def _attempt(request: AWSPreparedRequest) -> int:
    """The attempt number botocore sends in ``amz-sdk-request: attempt=N; max=M``."""
    header = request.headers.get("amz-sdk-request") or b""
    text = header.decode() if isinstance(header, bytes) else str(header)
    for part in text.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "attempt" and value.isdigit():
            return int(value)
    return 1


_SCOPE_REGION = re.compile(r"Credential=[^/,]+/[0-9]{8}/([a-z0-9-]+)/")


def _region(request: AWSPreparedRequest) -> str:
    """The Region of a SigV4-signed request, from its credential scope."""
    header = request.headers.get("Authorization") or b""
    text = header.decode() if isinstance(header, bytes) else str(header)
    match = _SCOPE_REGION.search(text)
    return match.group(1) if match else ""


def _error_response(
    request: AWSPreparedRequest, service_id: str, code: str, message: str, status: int
) -> AWSResponse:
    """AWS's error answer in the request's protocol: EC2 XML, Query XML, or JSON."""
    request_id = "00000000-0000-4000-8000-000000000000"
    content_type = str(request.headers.get("Content-Type") or "")
    if "x-www-form-urlencoded" in content_type and service_id == "ec2":
        body = (
            f"<Response><Errors><Error><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        headers = {"Content-Type": "text/xml;charset=UTF-8"}
    elif "x-www-form-urlencoded" in content_type:
        kind = "Receiver" if status >= 500 else "Sender"
        body = (
            f"<ErrorResponse><Error><Type>{kind}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        headers = {"Content-Type": "text/xml"}
    else:
        body = json.dumps({"__type": code, "message": message})
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": code}
    headers["x-amzn-RequestId"] = request_id
    return AWSResponse(request.url, status, headers, _RawBody(body.encode()))


@contextmanager
def inject_errors(
    code: str = THROTTLING,
    *,
    status: int = 400,
    fraction: float = 1.0,
    seed: int = 0,
    services: Collection[str] | None = None,
    operations: Collection[str] | None = None,
    message: str = "Rate exceeded",
    max_per_request: int | None = None,
) -> Iterator[InjectedFaults]:
    """Answer a ``fraction`` of matching requests with ``code`` and ``status``, unsent.

    Whether a request fails is a function of ``seed``, the request's Region,
    service and operation, its ordinal among that operation's requests in that
    Region, and its attempt number: never of resource ids (moto makes random ones)
    or thread timing, so a parallel collection sees the same faults on every run.
    ``services`` are botocore names (``elbv2``); ``operations`` are API names
    (``DescribeInstances``); ``None`` matches all.
    ``code="Throttling"`` throttles the way AWS does: EC2 answers
    ``RequestLimitExceeded``, the Query services ``Throttling``.
    ``status=503, code="ServiceUnavailable"`` is a 5xx storm;
    ``code="ExpiredToken"`` is an expired session. ``max_per_request`` spares the
    attempts after the first N of each request, so a test can be sure retries win.
    """
    faults = InjectedFaults(code, status)
    ordinals: dict[tuple[str, str, str], int] = {}  # first attempts seen, per operation
    wanted_services = _service_ids(services)
    wanted_operations = frozenset(operations) if operations is not None else None

    def hook(request: AWSPreparedRequest, event_name: str = "", **_: Any) -> AWSResponse | None:
        if not faults.active:
            return None  # a session made while active keeps the hook; it goes quiet after
        _, service_id, operation = [*event_name.split("."), "", ""][:3]
        if wanted_services is not None and service_id not in wanted_services:
            return None
        if wanted_operations is not None and operation not in wanted_operations:
            return None
        attempt = _attempt(request)
        if max_per_request is not None and attempt > max_per_request:
            return None
        key = (_region(request), service_id, operation)
        with faults._lock:
            if attempt == 1:
                ordinals[key] = ordinals.get(key, -1) + 1
            ordinal = ordinals.get(key, 0)
        digest = hashlib.sha256(f"{seed}|{key}|{ordinal}|{attempt}".encode()).digest()
        if random.Random(digest).random() >= fraction:
            return None
        with faults._lock:
            faults.injected.append((service_id, operation, attempt))
        reply = EC2_THROTTLING if code == THROTTLING and service_id == "ec2" else code
        return _error_response(request, service_id, reply, message, status)

    handler = ("before-send", hook)
    # First, so it answers before moto's in-process stub (which is also a before-send hook).
    botocore.handlers.BUILTIN_HANDLERS.insert(0, handler)
    try:
        yield faults
    finally:
        faults.active = False
        botocore.handlers.BUILTIN_HANDLERS.remove(handler)


@contextmanager
def quick_retries(scale: float = 0.001) -> Iterator[None]:
    """Retry delays times ``scale``, adaptive mode's floor rate divided by it, for clients made now.

    What is retried, how many times, and when adaptive mode slows down stay
    botocore's decisions; only how long it waits shrinks.
    """
    original_delay = ExponentialBackoff.delay_amount
    original_bucket = retry_bucket.TokenBucket

    def scaled_delay(self: ExponentialBackoff, context: Any) -> float:
        return original_delay(self, context) * scale

    class _QuickBucket(original_bucket):  # type: ignore[misc, valid-type]
        def __init__(self, max_rate: float, clock: Any, min_rate: float = 0.5) -> None:
            super().__init__(max_rate, clock, min_rate=min_rate / scale)

    ExponentialBackoff.delay_amount = scaled_delay  # type: ignore[method-assign]
    retry_bucket.TokenBucket = _QuickBucket  # type: ignore[misc]
    try:
        yield
    finally:
        ExponentialBackoff.delay_amount = original_delay  # type: ignore[method-assign]
        retry_bucket.TokenBucket = original_bucket  # type: ignore[misc]
