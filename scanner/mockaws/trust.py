"""Make moto's ``sts:AssumeRole`` honour roles' trust policies, as AWS does.

moto lets anyone assume any role ARN, even one that does not exist. A
multi-account test needs AWS's answer for a role that is missing, does not trust
the caller's account, or wants another external id: ``AccessDenied`` (HTTP 403),
"User: … is not authorized to perform: sts:AssumeRole on resource: …". While
:func:`enforce_role_trust` is active, AssumeRole succeeds only if the role exists
in the target account's IAM and a trust statement allows ``sts:AssumeRole`` to the
caller's account (``"*"``, the account id, its ``root`` ARN, or an ARN in it),
with a matching ``sts:ExternalId`` when the statement asks for one. The patch is
process-wide: in-process ``mock_aws`` and a ``ThreadedMotoServer`` in this process
both honour it. Everything else about AssumeRole is moto's.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.iam.models import iam_backends
from moto.sts.responses import TokenResponse

_LOCK = threading.Lock()
_ACTIVE = [0]
_ORIGINAL_ASSUME_ROLE = TokenResponse.assume_role


class _AccessDenied(ServiceException):
    def __init__(self, message: str) -> None:
        super().__init__("AccessDenied", message)


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _trusts(document: dict[str, Any], caller: str, partition: str, external_id: str | None) -> bool:
    for statement in _listify(document.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        if not {"sts:AssumeRole", "sts:*", "*"} & set(_listify(statement.get("Action", []))):
            continue
        principal = statement.get("Principal", {})
        principals = ["*"] if principal == "*" else _listify(principal.get("AWS", []))
        if not any(
            p in ("*", caller, f"arn:{partition}:iam::{caller}:root")
            or str(p).startswith(f"arn:{partition}:iam::{caller}:")
            for p in principals
        ):
            continue
        wanted = statement.get("Condition", {}).get("StringEquals", {}).get("sts:ExternalId")
        if wanted is not None and external_id not in _listify(wanted):
            continue
        return True
    return False


def _refusal(response: TokenResponse, role_arn: str) -> str | None:
    """Why AWS would refuse this AssumeRole, or ``None`` if it would allow it."""
    caller, partition = response.current_account, response.partition
    parts = role_arn.split(":")
    if len(parts) < 6 or parts[2] != "iam":
        return None  # moto's own validation answers malformed ARNs
    target = parts[4]
    refused = (
        f"User: arn:{partition}:sts::{caller}:user/moto is not authorized to "
        f"perform: sts:AssumeRole on resource: {role_arn}"
    )
    try:
        role = iam_backends[target][partition].get_role_by_arn(role_arn)
    except Exception:
        return refused
    policy = role.assume_role_policy_document
    try:
        document = json.loads(policy if policy.lstrip().startswith("{") else unquote(policy))
    except (ValueError, AttributeError):
        return refused
    if not _trusts(document, caller, partition, response._get_param("ExternalId")):
        return refused
    return None


def _assume_role(self: TokenResponse) -> Any:
    refusal = _refusal(self, self._get_param("RoleArn") or "")
    if refusal is None:
        return _ORIGINAL_ASSUME_ROLE(self)
    with warnings.catch_warnings():
        # AccessDenied is a common AWS error, in no service model.
        warnings.filterwarnings("ignore", message=".*does not match an error shape")
        _, headers, body = self.serialized(ActionResult(_AccessDenied(refusal)))
    headers["status"] = "403"
    return 403, headers, body


@contextmanager
def enforce_role_trust() -> Iterator[None]:
    """Within the block, AssumeRole needs an existing role whose trust policy allows the caller."""
    with _LOCK:
        _ACTIVE[0] += 1
        TokenResponse.assume_role = _assume_role  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _LOCK:
            _ACTIVE[0] -= 1
            if not _ACTIVE[0]:
                TokenResponse.assume_role = _ORIGINAL_ASSUME_ROLE  # type: ignore[method-assign]
