"""Linking that takes over the snapshot's records gives the very same model and findings."""

from __future__ import annotations

import copy
import dataclasses
import gc

from scanner.engine import evaluate, load_policies
from scanner.model.gc_pause import paused_collection
from scanner.model.link import link_snapshot
from tests.engine.test_evaluate import every_case_snapshot


def test_consuming_link_equals_copying_link() -> None:
    snapshot = every_case_snapshot()
    copied = link_snapshot(copy.deepcopy(snapshot))
    consumed = link_snapshot(snapshot, consume=True)
    assert consumed.resources == copied.resources
    assert consumed.zones == copied.zones
    assert consumed.errors == copied.errors
    assert consumed.snapshot == copied.snapshot
    policies = load_policies()
    assert [dataclasses.asdict(f) for f in evaluate(consumed, policies).findings] == [
        dataclasses.asdict(f) for f in evaluate(copied, policies).findings
    ]


def test_the_model_keeps_the_snapshot_header_not_its_records() -> None:
    snapshot = every_case_snapshot()
    header = link_snapshot(snapshot).snapshot
    assert header["finished_at"] == snapshot["finished_at"]
    assert header["scope"] == snapshot["scope"]
    assert len(header["units"]) == len(snapshot["units"])
    assert all("resources" not in unit for unit in header["units"])
    assert all("resources" in unit for unit in snapshot["units"])


def test_paused_collection_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_collection():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with paused_collection():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
