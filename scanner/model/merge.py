"""Combine snapshots of disjoint units (the shards of one run) into one snapshot to scan.

Refused, each with one line naming the file: two inputs holding the same
(account, Region) unit; different snapshot format versions or stormproof
versions; different partitions; an incomplete set of shards (``1/3`` and ``2/3``
without ``3/3``), which would otherwise be a silent gap. The merged document's
scope is the union of the inputs' (its shard cleared), ``api_calls`` are summed,
``started_at`` is the earliest start and ``finished_at`` the latest finish.
Account-level errors repeated by every shard (each shard reaches every account)
are kept once. Units are written sorted by (account, Region), so the result does
not depend on the order of the inputs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from scanner.errors import InputError, Location
from scanner.model.snapshot import load_snapshot
from scanner.model.snapshot_stream import SnapshotStreamWriter


class SnapshotMerger:
    """Checks each input against the ones before it and accumulates everything but units."""

    def __init__(self) -> None:
        self.first: tuple[str, dict[str, Any]] | None = None
        self.owner: dict[tuple[str, str], str] = {}  # unit key -> the input that holds it
        self.shards: dict[int, dict[int, str]] = {}  # N -> K -> the input that is shard K/N
        self.accounts: set[str] = set()
        self.regions: set[str] = set()
        self.partitions: set[str] = set()
        self.api_calls: Counter[str] = Counter()
        self.errors: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.started: list[str] = []
        self.finished: list[str] = []

    def add(self, source: str, document: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Check ``document`` and yield its units; raises :class:`InputError` on a conflict."""
        self._check_versions(source, document)
        scope = document["scope"]
        self._check_partition(source, scope.get("partition"))
        self._note_shard(source, scope.get("shard"))
        for unit in document["units"]:
            key = (unit["account"], unit["region"])
            if key in self.owner:
                raise InputError(
                    f"unit {key[0]} {key[1]} is also in {self.owner[key]}; merge snapshots of "
                    "disjoint units (such as the shards of one run)",
                    Location(source),
                )
            self.owner[key] = source
            yield unit
        self.accounts.update(scope["accounts"])
        self.regions.update(scope["regions"])
        self.api_calls.update(document["api_calls"])
        for error in document["errors"]:
            self.errors.setdefault(_error_key(error), error)
        if document.get("started_at"):
            self.started.append(document["started_at"])
        if document.get("finished_at"):
            self.finished.append(document["finished_at"])

    def _check_versions(self, source: str, document: dict[str, Any]) -> None:
        if self.first is None:
            self.first = (source, document)
            return
        first_source, first = self.first
        if document["version"] != first["version"]:
            raise InputError(
                f"snapshot format version {document['version']} differs from "
                f"{first_source}'s ({first['version']}); merge snapshots of one format version",
                Location(source),
            )
        if document["tool"] != first["tool"]:
            raise InputError(
                f"written by {_tool(document)} but {first_source} by {_tool(first)}; "
                "collect every shard with the same stormproof version",
                Location(source),
            )

    def _check_partition(self, source: str, partition: str | None) -> None:
        if partition is None:
            return
        if self.partitions and partition not in self.partitions:
            raise InputError(
                f"partition {partition} differs from the other inputs' "
                f"({', '.join(sorted(self.partitions))}); a snapshot covers one partition",
                Location(source),
            )
        self.partitions.add(partition)

    def _note_shard(self, source: str, shard: str | None) -> None:
        if shard is None:
            return
        k, n = (int(part) for part in shard.split("/"))
        others = [count for count in self.shards if count != n]
        if others:
            raise InputError(
                f"is shard {shard} but {next(iter(self.shards[others[0]].values()))} is a "
                f"shard of {others[0]}; merge the shards of one run",
                Location(source),
            )
        seen = self.shards.setdefault(n, {})
        if k in seen:
            raise InputError(f"is shard {shard}, like {seen[k]}", Location(source))
        seen[k] = source

    def check_complete(self) -> None:
        """Every shard of a sharded run must be present: a missing one would be a silent gap."""
        for n, seen in self.shards.items():
            missing = [f"{k}/{n}" for k in range(1, n + 1) if k not in seen]
            if missing:
                given = ", ".join(sorted(seen.values()))
                raise InputError(
                    f"shard {', '.join(missing)} is missing (got {given}); "
                    "merge every shard of the run"
                )

    def document(self) -> dict[str, Any]:
        """Everything but the units: scope union, summed calls, earliest start, latest finish."""
        assert self.first is not None, "no input was added"
        first = self.first[1]
        scope: dict[str, Any] = {
            "accounts": sorted(self.accounts),
            "regions": sorted(self.regions),
            "shard": None,
        }
        if self.partitions:
            scope["partition"] = next(iter(self.partitions))
        return {
            "format": first["format"],
            "version": first["version"],
            "tool": first["tool"],
            "started_at": min(self.started) if self.started else None,
            "finished_at": max(self.finished) if self.finished else None,
            "scope": scope,
            "api_calls": dict(sorted(self.api_calls.items())),
            "errors": [self.errors[key] for key in sorted(self.errors)],
        }


def merge_documents(named: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Merge in memory (``(source name, document)`` pairs); units sorted by (account, Region)."""
    merger = SnapshotMerger()
    units = [unit for source, document in named for unit in merger.add(source, document)]
    merger.check_complete()
    merged = merger.document()
    merged["units"] = sorted(units, key=lambda unit: (unit["account"], unit["region"]))
    return merged


def merge_snapshot_files(
    inputs: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str]
) -> dict[str, Any]:
    """Merge snapshot files into ``output``, one input in memory at a time; returns the
    merged document without its units. Nothing is written if any check fails."""
    merger = SnapshotMerger()
    with SnapshotStreamWriter(output, validate=False) as writer:
        for path in inputs:
            document = load_snapshot(path)
            for unit in merger.add(str(path), document):
                writer.add_unit(unit)
            del document
        merger.check_complete()
        merged = merger.document()
        writer.finish(merged)
    return merged


def _tool(document: dict[str, Any]) -> str:
    return f"{document['tool']['name']} {document['tool']['version']}"


def _error_key(error: dict[str, Any]) -> tuple[str, ...]:
    """Identity and order of an error entry (the collector's order: account, Region, ...)."""
    fields = ("account", "region", "service", "operation", "code", "message")
    return tuple(str(error.get(name) or "") for name in fields)
