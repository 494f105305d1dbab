"""Supersession: one finding per problem when two policies say the same thing about one resource.

A policy may declare ``supersedes: [ids]``. When it fails a resource (an open
finding, same ARN) that a superseded policy also fails, the superseded finding
is marked ``superseded_by`` the more precise one: findings.json keeps it (with
status ``superseded``), every other output leaves it out. A tag fleet that lives
in one Local Zone is one finding ("lives only in a Local Zone"), not two.
Unknown findings neither supersede nor are superseded: what could not be judged
stays visible. Chains resolve to the first policy (by id) that supersedes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from scanner.engine.results import Finding, PolicyMeta


def mark_superseded(findings: Iterable[Finding], policies: Iterable[PolicyMeta]) -> int:
    """Set ``superseded_by`` on every finding another policy's finding replaces; return how many."""
    superseders: dict[str, list[str]] = defaultdict(list)  # superseded id -> ids that supersede it
    for meta in sorted(policies, key=lambda meta: meta.id):
        for target in meta.supersedes:
            if target != meta.id:
                superseders[target].append(meta.id)
    if not superseders:
        return 0
    failing: dict[str, set[str]] = defaultdict(set)  # arn -> policies with an open finding on it
    candidates: list[Finding] = []
    for finding in findings:
        if finding.status != "open":
            continue
        failing[finding.arn].add(finding.policy_id)
        if finding.policy_id in superseders:
            candidates.append(finding)
    marked = 0
    for finding in candidates:
        by = next(
            (pid for pid in superseders[finding.policy_id] if pid in failing[finding.arn]), None
        )
        if by is not None:
            finding.superseded_by = by
            marked += 1
    return marked
