"""Make moto refuse a service in one Region, the way AWS refuses a caller without permission.

moto allows everything unless IAM enforcement is configured account-wide; tests
of partial failure need "EC2 denied in us-east-1, everything else fine". While
:func:`deny_service` is active, every matching request gets AWS's error
(default: EC2's ``UnauthorizedOperation``, HTTP 403) rendered by moto's own
serializer in the service's protocol, so botocore parses a genuine error
response. The patch is process-wide: in-process ``mock_aws`` and a
``ThreadedMotoServer`` in this process both honour it.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

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
