"""Fixtures for collector tests: in-process moto, a loopback moto server, the DLM stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from scanner.mockaws import DlmStandIn, add_local_zones
from tests.collect.estate import WEST

# Canonical home: tests.collect.servers. Re-exported because other areas' tests import
# them from here (tests/report/test_scan_end_to_end.py).
from tests.collect.servers import (  # noqa: F401
    offline_environment,
    running_moto_server,
    subprocess_env,
)


@pytest.fixture
def local_zones() -> Iterator[None]:
    with add_local_zones(WEST):
        yield


@pytest.fixture
def moto_in_process(local_zones: None) -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def dlm_stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[DlmStandIn]:
    with DlmStandIn() as stand_in:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DLM", stand_in.endpoint_url)
        yield stand_in
