"""``scenarios.json``: every failure domain's scenario, worst first (schemas/scenarios.schema.json).

Written in pieces, a few thousand entries at a time, so neither the document
nor one Region's scenario (hundreds of thousands of entries at scale) is ever
held whole in memory. Keys are sorted in every object and nothing depends on
the wall clock: two scans of the same snapshot write the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from scanner.report.json_text import dumps_sorted
from scanner.report.scenarios_view import ScenarioReport
from scanner.scenarios import Scenario

FILE_NAME = "scenarios.json"
CHUNK = 5000


def _json(value: Any) -> bytes:
    return dumps_sorted(value, indent=False).encode("utf-8")


def _entries(
    handle: IO[bytes], scenario: Scenario, entries: Callable[[Scenario, int, int], list]
) -> None:
    handle.write(b"[")
    for index, chunk in enumerate(_chunks(scenario, entries)):
        if index:
            handle.write(b",")
        handle.write(_json(chunk)[1:-1])  # the chunk's items, without its brackets
    handle.write(b"]")


def _chunks(scenario: Scenario, entries: Callable[[Scenario, int, int], list]) -> Iterator[list]:
    start = 0
    while True:
        chunk = entries(scenario, start, start + CHUNK)
        if not chunk:
            return
        yield chunk
        start += CHUNK


def write_scenarios_json(view: ScenarioReport, handle: IO[bytes]) -> None:
    header = _json(view.header())
    handle.write(header[:-1])  # the header object, left open; "scenarios" sorts after its keys
    handle.write(b',"scenarios":[')
    for index, (rank, scenario) in enumerate(view.ranked()):
        if index:
            handle.write(b",\n")
        summary = view.summary(rank, scenario)  # domain, incomplete, rank, totals
        handle.write(b'{"data":')
        _entries(handle, scenario, view.data_slice)
        for key in ("domain", "incomplete", "rank", "totals"):
            handle.write(b',"' + key.encode() + b'":' + _json(summary[key]))
        handle.write(b',"workloads":')
        _entries(handle, scenario, view.workloads_slice)
        handle.write(b"}")
    handle.write(b"]}\n")
