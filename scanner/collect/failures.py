"""Turn a failed AWS call into a snapshot error entry: never a silent gap, never a credential.

AccessDenied, throttling past retries, a Region that is not enabled, a missing
endpoint, HTTP 5xx and timeouts all end up here as one
``{account, region, service, operation, code, message}`` record.
"""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from scanner.collect.response_check import MISSING_RESULT_CODE, MissingResultError

# A message quoting a whole response body (an HTML page) is cut: it is evidence, not content.
MAX_MESSAGE_CHARS = 500

# Access key ids and anything shaped like a secret key never reach the snapshot or logs.
_ACCESS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")
# A secret access key: 40 characters of base64, random, so it mixes upper case, lower
# case and digits. Resource paths of that length (``targetgroup/web/0123…``) do not.
_SECRET_LIKE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])")
_ARN = re.compile(r"\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:[0-9]*:[^\s\"'`,;()<>\[\]{}]+")


def _secret_or_kept(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = (
        any(c.isupper() for c in run)
        and any(c.islower() for c in run)
        and any(c.isdigit() for c in run)
    )
    return "[redacted]" if mixed else run


def _scrub_outside_arns(text: str) -> str:
    return _SECRET_LIKE.sub(_secret_or_kept, _ACCESS_KEY_ID.sub("[redacted]", text))


def scrub(text: str) -> str:
    """Remove anything that looks like an AWS credential from a message.

    ARNs and resource ids are kept whole: an error message naming the resource
    it failed on is what makes it actionable, and an ARN is not a secret.
    """
    kept, start = [], 0
    for arn in _ARN.finditer(text):
        kept.append(_scrub_outside_arns(text[start : arn.start()]))
        kept.append(_ACCESS_KEY_ID.sub("[redacted]", arn.group(0)))
        start = arn.end()
    kept.append(_scrub_outside_arns(text[start:]))
    return "".join(kept)


def error_code(exc: BaseException) -> str:
    """AWS's error code for a ClientError; otherwise a stable name for the failure kind."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code")
        if code:
            return str(code)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"HTTP{status}" if status else "ClientError"
    if isinstance(exc, MissingResultError | ResponseParserError):
        return MISSING_RESULT_CODE
    if isinstance(exc, EndpointConnectionError):
        return "EndpointConnectionError"
    if isinstance(exc, ReadTimeoutError):
        return "ReadTimeout"
    if isinstance(exc, ConnectionError):
        return "ConnectionError"
    if isinstance(exc, NoCredentialsError):
        return "NoCredentials"
    return type(exc).__name__


def error_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        message = error.get("Message") or str(exc)
        if status and status >= 500:
            message = f"{message} (HTTP {status})"
        return _cut(scrub(" ".join(str(message).split())))
    return _cut(scrub(" ".join(str(exc).split()) or type(exc).__name__))


def _cut(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE_CHARS else message[: MAX_MESSAGE_CHARS - 1] + "…"


def error_entry(
    account: str | None,
    region: str | None,
    service: str,
    operation: str,
    exc: BaseException,
    resource: str | None = None,
) -> dict[str, Any]:
    """The snapshot's record of one failed call; ``resource``: the one ARN it would describe."""
    entry = {
        "account": account,
        "region": region,
        "service": service,
        "operation": operation,
        "code": error_code(exc),
        "message": error_message(exc),
    }
    if resource is not None:
        entry["resource"] = resource
    return entry


# What a call may fail with, without it being a bug in stormproof.
# ResponseParserError (a body that is not XML or JSON at all) is not a BotoCoreError.
AWS_FAILURES: tuple[type[BaseException], ...] = (BotoCoreError, ClientError, ResponseParserError)
