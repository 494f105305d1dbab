"""Objective verdicts: one ``recovery_objective`` document per workload or volume with an objective.

Its ``facts.objective`` says whether every scenario the objective names is
survived: a workload must not be *down* when a domain of a kind it must survive
fails; a volume's data-loss window (current, and worst case at its backup
interval) must not exceed its RPO, and data with no backup outside the domain
is lost. Policies judge the verdict; this module only computes it.
"""

from __future__ import annotations

from typing import Any

from scanner.scenarios.data_loss import DataItem, Window
from scanner.scenarios.domains import REGION, Domain, DomainCatalog
from scanner.scenarios.objectives import Objective, ObjectiveResolver
from scanner.scenarios.outcomes import DOWN, WorkloadOutcome
from scanner.scenarios.workloads import Workload


def _survive_kind(domain: Domain) -> str:
    return "region" if domain.kind == REGION else "zone"


def _where(domain: Domain, account: str) -> str:
    name = domain.names.get(account)
    return f"{domain.id} ({name})" if name and name != domain.id else domain.id


def _hours(value: float) -> str:
    return f"{value:g} h"


def objective_documents(
    workloads: list[Workload],
    outcomes_of: dict[int, list[tuple[Domain, WorkloadOutcome]]],
    items: list[DataItem],
    scenarios: dict[str, Any],
    catalog: DomainCatalog,
    resolver: ObjectiveResolver,
) -> list[dict[str, Any]]:
    documents = []
    for workload in workloads:
        objective = resolver.resolve(workload.tags, workload.arn)
        if objective is None or not objective.survive:
            continue
        breaches, unknown = [], []
        judged = outcomes_of.get(id(workload), [])
        if not any(domain.kind != REGION for domain, _ in judged):
            unknown.append("its zones are not known")
        for domain, outcome in judged:
            kind = _survive_kind(domain)
            if kind in objective.survive and outcome.outcome == DOWN:
                breaches.append(
                    {
                        "domain": domain.id,
                        "kind": domain.kind,
                        "outcome": DOWN,
                        "text": f"down if {_where(domain, workload.account)} fails; "
                        f"objective: survive {domain.phrase()}",
                    }
                )
        documents.append(
            _document(
                workload.id,
                workload.arn,
                workload.account,
                workload.region,
                workload.tags,
                "workload",
                workload.title,
                objective,
                breaches,
                unknown,
            )
        )
    instance_tags = {
        (item.account, item.region, item.id): item.document.get("tags") or {}
        for item in items
        if item.kind == "instance"
    }
    for item in items:
        if item.kind != "volume":
            continue
        tags = item.document.get("tags") or {}
        objective = resolver.resolve(tags, item.arn)
        if objective is None:
            for attachment in item.document.get("attachments") or []:
                owner = instance_tags.get((item.account, item.region, attachment["instance_id"]))
                objective = resolver.resolve(owner, item.arn) if owner else None
                if objective is not None:
                    break
        if objective is None or objective.rpo_hours is None:
            continue
        breaches, unknown = _data_verdicts(item, objective, catalog)
        documents.append(
            _document(
                item.id,
                item.arn,
                item.account,
                item.region,
                tags,
                "volume",
                f"EBS volume {item.id}",
                objective,
                breaches,
                unknown,
            )
        )
    documents.sort(key=lambda d: (d["account"], d["region"], d["id"], d["arn"]))
    return documents


def _data_verdicts(
    item: DataItem, objective: Objective, catalog: DomainCatalog
) -> tuple[list[dict[str, Any]], list[str]]:
    rpo = objective.rpo_hours
    assert rpo is not None
    breaches, unknown = [], []
    checks: list[tuple[Domain | None, Window]] = []
    for kind in objective.survive or ("zone",):
        if kind == "zone":
            domain = catalog.domains.get(item.zone) if item.zone else None
            checks.append((domain, item.zone_window))
        else:
            checks.append((catalog.region(item.region), item.region_window))
    for domain, window in checks:
        if domain is None:
            unknown.append("its zone is not known")
            continue
        where = _where(domain, item.account)
        target = f"objective: RPO {_hours(rpo)}"
        if window.lost:
            text = f"data lost if {where} fails (no backup outside it); {target}"
        elif window.hours is not None and window.hours > rpo:
            text = f"{_hours(window.hours)} of data lost if {where} fails; {target}"
        elif window.worst_hours is not None and window.worst_hours > rpo:
            text = (
                f"up to {_hours(window.worst_hours)} of data lost if {where} fails "
                f"(backup interval); {target}"
            )
        else:
            if window.lost is None or (window.hours is None and window.worst_hours is None):
                unknown.append(f"data-loss window unknown if {where} fails")
            continue
        breaches.append(
            {"domain": domain.id, "kind": domain.kind, "outcome": "data-loss", "text": text}
        )
    return breaches, unknown


def _document(
    subject_id: str,
    arn: str,
    account: str,
    region: str,
    tags: dict[str, str],
    subject_type: str,
    title: str,
    objective: Objective,
    breaches: list[dict[str, Any]],
    unknown: list[str],
) -> dict[str, Any]:
    met = False if breaches else (None if unknown else True)
    return {
        "id": subject_id,
        "arn": arn,
        "account": account,
        "region": region,
        "tags": dict(tags),
        "subject_type": subject_type,
        "title": title,
        "facts": {
            "objective": {
                **objective.as_json(),
                "met": met,
                "breaches": breaches,
                "unknown": unknown,
            }
        },
    }
