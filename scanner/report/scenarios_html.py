"""The HTML report's "Failure scenarios" view: a zone map to pick a domain, and its scenario.

Everything is rendered by the template (autoescaped); the page's script only
shows the picked domain's panel and filters the findings table by a resource's
ARN. Each panel lists at most ``MAX_ROWS`` workloads and data items, worst
first; scenarios.json has them all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from scanner.report.context import ScanReport
from scanner.report.scenarios_text import domain_line
from scanner.scenarios import Scenario

MAX_ROWS = 100
_OUTCOME_TITLES = {
    "down": "down",
    "degraded": "degraded",
    "at-risk": "at risk",
    "survives": "survives",
}


def _severity(totals: dict[str, Any]) -> str:
    if totals["workloads_down"] or totals["volumes_lost"] or totals["instances_lost"]:
        return "bad"
    if totals["workloads_at_risk"] or totals["workloads_degraded"] or totals["data_unknown"]:
        return "warn"
    return "ok"


def _anchor(scenario: Scenario) -> str:
    return "scenario-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in scenario.domain.id)


def _window_text(entry: dict[str, Any]) -> str:
    if entry["lost"]:
        return "lost"
    if entry["lost"] is None:
        return "unknown"
    if entry["window_hours"] is None:
        return "copied (schedule unknown)"
    return f"{entry['window_hours']:g} h"


def scenario_context(report: ScanReport) -> dict[str, Any] | None:
    """What the template's scenarios partial draws; None when the scan computed no scenarios."""
    view = report.scenarios
    if view is None:
        return None
    findings = Counter(finding.arn for finding in report.findings)
    panels = []
    maps: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"region": None, "zones": [], "locals": []}
    )
    for rank, scenario in view.ranked():
        totals = scenario.totals
        anchor = _anchor(scenario)
        workloads = view.workloads(scenario, MAX_ROWS)
        for entry in workloads:
            entry["findings"] = findings.get(entry["arn"], 0)
            entry["outcome_title"] = _OUTCOME_TITLES[entry["outcome"]]
        data = view.data(scenario, MAX_ROWS)
        for entry in data:
            entry["findings"] = findings.get(entry["arn"], 0)
            entry["window_text"] = _window_text(entry)
        panels.append(
            {
                "anchor": anchor,
                "rank": rank,
                "kind": scenario.domain.kind,
                "line": domain_line(view, scenario),
                "incomplete": [view.transform(text) for text in scenario.incomplete],
                "workloads": workloads,
                "hidden_workloads": max(0, len(scenario.workloads) - MAX_ROWS),
                "data": data,
                "hidden_data": max(0, len(scenario.data) - MAX_ROWS),
            }
        )
        domain = scenario.domain
        button = {
            "anchor": anchor,
            "id": domain.id,
            "names": ", ".join(sorted(set(domain.names.values()))),
            "severity": _severity(totals),
            "down": totals["workloads_down"],
            "lost": totals["volumes_lost"] + totals["instances_lost"],
            "parent": domain.parent_id,
            "zone_type": domain.zone_type,
        }
        region_map = maps[domain.region]
        if domain.kind == "region":
            region_map["region"] = button
        elif domain.kind == "local-zone":
            region_map["locals"].append(button)
        else:
            region_map["zones"].append(button)
    regions = []
    for name in sorted(maps):
        entry = maps[name]
        zones = sorted(entry["zones"], key=lambda b: b["id"])
        children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for local in sorted(entry["locals"], key=lambda b: b["id"]):
            children[
                local["parent"] if any(z["id"] == local["parent"] for z in zones) else None
            ].append(local)
        regions.append(
            {
                "name": name,
                "region": entry["region"],
                "zones": [{**zone, "children": children.get(zone["id"], [])} for zone in zones],
                "orphans": children.get(None, []),
            }
        )
    return {
        "panels": panels,
        "regions": regions,
        "notes": [view.transform(note) for note in view.notes()],
        "selected": panels[0]["anchor"] if panels else None,
        "max_rows": MAX_ROWS,
    }
