"""Hooks that put the failure scenarios into a scan's report and output folder."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

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


def scenarios_output(
    report: ScanReport, formats: list[str]
) -> dict[str, Callable[[IO[bytes]], None]]:
    """``scenarios.json`` for the output set (with ``--format json``), when the report has
    scenarios: the writer stages it with the other files, so they appear together."""
    if report.scenarios is None or "json" not in formats:
        return {}
    scenarios = report.scenarios
    return {FILE_NAME: lambda handle: write_scenarios_json(scenarios, handle)}
