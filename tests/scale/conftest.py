"""Fixtures for scale tests: in-process moto with several accounts, role trust enforced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from scanner.mockaws import DlmStandIn, enforce_role_trust
from tests.scale.accounts_estate import Seeded, seed_accounts


@pytest.fixture
def dlm_stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[DlmStandIn]:
    with DlmStandIn() as stand_in:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DLM", stand_in.endpoint_url)
        yield stand_in


@pytest.fixture
def accounts(dlm_stand_in: DlmStandIn) -> Iterator[Seeded]:
    """Caller 123456789012 plus three members (one whose role does not trust the caller)."""
    with mock_aws():
        seeded = seed_accounts()
        with enforce_role_trust():
            yield seeded
