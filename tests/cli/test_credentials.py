"""No credentials or an expired IAM Identity Center session: one line with the fix, exit 2,
no report files (botocore's real credential chain, no network)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SSO_CONFIG = """\
[profile prod-audit]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = us-east-1
"""


def scan_without_credentials(home: Path, *flags: str, env: dict[str, str] | None = None):
    """``stormproof scan`` with only what the test gives it: no keys, no IMDS, no real files."""
    base = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return subprocess.run(
        [sys.executable, "-m", "scanner", "scan", "--regions", "us-east-1", *flags],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
        env={**base, **(env or {})},
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "config").write_text(SSO_CONFIG)
    return tmp_path


def expire_sso_tokens(home: Path) -> None:
    """Cached tokens whose ``expiresAt`` is past, where the AWS CLI's `sso login` leaves them."""
    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    for key in ("corp", "https://example.awsapps.com/start"):
        token = {
            "startUrl": "https://example.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "expired",
            "expiresAt": "2020-01-01T00:00:00Z",
        }
        (cache / f"{hashlib.sha1(key.encode()).hexdigest()}.json").write_text(json.dumps(token))


def assert_one_line_and_no_files(result: subprocess.CompletedProcess, home: Path) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (home / "stormproof-out").exists()
    return result.stderr


def test_no_credentials_at_all(home: Path):
    err = assert_one_line_and_no_files(scan_without_credentials(home), home)
    assert err.startswith("stormproof: no AWS credentials found in the default credential chain")
    assert "aws sso login --profile NAME" in err and "AWS_PROFILE" in err


@pytest.mark.parametrize("profile", ["prod-audit", "legacy"])
@pytest.mark.parametrize("expired", [False, True], ids=["never-logged-in", "expired"])
def test_an_sso_profile_without_a_valid_session(home: Path, profile: str, expired: bool):
    if expired:
        expire_sso_tokens(home)
    err = assert_one_line_and_no_files(scan_without_credentials(home, "--profile", profile), home)
    assert f"SSO) session for profile {profile} is expired or missing" in err
    assert f"run `aws sso login --profile {profile}`" in err


def test_aws_profile_names_the_profile_in_the_fix(home: Path):
    result = scan_without_credentials(home, env={"AWS_PROFILE": "prod-audit"})
    err = assert_one_line_and_no_files(result, home)
    assert "run `aws sso login --profile prod-audit`" in err
