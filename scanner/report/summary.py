"""Aggregates shared by the terminal and Markdown summaries, so both always agree."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.engine.results import SEVERITY_RANK, Finding
from scanner.report.context import ScanReport


@dataclass(frozen=True)
class PolicyLine:
    policy_id: str
    title: str
    severity: str
    failed: int
    unknown: int
    waived: int
    passed: int


def policy_lines(report: ScanReport, limit: int | None = None) -> list[PolicyLine]:
    """Policies with anything to say (failed, unknown or waived), worst first."""
    lines = []
    for meta in report.policies:
        stats = report.stats.get(meta.id)
        if stats is None or not (stats.failed or stats.unknown or stats.waived):
            continue
        lines.append(
            PolicyLine(
                meta.id,
                meta.title,
                meta.severity,
                stats.failed,
                stats.unknown,
                stats.waived,
                stats.passed,
            )
        )
    lines.sort(
        key=lambda line: (
            SEVERITY_RANK.get(line.severity, 99),
            -line.failed,
            -line.unknown,
            line.policy_id,
        )
    )
    return lines if limit is None else lines[:limit]


def worst_findings(report: ScanReport, limit: int = 10, per_policy: int = 2) -> list[Finding]:
    """The most severe open findings (new ones first when a baseline was given).

    At most ``per_policy`` of one policy, so twenty unprotected volumes do not
    hide the one single-zone load balancer; the policy table counts the rest.
    """
    open_findings = [f for f in report.findings if f.status == "open"]
    open_findings.sort(
        key=lambda f: (SEVERITY_RANK.get(f.severity, 99), f.baseline_state != "new", *f.sort_key())
    )
    shown: list[Finding] = []
    taken: dict[str, int] = {}
    for finding in open_findings:
        if taken.get(finding.policy_id, 0) >= per_policy:
            continue
        taken[finding.policy_id] = taken.get(finding.policy_id, 0) + 1
        shown.append(finding)
        if len(shown) == limit:
            break
    return shown


def scope_line(report: ScanReport) -> str:
    scope = report.scope
    accounts = len(scope.accounts)
    regions = len(scope.regions)
    parts = [
        f"{accounts} account{'s' if accounts != 1 else ''}",
        f"{regions} Region{'s' if regions != 1 else ''}",
        f"{len(report.policies)} polic{'ies' if len(report.policies) != 1 else 'y'}",
    ]
    if scope.started_at:
        parts.append(f"collected {scope.started_at}")
    return ", ".join(parts)


def baseline_counts(report: ScanReport) -> dict[str, int]:
    counts = {"new": 0, "unchanged": 0, "fixed": len(report.fixed)}
    for finding in report.findings:
        if finding.baseline_state in counts:
            counts[finding.baseline_state] += 1
    return counts


def superseded_note(report: ScanReport) -> str:
    """One line on the findings no output but findings.json repeats."""
    count = len(report.superseded)
    noun = "finding" if count == 1 else "findings"
    return (
        f"{count} more {noun} superseded by a more precise policy on the same resource "
        "(listed in findings.json)"
    )
