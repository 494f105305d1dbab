"""``collect --shard K/N`` + ``merge`` give the same snapshot and findings as one run."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from scanner.errors import ExitCode, InputError
from scanner.model.merge import merge_documents
from scanner.model.snapshot import load_snapshot
from tests.scale.accounts_estate import ALL_ACCOUNTS, REGIONS, ROLE, Seeded

TIMING = ("started_at", "finished_at", "duration_seconds")


def collect(path: Path, *extra: str) -> int:
    accounts = ",".join(ALL_ACCOUNTS)
    return main(
        [
            *("-q", "collect", "--accounts", accounts, "--role-name", ROLE),
            *("--regions", ",".join(REGIONS), "--rate-limit", "1000", *extra),
            *("--output", str(path)),
        ]
    )


def without_timing(unit: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in unit.items() if key not in TIMING}


def scan(snapshot: Path, out: Path) -> tuple[int, dict[str, Any]]:
    code = main(
        ["-q", "scan", "--snapshot", str(snapshot), "--format", "json", "--output-dir", str(out)]
    )
    return code, json.loads((out / "findings.json").read_text())


@pytest.fixture
def runs(accounts: Seeded, tmp_path: Path) -> dict[str, Path]:
    """One unsharded run and three shards of the same estate (one denied account)."""
    paths = {"whole": tmp_path / "whole.json"}
    assert collect(paths["whole"]) == ExitCode.INCOMPLETE
    for k in (1, 2, 3):
        paths[f"{k}/3"] = tmp_path / f"shard-{k}.json.gz"
        assert collect(paths[f"{k}/3"], "--shard", f"{k}/3") == ExitCode.INCOMPLETE
    return paths


def test_shards_are_disjoint_and_merge_into_the_unsharded_snapshot(
    runs: dict[str, Path], tmp_path: Path, capsys
):
    shards = [load_snapshot(runs[f"{k}/3"]) for k in (1, 2, 3)]
    keys = [{(u["account"], u["region"]) for u in shard["units"]} for shard in shards]
    assert all(len(k) == 2 for k in keys)  # 6 units (3 reachable accounts x 2 Regions) in 3
    assert keys[0].isdisjoint(keys[1]) and keys[1].isdisjoint(keys[2])
    merged_path = tmp_path / "merged.json"
    shard_files = [str(runs[f"{k}/3"]) for k in (3, 1, 2)]  # input order does not matter
    assert main(["merge", *shard_files, "--output", str(merged_path)]) == ExitCode.CLEAN
    assert "merged 3 snapshot(s): 4 account(s), 2 Region(s)" in capsys.readouterr().err
    merged, whole = load_snapshot(merged_path), load_snapshot(runs["whole"])
    assert [without_timing(u) for u in merged["units"]] == [
        without_timing(u) for u in whole["units"]
    ]
    assert merged["scope"] == whole["scope"] and merged["scope"]["shard"] is None
    assert merged["errors"] == whole["errors"]  # the denied account, once (every shard saw it)
    assert merged["started_at"] == min(s["started_at"] for s in shards)
    assert merged["finished_at"] == max(s["finished_at"] for s in shards)
    for operation, count in merged["api_calls"].items():
        assert count == sum(s["api_calls"].get(operation, 0) for s in shards)


def test_merged_shards_give_the_same_findings_as_one_run(runs: dict[str, Path], tmp_path: Path):
    merged_path = tmp_path / "merged.json.gz"
    inputs = [str(runs[f"{k}/3"]) for k in (1, 2, 3)]
    assert main(["-q", "merge", *inputs, "--output", str(merged_path)]) == ExitCode.CLEAN
    whole_code, whole = scan(runs["whole"], tmp_path / "whole-out")
    merged_code, merged = scan(merged_path, tmp_path / "merged-out")
    assert whole_code == merged_code == ExitCode.INCOMPLETE  # the denied account
    assert whole["findings"], "the estate has findings"
    assert merged["findings"] == whole["findings"]
    assert merged["errors"] == whole["errors"]


def rejected(capsys, *args: str) -> str:
    assert main(["merge", *args]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def edited(source: Path, target: Path, change: Any) -> Path:
    document = load_snapshot(source)
    change(document)
    data = json.dumps(document).encode()
    target.write_bytes(gzip.compress(data) if target.name.endswith(".gz") else data)
    return target


def test_merge_rejections_are_one_line_exit_2_and_write_nothing(
    runs: dict[str, Path], tmp_path: Path, capsys
):
    out = tmp_path / "m.json"
    s1, s2, s3, whole = (str(runs[k]) for k in ("1/3", "2/3", "3/3", "whole"))
    err = rejected(capsys, whole, s2, "--output", str(out))
    assert f"{s2}: unit " in err and f"is also in {whole}" in err
    err = rejected(capsys, s1, s2, "--output", str(out))
    assert "shard 3/3 is missing" in err
    err = rejected(capsys, s1, s1, s2, s3, "--output", str(out))
    assert f"{s1}: is shard 1/3, like {s1}" in err
    older = edited(
        runs["3/3"], tmp_path / "older.json", lambda d: d["tool"].update(version="0.0.1")
    )
    err = rejected(capsys, s1, s2, str(older), "--output", str(out))
    assert f"{older}: written by stormproof 0.0.1 but {s1} by stormproof" in err
    newer = edited(runs["3/3"], tmp_path / "newer.json", lambda d: d.update(version=2))
    err = rejected(capsys, s1, s2, str(newer), "--output", str(out))
    assert f"{newer}: snapshot format version 2 is newer" in err
    err = rejected(capsys, s1, s2, s3, "--output", str(tmp_path / "m.txt"))
    assert "--output must end in .json or .json.gz" in err
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith((".", "m"))]
    assert leftovers == []  # no output and no temp file


def test_merge_documents_checks_versions_and_partitions():
    def document(version: int, partition: str, account: str) -> dict[str, Any]:
        return {
            "format": "stormproof-snapshot",
            "version": version,
            "tool": {"name": "stormproof", "version": "1.0.0"},
            "started_at": None,
            "finished_at": None,
            "scope": {"accounts": [account], "regions": [], "partition": partition, "shard": None},
            "api_calls": {},
            "errors": [],
            "units": [],
        }

    a = document(1, "aws", "111111111111")
    with pytest.raises(InputError, match="b: snapshot format version 2 differs from a's"):
        merge_documents([("a", a), ("b", document(2, "aws", "222222222222"))])
    with pytest.raises(InputError, match="b: partition aws-cn differs"):
        merge_documents([("a", a), ("b", document(1, "aws-cn", "222222222222"))])
    merged = merge_documents([("a", a), ("b", document(1, "aws", "222222222222"))])
    assert merged["scope"]["accounts"] == ["111111111111", "222222222222"]
    assert merged["started_at"] is None and merged["finished_at"] is None
