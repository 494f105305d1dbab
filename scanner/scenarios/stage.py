"""Compute every failure scenario of a linked model in one linear pass over it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scanner.model.link.facts import FACTS
from scanner.model.link.gaps import CollectionGaps, describe_failure
from scanner.scenarios.data_loss import UNKNOWN, DataItem, Window, build_data_items
from scanner.scenarios.domains import (
    KIND_ORDER,
    LOCAL_ZONE,
    REGION,
    ZONE,
    Domain,
    DomainCatalog,
)
from scanner.scenarios.objectives import ObjectiveResolver
from scanner.scenarios.outcomes import (
    AT_RISK,
    DEGRADED,
    DOWN,
    OUTCOME_ORDER,
    SURVIVES,
    WorkloadOutcome,
    affected_domains,
    judge_workload,
)
from scanner.scenarios.verdicts import objective_documents
from scanner.scenarios.workloads import build_workloads

OBJECTIVE_TYPE = "recovery_objective"


@dataclass
class Scenario:
    domain: Domain
    workloads: list[WorkloadOutcome] = field(default_factory=list)
    data: list[DataItem] = field(default_factory=list)  # volumes and instances in the domain
    totals: dict[str, Any] = field(default_factory=dict)
    incomplete: list[str] = field(default_factory=list)

    def window(self, item: DataItem) -> Window:
        """An item's data-loss window in this scenario: its Region's or its zone's."""
        return item.region_window if self.domain.kind == REGION else item.zone_window

    def entries(self, start: int = 0, stop: int | None = None) -> list[tuple[DataItem, Window]]:
        """(item, window) pairs, worst first."""
        pick = self.window
        return [(item, pick(item)) for item in self.data[start:stop]]

    def rank_key(self) -> tuple:
        t = self.totals
        return (
            -t["workloads_down"],
            -(t["volumes_lost"] + t["instances_lost"]),
            -t["gib_lost"],
            -t["workloads_at_risk"],
            -t["workloads_degraded"],
            -(t["longest_window_hours"] or 0),
            KIND_ORDER[self.domain.kind],
            self.domain.id,
        )


@dataclass
class Scenarios:
    now: datetime
    scenarios: list[Scenario]  # worst first
    protection_known: bool  # some volume or instance carries a protection fact
    warnings: list[str] = field(default_factory=list)

    def find(self, wanted: str) -> list[Scenario]:
        """The scenario of a domain id; by zone name, every domain some account calls that."""
        wanted = wanted.strip()
        exact = [s for s in self.scenarios if s.domain.id == wanted]
        return exact or [s for s in self.scenarios if wanted in s.domain.names.values()]


def build_scenarios(
    model: Any, now: datetime, resolver: ObjectiveResolver | None = None
) -> Scenarios:
    """Every domain's scenario, ranked; objective verdicts are added to the model as documents.

    The ``recovery_objective`` documents (one per workload or volume with an
    objective) carry ``facts.objective``, which the policy
    ``recovery-objective-not-met`` judges; without objectives there are none.
    """
    scope = model.snapshot.get("scope") or {}
    units = model.snapshot.get("units") or []
    regions = set(scope.get("regions") or []) | {u.get("region") for u in units if u.get("region")}
    accounts = set(scope.get("accounts") or []) | {u["account"] for u in units if "account" in u}
    catalog = DomainCatalog(model.zones, sorted(regions))
    by_domain: dict[str, Scenario] = {}

    def scenario_of(domain: Domain) -> Scenario:
        found = by_domain.get(domain.id)
        if found is None:
            found = by_domain[domain.id] = Scenario(domain)
        return found

    workloads = build_workloads(model)
    outcomes_of: dict[int, list[tuple[Domain, WorkloadOutcome]]] = defaultdict(list)
    for workload in workloads:
        for key in sorted(affected_domains(workload)):
            domain = catalog.domains.get(key) or _touch(catalog, workload, key)
            outcome = judge_workload(workload, domain)
            scenario_of(domain).workloads.append(outcome)
            outcomes_of[id(workload)].append((domain, outcome))
        region = catalog.region(workload.region)
        outcome = judge_workload(workload, region)
        scenario_of(region).workloads.append(outcome)
        outcomes_of[id(workload)].append((region, outcome))

    items = build_data_items(model, now, regions, accounts)
    protection_known = False
    zone_scenarios: dict[tuple[str, str], Scenario | None] = {}
    region_scenarios: dict[str, Scenario] = {}
    for item in items:
        protection_known = protection_known or item.zone_window is not UNKNOWN
        if item.zone is not None:
            key = (item.account, item.zone)
            if key not in zone_scenarios:
                zone = item.document["facts"].get("zone") or {}
                domain = catalog.zone(item.account, item.region, zone)
                zone_scenarios[key] = scenario_of(domain) if domain is not None else None
            found = zone_scenarios[key]
            if found is not None:
                found.data.append(item)
        in_region = region_scenarios.get(item.region)
        if in_region is None:
            in_region = region_scenarios[item.region] = scenario_of(catalog.region(item.region))
        in_region.data.append(item)

    for domain in catalog.shown():
        scenario_of(domain)
    gaps = CollectionGaps(model.errors)
    dependencies = tuple(dep for fact in FACTS[OBJECTIVE_TYPE] for dep in fact.rests_on)
    for scenario in by_domain.values():
        scenario.workloads.sort(key=_workload_order)
        scenario.data.sort(key=_region_order if scenario.domain.kind == REGION else _zone_order)
        scenario.totals = _totals(scenario)
        scenario.incomplete = _incomplete(scenario.domain, gaps, dependencies, accounts)
    ranked = sorted(by_domain.values(), key=Scenario.rank_key)
    result = Scenarios(now, ranked, protection_known)
    if resolver is not None:
        documents = objective_documents(workloads, outcomes_of, items, by_domain, catalog, resolver)
        model.resources[OBJECTIVE_TYPE] = documents
        result.warnings = list(resolver.problems)
    return result


def _touch(catalog: DomainCatalog, workload: Any, key: str) -> Domain:
    """A domain a workload names that the zone catalog lacks (its zone catalog failed)."""
    slot = next((s for s in workload.slots if s.zone == key), None)
    zone = {"name": slot.name if slot else key, "id": key, "type": None}
    domain = catalog.zone(workload.account, workload.region, zone)
    assert domain is not None
    return domain


def _workload_order(outcome: WorkloadOutcome) -> tuple:
    w = outcome.workload
    return (OUTCOME_ORDER[outcome.outcome], outcome.capacity_left, w.account, w.region, w.id)


def _zone_order(item: DataItem) -> tuple:
    return _data_order(item, item.zone_window)


def _region_order(item: DataItem) -> tuple:
    return _data_order(item, item.region_window)


def _data_order(item: DataItem, window: Window) -> tuple:
    return (
        0 if window.lost else 1 if window.lost is None else 2,
        -(window.hours or 0),
        item.account,
        item.region,
        item.id,
    )


def _totals(scenario: Scenario) -> dict[str, Any]:
    counts = dict.fromkeys((DOWN, DEGRADED, AT_RISK, SURVIVES), 0)
    for outcome in scenario.workloads:
        counts[outcome.outcome] += 1
    lost = {"volume": 0, "instance": 0}
    gib = 0
    unknown = 0
    longest: float | None = None
    volumes = 0
    for item, window in scenario.entries():
        volumes += item.kind == "volume"
        if window.lost:
            lost[item.kind] += 1
            gib += item.size_gib or 0
        elif window.lost is None:
            unknown += 1
        if window.hours is not None and (longest is None or window.hours > longest):
            longest = window.hours
    return {
        "workloads": len(scenario.workloads),
        "workloads_down": counts[DOWN],
        "workloads_degraded": counts[DEGRADED],
        "workloads_at_risk": counts[AT_RISK],
        "workloads_survive": counts[SURVIVES],
        "volumes": volumes,
        "instances": len(scenario.data) - volumes,
        "volumes_lost": lost["volume"],
        "instances_lost": lost["instance"],
        "gib_lost": gib,
        "data_unknown": unknown,
        "longest_window_hours": longest,
    }


def _incomplete(
    domain: Domain, gaps: CollectionGaps, dependencies: tuple, accounts: set[str]
) -> list[str]:
    if not gaps:
        return []
    which = sorted(domain.names) if domain.kind in (ZONE, LOCAL_ZONE) else sorted(accounts)
    found: dict[str, None] = {}
    for account in which:
        for error in gaps.failures(account, domain.region, dependencies):
            found[describe_failure(error)] = None
    return list(found)


def scenarios_for(model: Any, objectives: dict[str, dict[str, Any]] | None = None) -> Scenarios:
    """The scan's scenarios at the snapshot's own time, objectives from the config's selectors."""
    from scanner.engine.evaluate import evaluation_time
    from scanner.scenarios.objectives import resolver_from_config

    return build_scenarios(model, evaluation_time(model.snapshot), resolver_from_config(objectives))
