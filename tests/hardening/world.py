"""The seeded test estate in moto, and how to compare what two collections saw.

Collection-fault tests run the real collector against the shared estate of
``tests/collect/estate.py``: moto in process (fast) or a ``ThreadedMotoServer``
on 127.0.0.1, plus the DLM stand-in. Faults come from ``scanner.mockaws`` only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moto import mock_aws

from scanner.collect import CollectOptions, collect_snapshot
from scanner.mockaws import DlmStandIn, add_local_zones
from tests.collect.estate import EAST, WEST, Estate, plain_clients, seed_estate
from tests.collect.servers import offline_environment, running_moto_server

REGIONS = [WEST, EAST]


@dataclass
class World:
    estate: Estate
    dlm: DlmStandIn
    moto_url: str | None  # None: moto in process


@contextmanager
def seeded_world(*, server: bool = False) -> Iterator[World]:
    """The two-Region estate, in process or behind a loopback moto server."""
    with ExitStack() as stack:
        patch = stack.enter_context(offline_environment())
        stack.enter_context(add_local_zones(WEST))
        url = stack.enter_context(running_moto_server()) if server else None
        if url is None:
            stack.enter_context(mock_aws())
        dlm = stack.enter_context(DlmStandIn())
        estate = seed_estate(plain_clients(url), dlm)
        patch.setenv("AWS_ENDPOINT_URL_DLM", dlm.endpoint_url)
        if url is not None:
            patch.setenv("AWS_ENDPOINT_URL", url)
        yield World(estate, dlm, url)


def point_at(world: World, monkeypatch: Any) -> None:
    """Per test: the suite's offline environment clears the endpoint variables each time."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_DLM", world.dlm.endpoint_url)
    if world.moto_url is not None:
        monkeypatch.setenv("AWS_ENDPOINT_URL", world.moto_url)


def collect(**overrides: Any) -> dict[str, Any]:
    """The real collector over both Regions (no client-side rate limit to wait for)."""
    options = CollectOptions(regions=list(REGIONS), rate_limit=1000.0, **overrides)
    return collect_snapshot(options)


def observed(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """What each unit saw (zones, resources, errors), without timings or request counts."""
    return {
        (unit["account"], unit["region"]): {
            "zones": unit["zones"],
            "resources": unit["resources"],
            "errors": unit["errors"],
        }
        for unit in document["units"]
    }


def all_errors(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [*document["errors"], *(e for unit in document["units"] for e in unit["errors"])]


def total_calls(document: dict[str, Any]) -> int:
    return sum(document["api_calls"].values())


def findings_of(output: Path) -> dict[str, Any]:
    return json.loads((output / "findings.json").read_text(encoding="utf-8"))


def finding_keys(document: dict[str, Any], status: str) -> set[tuple[str, str]]:
    return {(f["policy_id"], f["arn"]) for f in document["findings"] if f["status"] == status}
