"""No usable credentials is the user's problem to fix, not a scan of "0 accounts".

Before any request, the caller's credentials are resolved through boto3's
standard chain (which is where an expired IAM Identity Center session shows
up); after the caller's ``sts:GetCallerIdentity``, a credential error code ends
the run too. Either way the user gets one line with the command that fixes it
and exit code 2, and no report file is written.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.exceptions import (
    BotoCoreError,
    CredentialRetrievalError,
    NoCredentialsError,
    PartialCredentialsError,
    SSOError,
    TokenRetrievalError,
)

from scanner.errors import InputError

# STS error codes that mean "these credentials are not valid", not "this call is denied".
# https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
CREDENTIAL_ERROR_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "RequestExpired",
        "NoCredentials",
    }
)


def _profile(profile: str | None) -> str | None:
    return profile or os.environ.get("AWS_PROFILE") or None


def _login_hint(profile: str | None) -> str:
    if profile:
        return (
            f"run `aws sso login --profile {profile}` (IAM Identity Center) or refresh the "
            f"profile's credentials, then retry"
        )
    return (
        "run `aws sso login --profile NAME` (IAM Identity Center) or `aws configure`, then pass "
        "--profile NAME or set AWS_PROFILE"
    )


def check_credentials(session: boto3.Session, profile: str | None) -> None:
    """Resolve the caller's credentials now; raise :class:`InputError` with the fix if none."""
    profile = _profile(profile)
    where = f"profile {profile}" if profile else "the default credential chain"
    try:
        credentials = session.get_credentials()
        if credentials is not None:
            credentials.get_frozen_credentials()
    except (SSOError, TokenRetrievalError) as exc:
        raise InputError(
            f"the IAM Identity Center (SSO) session for {where} is expired or missing "
            f"({type(exc).__name__}); {_login_hint(profile)}"
        ) from exc
    except (NoCredentialsError, PartialCredentialsError, CredentialRetrievalError) as exc:
        raise InputError(
            f"no usable AWS credentials in {where} ({exc}); {_login_hint(profile)}"
        ) from exc
    except BotoCoreError as exc:
        raise InputError(
            f"cannot load AWS credentials from {where}: {exc}; {_login_hint(profile)}"
        ) from exc
    if credentials is None:
        raise InputError(f"no AWS credentials found in {where}; {_login_hint(profile)}")


def raise_if_caller_rejected(errors: list[dict[str, Any]], profile: str | None) -> None:
    """The caller's own identity call failed because its credentials are not valid: stop."""
    for error in errors:
        if (
            error["account"] is None
            and (error["service"], error["operation"]) == ("sts", "GetCallerIdentity")
            and error["code"] in CREDENTIAL_ERROR_CODES
        ):
            raise InputError(
                f"AWS rejected the credentials ({error['code']} from sts:GetCallerIdentity: "
                f"{error['message']}); {_login_hint(_profile(profile))}"
            )
