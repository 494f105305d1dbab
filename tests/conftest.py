"""Suite-wide hygiene: no test can reach a real AWS account or read the developer's credentials."""

from __future__ import annotations

import pytest

from tests.offline import apply_offline_environment


@pytest.fixture(autouse=True)
def _offline_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_offline_environment(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
