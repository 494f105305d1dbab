"""The failure scenarios as reports see them: plain dictionaries, account ids redacted on request.

``scenarios.json``, the HTML view, the terminal and Markdown summaries and
``stormproof scenarios`` all read the same dictionaries, so they agree on every
number. Built per scenario when rendered, never all at once: a Region of a
million-resource estate holds hundreds of thousands of entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from scanner.scenarios import Scenario, Scenarios

FORMAT = "stormproof-scenarios"
FORMAT_VERSION = 1
NO_PROTECTION_NOTE = (
    "no volume or instance carries a protection fact, so every data-loss window is unknown "
    "(null), not lost"
)


def _same(text: str) -> str:
    return text


@dataclass
class ScenarioReport:
    """The scan's scenarios plus the string transform (account redaction) every output applies."""

    scenarios: Scenarios
    transform: Callable[[str], str] = field(default=_same)

    def notes(self) -> list[str]:
        return [] if self.scenarios.protection_known else [NO_PROTECTION_NOTE]

    def header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "at": self.scenarios.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "protection_known": self.scenarios.protection_known,
            "notes": self.notes(),
        }

    def ranked(self) -> Iterator[tuple[int, Scenario]]:
        return enumerate(self.scenarios.scenarios, start=1)

    def domain(self, scenario: Scenario) -> dict[str, Any]:
        t = self.transform
        domain = scenario.domain.as_json()
        domain["names"] = {t(account): name for account, name in domain["names"].items()}
        domain["label"] = t(scenario.domain.label())
        return domain

    def summary(self, rank: int, scenario: Scenario) -> dict[str, Any]:
        """A scenario without its entries: domain, totals, incomplete."""
        return {
            "rank": rank,
            "domain": self.domain(scenario),
            "totals": dict(scenario.totals),
            "incomplete": [self.transform(text) for text in scenario.incomplete],
        }

    def workloads(self, scenario: Scenario, limit: int | None = None) -> list[dict[str, Any]]:
        return self.workloads_slice(scenario, 0, limit)

    def workloads_slice(
        self, scenario: Scenario, start: int, stop: int | None
    ) -> list[dict[str, Any]]:
        t = self.transform
        out = []
        for outcome in scenario.workloads[start:stop]:
            w = outcome.workload
            out.append(
                {
                    "id": t(w.id),
                    "arn": t(w.arn),
                    "account": t(w.account),
                    "region": w.region,
                    "kind": w.kind,
                    "title": t(w.title),
                    "outcome": outcome.outcome,
                    "capacity_left": outcome.capacity_left,
                    "capacity_at_risk": outcome.capacity_at_risk,
                    "capacity_basis": w.basis,
                    "serving_zones": w.serving_zones,
                }
            )
        return out

    def data(self, scenario: Scenario, limit: int | None = None) -> list[dict[str, Any]]:
        return self.data_slice(scenario, 0, limit)

    def data_slice(self, scenario: Scenario, start: int, stop: int | None) -> list[dict[str, Any]]:
        t = self.transform
        out = []
        for item, window in scenario.entries(start, stop):
            out.append(
                {
                    "kind": item.kind,
                    "id": item.id,
                    "arn": t(item.arn),
                    "account": t(item.account),
                    "region": item.region,
                    "zone": item.zone_name,
                    "size_gib": item.size_gib,
                    "window_hours": window.hours,
                    "worst_case_hours": window.worst_hours,
                    "lost": window.lost,
                    "basis": window.basis,
                }
            )
        return out

    def full(self, rank: int, scenario: Scenario) -> dict[str, Any]:
        return {
            **self.summary(rank, scenario),
            "workloads": self.workloads(scenario),
            "data": self.data(scenario),
        }


def describe_totals(totals: dict[str, Any]) -> str:
    """'2 workloads down, 1 degraded, 3 volumes lost (150 GiB), longest window 26 h'."""
    parts = [f"{totals['workloads_down']} workload(s) down"]
    if totals["workloads_degraded"]:
        parts.append(f"{totals['workloads_degraded']} degraded")
    if totals["workloads_at_risk"]:
        parts.append(f"{totals['workloads_at_risk']} at risk")
    lost = []
    if totals["volumes_lost"]:
        lost.append(f"{totals['volumes_lost']} volume(s) ({totals['gib_lost']} GiB)")
    if totals["instances_lost"]:
        lost.append(f"{totals['instances_lost']} instance(s)")
    parts.append(("data lost: " + " and ".join(lost)) if lost else "no data lost")
    if totals["data_unknown"]:
        parts.append(f"{totals['data_unknown']} data window(s) unknown")
    if totals["longest_window_hours"] is not None:
        parts.append(f"longest window {totals['longest_window_hours']:g} h")
    return ", ".join(parts)
