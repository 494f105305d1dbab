"""The fake, offline AWS environment every test runs in: no real account, no real credentials."""

from __future__ import annotations

import pytest

OFFLINE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}
CLEARED_ENV = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DLM", "AWS_ROLE_ARN")


def apply_offline_environment(patch: pytest.MonkeyPatch) -> None:
    """Set the fake credentials and settings, and drop anything that could reach real AWS."""
    for name, value in OFFLINE_ENV.items():
        patch.setenv(name, value)
    for name in CLEARED_ENV:
        patch.delenv(name, raising=False)
