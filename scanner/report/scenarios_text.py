"""Failure scenarios as text: the five worst domains for the terminal and summary.md, and the
``stormproof scenarios`` command's ranking and one-domain view."""

from __future__ import annotations

from collections.abc import Callable

from scanner.report.scenarios_view import ScenarioReport, describe_totals
from scanner.scenarios import Scenario

WORST_DOMAINS = 5
_KIND_TITLES = {"zone": "zone", "local-zone": "Local Zone", "region": "Region"}


def domain_line(view: ScenarioReport, scenario: Scenario) -> str:
    """'Region us-east-1: 4 workload(s) down, data lost: 3 volume(s) (24 GiB), …'."""
    domain = scenario.domain
    kind = _KIND_TITLES[domain.kind]
    if domain.zone_type == "wavelength-zone":
        kind = "Wavelength Zone"
    incomplete = " (incomplete: collection failed)" if scenario.incomplete else ""
    label = view.transform(domain.label())
    return f"{kind} {label}: {describe_totals(scenario.totals)}{incomplete}"


def worst_domain_lines(view: ScenarioReport | None, limit: int = WORST_DOMAINS) -> list[str]:
    if view is None:
        return []
    return [domain_line(view, scenario) for _, scenario in list(view.ranked())[:limit]]


def terminal_section(view: ScenarioReport | None, clean: Callable[[object, int], str]) -> list[str]:
    lines = worst_domain_lines(view)
    if not lines:
        return []
    out = ["", "worst failure domains (scenarios.json)"]
    out += [f"  {rank}. {clean(line, 200)}" for rank, line in enumerate(lines, start=1)]
    out += [f"  {clean(note, 200)}" for note in (view.notes() if view else [])]
    return out


def markdown_section(
    view: ScenarioReport | None, escape: Callable[[object, int], str]
) -> list[str]:
    lines = worst_domain_lines(view)
    if not lines:
        return []
    out = ["", "### Worst failure domains", ""]
    out += [f"{rank}. {escape(line, 300)}" for rank, line in enumerate(lines, start=1)]
    if view is not None and view.notes():
        out += [""] + [f"_{escape(note, 300)}_" for note in view.notes()]
    return out


def ranking_text(view: ScenarioReport) -> str:
    out = [f"{rank:>3}. {domain_line(view, scenario)}" for rank, scenario in view.ranked()]
    out += view.notes()
    return "\n".join(out) + "\n"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def domain_text(view: ScenarioReport, rank: int, scenario: Scenario) -> str:
    """Everything one scenario says, for a person."""
    out = [f"#{rank} {domain_line(view, scenario)}"]
    if scenario.domain.parent_id:
        out.append(f"parent zone: {scenario.domain.parent_id}")
    for text in scenario.incomplete:
        out.append(f"incomplete: {view.transform(text)}")
    workloads = view.workloads(scenario)
    out += ["", f"workloads ({len(workloads)})"]
    for entry in workloads:
        share = f"{_percent(entry['capacity_left'])} capacity left"
        if entry["capacity_at_risk"]:
            share += f", {_percent(entry['capacity_at_risk'])} at risk"
        out.append(
            f"  {entry['outcome']:<9} {entry['title']} ({entry['account']}/{entry['region']}): "
            f"{share} [{entry['capacity_basis']}]"
        )
    data = view.data(scenario)
    out += ["", f"data ({len(data)})"]
    for entry in data:
        if entry["lost"]:
            state = "LOST (no backup outside the domain)"
        elif entry["lost"] is None:
            state = "unknown"
        elif entry["window_hours"] is None:
            state = "window unknown (copy rule without interval)"
        else:
            state = f"window {entry['window_hours']:g} h ({entry['basis']})"
        if entry["worst_case_hours"] is not None:
            state += f", worst case {entry['worst_case_hours']:g} h"
        size = f" {entry['size_gib']} GiB" if entry["size_gib"] is not None else ""
        out.append(f"  {entry['kind']:<8} {entry['id']}{size} ({entry['account']}): {state}")
    out += view.notes()
    return "\n".join(out) + "\n"
