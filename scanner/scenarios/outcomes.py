"""A workload's outcome when one domain fails: down, degraded, at risk, or survives.

Capacity in the failed zone is lost. Capacity in a Local or Wavelength Zone
whose parent is the failed zone is *at risk*, not lost: the parent carries part
of the Local Zone's control plane and connectivity
(https://docs.aws.amazon.com/local-zones/latest/ug/how-local-zones-work.html).
A Region's failure takes down every workload in it: a workload here lives in
one Region.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.scenarios.domains import REGION, Domain
from scanner.scenarios.workloads import Workload

DOWN, DEGRADED, AT_RISK, SURVIVES = "down", "degraded", "at-risk", "survives"
OUTCOME_ORDER = {DOWN: 0, AT_RISK: 1, DEGRADED: 2, SURVIVES: 3}


@dataclass(frozen=True, slots=True)
class WorkloadOutcome:
    workload: Workload
    outcome: str
    capacity_left: float  # 0..1 of the capacity the workload had
    capacity_at_risk: float  # 0..1 left only in zones whose parent failed


def judge_workload(workload: Workload, domain: Domain) -> WorkloadOutcome:
    if domain.kind == REGION:
        return WorkloadOutcome(workload, DOWN, 0.0, 0.0)
    total = lost = risky = 0.0
    for slot in workload.slots:
        total += slot.weight
        if slot.zone == domain.id:
            lost += slot.weight
        elif slot.parent is not None and slot.parent == domain.id:
            risky += slot.weight
    if total <= 0:
        return WorkloadOutcome(workload, SURVIVES, 1.0, 0.0)
    left = total - lost
    safe = left - risky
    if left <= 0:
        outcome = DOWN
    elif lost > 0 and safe > 0:
        outcome = DEGRADED
    elif risky > 0:
        outcome = AT_RISK
    else:
        outcome = SURVIVES
    return WorkloadOutcome(workload, outcome, round(left / total, 4), round(risky / total, 4))


def affected_domains(workload: Workload) -> set[str]:
    """Zone domains whose failure touches the workload: its zones and its Local Zones' parents."""
    found: set[str] = set(workload.configured)
    for slot in workload.slots:
        if slot.zone is not None:
            found.add(slot.zone)
        if slot.parent is not None:
            found.add(slot.parent)
    return found
