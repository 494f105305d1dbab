"""Fixtures for collector tests: in-process moto, a loopback moto server, the DLM stand-in,
and Stubber-backed units (``ctx``, ``stub``) in the test module's ``ACCOUNT`` and ``REGION``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from scanner.collect.context import UnitContext
from scanner.collect.session import ClientFactory
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


@pytest.fixture
def ctx(request: pytest.FixtureRequest) -> UnitContext:
    """A unit in the requesting module's ``ACCOUNT`` and ``REGION``, real botocore clients."""
    factory = ClientFactory(boto3.Session(), rate_limit=1000.0)
    module = request.module
    return UnitContext(module.ACCOUNT, module.REGION, "aws", factory.client)


@pytest.fixture
def stub(ctx: UnitContext) -> Iterator[Callable[[str], Stubber]]:
    """``stub("ec2")``: a Stubber on the unit's client; every queued response must be used."""
    stubbers: list[Stubber] = []

    def for_service(service: str) -> Stubber:
        stubber = Stubber(ctx.client(service))
        stubber.activate()
        stubbers.append(stubber)
        return stubber

    yield for_service
    for stubber in stubbers:
        stubber.assert_no_pending_responses()
        stubber.deactivate()
