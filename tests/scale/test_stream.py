"""Streaming: units reach the file as they finish, memory stays bounded, order never matters."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from scanner.collect import CollectOptions, collect_snapshot
from scanner.collect import runner as runner_module
from scanner.collect.accounts import AccountSelection, RoleToAssume
from scanner.collect.regions import RegionStatus
from scanner.engine import evaluate, load_policies
from scanner.errors import InputError
from scanner.model.link import link_snapshot
from scanner.model.snapshot import dump_snapshot, load_snapshot
from scanner.model.snapshot_stream import SnapshotStreamWriter
from tests.scale.accounts_estate import CALLER, REGIONS, ROLE, TRUSTED_A, TRUSTED_B, Seeded


def collected(accounts: Seeded) -> dict[str, Any]:
    selection = AccountSelection(
        account_ids=(CALLER, TRUSTED_A, TRUSTED_B), role=RoleToAssume(ROLE)
    )
    return collect_snapshot(
        CollectOptions(regions=list(REGIONS), rate_limit=1000.0, selection=selection)
    )


def test_streamed_file_is_byte_identical_to_dump_whatever_the_completion_order(
    accounts: Seeded, tmp_path: Path
):
    document = collected(accounts)
    assert len(document["units"]) == 6
    dump_snapshot(document, tmp_path / "whole.json")
    shuffled = list(document["units"])
    random.Random(7).shuffle(shuffled)
    with SnapshotStreamWriter(tmp_path / "streamed.json") as writer:
        for unit in shuffled:
            writer.add_unit(unit)
        writer.finish({key: value for key, value in document.items() if key != "units"})
    assert (tmp_path / "streamed.json").read_bytes() == (tmp_path / "whole.json").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["streamed.json", "whole.json"]


def test_gzip_stream_loads_as_the_same_document(accounts: Seeded, tmp_path: Path):
    document = collected(accounts)
    path = tmp_path / "out" / "snapshot.json.gz"
    with SnapshotStreamWriter(path) as writer:
        for unit in reversed(document["units"]):
            writer.add_unit(unit)
        writer.finish(document)
    assert gzip.decompress(path.read_bytes())[:1] == b"{"
    assert load_snapshot(path) == json.loads(json.dumps(document))


def minimal_unit(account: str, region: str) -> dict[str, Any]:
    return {
        "account": account,
        "region": region,
        "partition": "aws",
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:00:01Z",
        "duration_seconds": 1.0,
        "api_calls": {"ec2:DescribeInstances": 1},
        "errors": [],
        "zones": [],
        "resources": {},
    }


def test_an_invalid_unit_is_refused_and_nothing_is_left_behind(tmp_path: Path):
    bad = minimal_unit(CALLER, "us-east-1")
    bad["duration_seconds"] = -1
    refused = pytest.raises(InputError, match=r"invalid unit 123456789012 us-east-1 at \$.duration")
    with refused, SnapshotStreamWriter(tmp_path / "s.json") as writer:
        writer.add_unit(minimal_unit(CALLER, "us-west-2"))
        writer.add_unit(bad)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_run_writes_nothing_and_a_repeated_unit_is_a_bug(tmp_path: Path):
    with pytest.raises(KeyboardInterrupt), SnapshotStreamWriter(tmp_path / "s.json.gz") as writer:
        writer.add_unit(minimal_unit(CALLER, "us-east-1"))
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with SnapshotStreamWriter(tmp_path / "s.json") as writer:
        writer.add_unit(minimal_unit(CALLER, "us-east-1"))
        with pytest.raises(ValueError, match="added twice"):
            writer.add_unit(minimal_unit(CALLER, "us-east-1"))
    assert list(tmp_path.iterdir()) == []


def test_at_most_max_workers_units_are_held_at_once(monkeypatch: pytest.MonkeyPatch):
    lock = threading.Lock()
    started = [0]

    def fake_collect_unit(_maker, account, partition, region, *_args) -> dict[str, Any]:
        with lock:
            started[0] += 1
        return minimal_unit(account, region)

    monkeypatch.setattr(runner_module, "collect_unit", fake_collect_unit)
    planned = [
        runner_module.PlannedUnit(
            SimpleNamespace(client=None), f"{n:012d}", "aws", RegionStatus("us-east-1", None)
        )
        for n in range(40)
    ]
    held, seen = 0, []
    for unit in runner_module._run_units(planned, max_workers=3):
        with lock:
            held = max(held, started[0] - len(seen))
        seen.append(unit["account"])
    assert sorted(seen) == [unit.account for unit in planned]
    assert 1 <= held <= 3


def test_linking_and_evaluation_do_not_depend_on_unit_order(accounts: Seeded):
    document = collected(accounts)
    policies = load_policies()
    reordered = {**document, "units": list(reversed(document["units"]))}

    def findings(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
        evaluation = evaluate(link_snapshot(snapshot), policies)
        return [dataclasses.asdict(finding) for finding in evaluation.findings]

    first = findings(document)
    assert first, "the seeded estate has findings (single-zone groups)"
    assert findings(reordered) == first
