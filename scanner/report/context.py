"""The one input every renderer reads: a scan's findings plus everything said about them.

Built once per scan from the engine's :class:`Evaluation`, the linked model and
the waiver and baseline stages, so renderers never re-derive anything and all
outputs agree on every count.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from scanner import __version__
from scanner.engine.results import SEVERITIES, Evaluation, Finding, PolicyMeta, PolicyStats
from scanner.model.linked import LinkedModel

STATUSES: tuple[str, ...] = ("open", "waived", "unknown")
_GONE = frozenset({"terminated", "shutting-down", "deleting", "deleted"})  # no longer in a zone


@dataclass(frozen=True)
class ScanScope:
    """What was scanned: the snapshot's own scope and times (never the wall clock)."""

    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    started_at: str | None = None
    finished_at: str | None = None
    shard: str | None = None


@dataclass(frozen=True)
class ReportWarning:
    """A problem that did not stop the scan (an expired or malformed waiver): shown everywhere."""

    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.source, self.line) if part is not None)
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class FixedFinding:
    """A finding of the baseline that this scan no longer reports."""

    policy_id: str
    severity: str
    resource_type: str
    resource_id: str
    arn: str
    account: str
    region: str
    message: str


@dataclass
class ScanReport:
    """A scan, ready to render: findings carry their final status, waiver and baseline state."""

    scope: ScanScope
    policies: list[PolicyMeta]
    stats: dict[str, PolicyStats]
    findings: list[Finding]  # every finding an output shows (not the superseded ones)
    superseded: list[Finding] = field(default_factory=list)  # only findings.json lists these
    errors: list[dict[str, Any]] = field(default_factory=list)
    zones: list[dict[str, Any]] = field(default_factory=list)
    fleets: list[dict[str, Any]] = field(default_factory=list)
    placed: list[dict[str, Any]] = field(default_factory=list)  # instances/volumes of no fleet
    zone_counts: list[dict[str, Any]] = field(default_factory=list)  # every one, per zone
    warnings: list[ReportWarning] = field(default_factory=list)
    fixed: list[FixedFinding] = field(default_factory=list)
    has_baseline: bool = False
    accounts_redacted: bool = False
    tool_version: str = __version__

    @property
    def complete(self) -> bool:
        """False when collection failed somewhere or a resource could not be judged."""
        return not self.errors and not any(f.status == "unknown" for f in self.findings)

    def policy_index(self) -> dict[str, PolicyMeta]:
        return {meta.id: meta for meta in self.policies}

    def counts_by_severity(self) -> dict[str, dict[str, int]]:
        """``{severity: {status: count}}`` over every severity and status, zeros included."""
        counts = {sev: dict.fromkeys(STATUSES, 0) for sev in SEVERITIES}
        for finding in self.findings:
            counts.setdefault(finding.severity, dict.fromkeys(STATUSES, 0))
            counts[finding.severity][finding.status] = (
                counts[finding.severity].get(finding.status, 0) + 1
            )
        return counts

    def counts_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for finding in self.findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        return counts


def scope_from_snapshot(snapshot: dict[str, Any]) -> ScanScope:
    scope = snapshot.get("scope") or {}
    return ScanScope(
        accounts=tuple(sorted(scope.get("accounts") or [])),
        regions=tuple(sorted(scope.get("regions") or [])),
        started_at=snapshot.get("started_at"),
        finished_at=snapshot.get("finished_at"),
        shard=scope.get("shard"),
    )


def build_scan_report(
    evaluation: Evaluation,
    model: LinkedModel,
    *,
    warnings: list[ReportWarning] | None = None,
    fixed: list[FixedFinding] | None = None,
    has_baseline: bool = False,
) -> ScanReport:
    """Assemble the report; per-policy counts are recomputed from the findings' final status.

    The engine counts violations as ``failed``; after waivers some of those are
    ``waived``, so failed/unknown/waived come from the findings themselves while
    evaluated/passed keep the engine's numbers.
    """
    fleets = [fleet_summary(doc) for doc in model.of_type("fleet")]
    placed, zone_counts = placed_resources(model, fleets)
    ordered = sorted(evaluation.findings, key=Finding.sort_key)
    findings = [finding for finding in ordered if finding.superseded_by is None]
    superseded = [finding for finding in ordered if finding.superseded_by is not None]
    stats = recount_stats(evaluation, findings)
    for finding in superseded:
        stats.setdefault(finding.policy_id, PolicyStats()).superseded += 1
    return ScanReport(
        scope=scope_from_snapshot(model.snapshot),
        policies=sorted(evaluation.policies, key=lambda meta: meta.id),
        stats=stats,
        findings=findings,
        superseded=superseded,
        errors=[dict(error) for error in model.errors],
        zones=[dict(zone) for zone in model.zones],
        fleets=fleets,
        placed=placed,
        zone_counts=zone_counts,
        warnings=list(warnings or []),
        fixed=list(fixed or []),
        has_baseline=has_baseline,
    )


def recount_stats(evaluation: Evaluation, findings: list[Finding]) -> dict[str, PolicyStats]:
    stats: dict[str, PolicyStats] = {}
    for meta in evaluation.policies:
        engine = evaluation.stats.get(meta.id) or PolicyStats()
        stats[meta.id] = PolicyStats(evaluated=engine.evaluated, passed=engine.passed)
    for finding in findings:
        entry = stats.setdefault(finding.policy_id, PolicyStats())
        if finding.status == "waived":
            entry.waived += 1
        elif finding.status == "unknown":
            entry.unknown += 1
        else:
            entry.failed += 1
    return stats


def fleet_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """The fields of a fleet the zone map shows; nothing else leaves the model."""
    facts = doc.get("facts") or {}
    return {
        "id": doc.get("id"),
        "arn": doc.get("arn"),
        "name": doc.get("name") or doc.get("id"),
        "kind": doc.get("kind"),
        "account": doc.get("account"),
        "region": doc.get("region"),
        "zones": [dict(zone) for zone in facts.get("zones") or [] if isinstance(zone, dict)],
        "instance_ids": list(facts.get("instance_ids") or []),
    }


def placed_resources(
    model: LinkedModel, fleets: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Instances no fleet holds and volumes attached to none of its instances; counts per zone.

    Only the standalone ones are kept one by one (the zone map's rows); every
    instance and volume is counted per (account, Region, zone), so a scan of a
    million resources keeps a few thousand counters, not a million summaries.
    """
    members = {
        (fleet["account"], fleet["region"], instance)
        for fleet in fleets
        for instance in fleet["instance_ids"]
    }
    counts: dict[tuple[str, str, str], dict[str, Any]] = {}
    placed: list[dict[str, Any]] = []
    for kind in ("instance", "volume"):
        for doc in model.of_type(kind):
            zone = (doc.get("facts") or {}).get("zone")
            if doc.get("state") in _GONE or not isinstance(zone, dict) or not zone.get("name"):
                continue
            key = (doc["account"], doc["region"], str(zone["name"]))
            entry = counts.setdefault(
                key,
                {"account": key[0], "region": key[1], "zone": key[2], "instance": 0, "volume": 0},
            )
            entry[kind] += 1
            summary = placed_summary(kind, doc)
            owners = [doc.get("id")] if kind == "instance" else summary["instance_ids"]
            if not any((key[0], key[1], owner) in members for owner in owners):
                placed.append(summary)
    return placed, [counts[key] for key in sorted(counts)]


def placed_summary(kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    """An instance or volume as the zone map shows it: where it is and what it belongs to."""
    facts = doc.get("facts") or {}
    tags = doc.get("tags") if isinstance(doc.get("tags"), dict) else {}
    zone = facts.get("zone") if isinstance(facts.get("zone"), dict) else None
    return {
        "type": kind,
        "id": doc.get("id"),
        "arn": doc.get("arn"),
        "name": tags.get("Name") or doc.get("id"),
        "account": doc.get("account"),
        "region": doc.get("region"),
        "zone": dict(zone) if zone else None,
        "instance_ids": list(facts.get("attached_instance_ids") or []) if kind == "volume" else [],
    }


def clone_report(report: ScanReport) -> ScanReport:
    return copy.deepcopy(report)
