"""Judging a linked model with policies: deterministic findings, unknown where data is missing.

"Now" for age operators is the snapshot's ``finished_at`` unless the caller
passes one, so re-scanning an old snapshot gives the same findings it gave the
day it was taken. A resource whose decision rests on an observation that failed
to be collected is *unknown*, never a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from scanner.engine.blind_spots import blind_spot_findings
from scanner.engine.conditions import Context
from scanner.engine.policy import Policy
from scanner.engine.results import Evaluation, Finding, PolicyStats
from scanner.engine.supersedes import mark_superseded
from scanner.model.link.gaps import CollectionGaps, describe_failure
from scanner.model.link.location import resource_location
from scanner.model.link.timeparse import parse_time
from scanner.model.linked import LinkedModel
from scanner.model.resource_types import RESOURCE_TYPES

FAIL, PASS, UNKNOWN, OUT_OF_SCOPE = "fail", "pass", "unknown", "out_of_scope"


@dataclass
class Judgement:
    status: str  # fail | pass | unknown | out_of_scope
    evidence: dict[str, Any] = field(default_factory=dict)
    failures: tuple[dict[str, Any], ...] = ()
    problems: tuple[str, ...] = ()  # evaluation errors (a path failed on this data, a bound)


def evaluation_time(snapshot: dict[str, Any]) -> datetime:
    """The snapshot's ``finished_at``; else its latest unit's; else the current time."""
    finished = parse_time(snapshot.get("finished_at"))
    if finished is not None:
        return finished
    unit_times = [parse_time(unit.get("finished_at")) for unit in snapshot.get("units", [])]
    known = [moment for moment in unit_times if moment is not None]
    return max(known) if known else datetime.now(UTC)


def document_arns(document: dict[str, Any]) -> tuple[str, ...]:
    """The resources whose per-resource observations its facts draw on (linking may say)."""
    return tuple(document.get("rests_on_arns", (document["arn"],)))


def judge(
    policy: Policy, document: dict[str, Any], now: datetime, gaps: CollectionGaps
) -> Judgement:
    """One policy on one document, in three-valued logic: unknown where data is missing."""
    context = Context(
        now,
        partial(
            gaps.failures,
            document["account"],
            document["region"],
            arns=document_arns(document),
        ),
    )
    if policy.scope is not None:
        in_scope = policy.scope.evaluate(document, context)
        if in_scope is False:
            return Judgement(OUT_OF_SCOPE, context.evidence)
        if in_scope is None:
            return _unknown(context)
    violated = policy.violation.evaluate(document, context)
    if violated is None:
        return _unknown(context)
    return Judgement(FAIL if violated else PASS, context.evidence)


def _unknown(context: Context) -> Judgement:
    return Judgement(
        UNKNOWN, context.evidence, tuple(context.failures.values()), tuple(context.problems)
    )


def evaluate(
    model: LinkedModel, policies: Sequence[Policy], *, now: datetime | None = None
) -> Evaluation:
    """Judge every document of each policy's resource type; findings sorted and stable."""
    moment = now or evaluation_time(model.snapshot)
    gaps = CollectionGaps(model.errors)
    findings: list[Finding] = []
    stats: dict[str, PolicyStats] = {}
    for policy in policies:
        counts = stats[policy.id] = PolicyStats()
        for document in model.of_type(policy.meta.resource):
            judgement = judge(policy, document, moment, gaps)
            if judgement.status == OUT_OF_SCOPE:
                continue
            counts.evaluated += 1
            if judgement.status == PASS:
                counts.passed += 1
                continue
            if judgement.status == FAIL:
                counts.failed += 1
            else:
                counts.unknown += 1
            findings.append(_finding(policy, document, judgement))
    findings.extend(blind_spot_findings(policies, model.errors, stats))
    mark_superseded(findings, [policy.meta for policy in policies])
    findings.sort(key=lambda finding: (finding.sort_key(), finding.resource_id, finding.message))
    return Evaluation(policies=[policy.meta for policy in policies], findings=findings, stats=stats)


def _finding(policy: Policy, document: dict[str, Any], judgement: Judgement) -> Finding:
    meta = policy.meta
    label = f"{_title(meta.resource)} {document['id']}"
    evidence = dict(judgement.evidence)
    for path in policy.evidence_paths:
        evidence.setdefault(path.text, path.search(document))
    if judgement.status == FAIL:
        status = "open"
        message = policy.message.render(
            document, meta.parameters, fallback=f"{label}: {meta.title}"
        )
    else:
        status = "unknown"
        reasons = [describe_failure(error) for error in judgement.failures]
        if reasons or not judgement.problems:
            evidence["collection_errors"] = reasons
        if judgement.problems:
            evidence["evaluation_errors"] = list(judgement.problems)
            reasons.extend(judgement.problems)
        message = f"{label} cannot be judged by {meta.id}: {'; '.join(reasons)}."
    return Finding(
        policy_id=meta.id,
        severity=meta.severity,
        status=status,
        resource_type=meta.resource,
        resource_id=document["id"],
        arn=document["arn"],
        account=document["account"],
        region=document["region"],
        message=message,
        evidence=evidence,
        location=resource_location(meta.resource, document),
        remediation=policy.remediation.render(document, meta.parameters, fallback=meta.remediation),
    )


def _title(resource_type: str) -> str:
    known = RESOURCE_TYPES.get(resource_type)
    return known.title if known else resource_type
