"""Suite-wide hygiene: no test can reach a real AWS account or read the developer's credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.offline import apply_offline_environment


@pytest.fixture(autouse=True)
def _offline_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_offline_environment(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(autouse=True, scope="session")
def _moto_serves_aws_backup() -> Iterator[None]:
    """moto lacks most of AWS Backup; every moto the suite starts gets the stand-in."""
    from scanner.mockaws.backup import fill_backup_gaps

    with fill_backup_gaps():
        yield
