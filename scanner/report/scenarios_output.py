"""Hooks that put the failure scenarios into a scan's report and output folder."""

from __future__ import annotations

import os
from pathlib import Path

from scanner.atomic_files import write_atomic_with
from scanner.report.context import ReportWarning, ScanReport
from scanner.report.redact import redact_accounts_in
from scanner.report.scenarios_json import FILE_NAME, write_scenarios_json
from scanner.report.scenarios_view import ScenarioReport
from scanner.scenarios import Scenarios

MAX_OBJECTIVE_WARNINGS = 20


def attach_scenarios(report: ScanReport, scenarios: Scenarios, *, redact_accounts: bool) -> None:
    """Give every renderer the scenarios; problems with objective tags become report warnings."""
    transform = redact_accounts_in if redact_accounts else None
    report.scenarios = (
        ScenarioReport(scenarios, transform) if transform else ScenarioReport(scenarios)
    )
    problems = scenarios.warnings
    for problem in problems[:MAX_OBJECTIVE_WARNINGS]:
        report.warnings.append(ReportWarning(transform(problem) if transform else problem))
    if len(problems) > MAX_OBJECTIVE_WARNINGS:
        hidden = len(problems) - MAX_OBJECTIVE_WARNINGS
        report.warnings.append(ReportWarning(f"… and {hidden} more objective tag problems"))


def write_scenarios_file(report: ScanReport, output_dir: str | os.PathLike[str]) -> Path | None:
    """``scenarios.json`` in the output folder (atomically), when the report has scenarios."""
    if report.scenarios is None:
        return None
    path = Path(output_dir) / FILE_NAME
    write_atomic_with(path, lambda handle: write_scenarios_json(report.scenarios, handle))
    return path
