"""Linked models from snapshot fragments, and protection facts shaped as the contract says."""

from __future__ import annotations

from typing import Any

from scanner.engine.fragments import expand_fragment
from scanner.model.link import link_snapshot
from scanner.model.linked import LinkedModel
from scanner.scenarios import Scenarios, scenarios_for

A, B = "111111111111", "222222222222"
NOW = "2026-01-15T12:00:00Z"  # the fragments' default finished_at


def az(name: str, zone_id: str, region: str = "us-east-1") -> dict[str, Any]:
    return {"name": name, "id": zone_id, "region": region, "type": "availability-zone"}


def local_zone(name: str, zone_id: str, parent: str, parent_id: str) -> dict[str, Any]:
    return {
        "name": name,
        "id": zone_id,
        "type": "local-zone",
        "parent_zone_name": parent,
        "parent_zone_id": parent_id,
        "opt_in_status": "opted-in",
    }


def model_of(fragment: dict[str, Any]) -> LinkedModel:
    return link_snapshot(expand_fragment(fragment))


def scenarios_of(
    fragment: dict[str, Any], objectives: dict[str, Any] | None = None
) -> tuple[LinkedModel, Scenarios]:
    model = model_of(fragment)
    return model, scenarios_for(model, objectives)


def outcomes(scenarios: Scenarios, domain: str) -> dict[str, tuple[str, float]]:
    [scenario] = [s for s in scenarios.scenarios if s.domain.id == domain]
    return {o.workload.id: (o.outcome, o.capacity_left) for o in scenario.workloads}


def backup(time: str, region: str = "us-east-1", account: str = A, location: str = "region"):
    return {
        "id": "snap-x",
        "arn": f"arn:aws:ec2:{region}::snapshot/snap-x",
        "kind": "snapshot",
        "time": time,
        "region": region,
        "account": account,
        "location": location,
    }


def source(
    interval: float | None = 24,
    locations: tuple[str, ...] = ("region",),
    copy_regions: tuple[str, ...] = (),
    copy_accounts: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "kind": "dlm-snapshot",
        "id": "policy-1",
        "arn": "arn:aws:dlm:us-east-1:111111111111:policy/policy-1",
        "rule": "daily",
        "interval_hours": interval,
        "locations": list(locations),
        "copy_regions": list(copy_regions),
        "copy_accounts": list(copy_accounts),
    }


def protection(
    sources: list[dict[str, Any]],
    outside_zone: dict[str, Any] | None = None,
    outside_region: dict[str, Any] | None = None,
) -> dict[str, Any]:
    intervals = [s["interval_hours"] for s in sources if s["interval_hours"] is not None]
    return {
        "covered": bool(sources),
        "sources": sources,
        "interval_hours": min(intervals) if intervals else None,
        "locations": sorted({loc for s in sources for loc in s["locations"]}),
        "newest": outside_zone or outside_region,
        "newest_outside_zone": outside_zone,
        "newest_outside_region": outside_region,
        "copy_regions": sorted({r for s in sources for r in s["copy_regions"]}),
    }
