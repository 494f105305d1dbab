"""Suite-wide hygiene: no test can reach a real AWS account or read the developer's credentials."""

from __future__ import annotations

import pytest

_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
    "NO_COLOR": "1",
}
_CLEARED = ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DLM", "AWS_ROLE_ARN")


@pytest.fixture(autouse=True)
def _offline_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in _FAKE_ENV.items():
        monkeypatch.setenv(name, value)
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
