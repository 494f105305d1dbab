"""``scenarios.json``: every failure domain's scenario, worst first (schemas/scenarios.schema.json).

Written one scenario at a time, so the whole document never sits in memory.
Keys are sorted within each scenario and nothing depends on the wall clock: two
scans of the same snapshot write the same bytes.
"""

from __future__ import annotations

from typing import IO

from scanner.report.json_text import dumps_sorted
from scanner.report.scenarios_view import ScenarioReport

FILE_NAME = "scenarios.json"


def write_scenarios_json(view: ScenarioReport, handle: IO[bytes]) -> None:
    header = dumps_sorted(view.header(), indent=False)
    handle.write(header[:-1].encode("utf-8"))  # the header object, left open
    handle.write(b',"scenarios":[')
    for index, (rank, scenario) in enumerate(view.ranked()):
        if index:
            handle.write(b",\n")
        handle.write(dumps_sorted(view.full(rank, scenario), indent=False).encode("utf-8"))
    handle.write(b"]}\n")
