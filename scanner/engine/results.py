"""What evaluation produces: the contract between the engine and every report.

A finding's identity is ``(policy_id, arn)``: it is the SARIF fingerprint, the
waiver key and the baseline key, so it must never depend on message wording,
ordering or run time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class PolicyMeta:
    """Everything a report needs to describe a policy (the SARIF rule, the docs page)."""

    id: str
    title: str
    severity: str  # effective severity, after any config override
    resource: str  # a name from scanner.model.resource_types.RESOURCE_TYPES
    description: str
    rationale: str
    remediation: str  # with <placeholders> where a finding has the resource's values
    references: tuple[str, ...]
    frameworks: tuple[str, ...]
    tags: tuple[str, ...]
    parameters: dict[str, Any]  # effective values, after any config override
    source_path: Path  # the YAML file that defined it
    violation_line: int  # 1-based line of its `violation:` key (the SARIF location)
    builtin: bool
    supersedes: tuple[str, ...] = ()  # policies whose finding on the same resource this replaces


@dataclass
class Finding:
    """One resource that violates (``open``) or cannot be judged (``unknown``) by one policy."""

    policy_id: str
    severity: str
    status: str  # "open" | "unknown"; reports may turn "open" into "waived"
    resource_type: str
    resource_id: str
    arn: str
    account: str
    region: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)  # the values the decision rested on
    location: dict[str, Any] = field(default_factory=dict)  # scanner.model.link.location
    remediation: str = ""  # the policy's remediation for this resource; "" for the generic one
    superseded_by: str | None = None  # the policy whose finding on this resource replaces it
    waiver: dict[str, Any] | None = None  # the matching waiver entry, set by the waiver stage
    baseline_state: str | None = None  # "new" | "unchanged", set by the baseline stage

    @property
    def identity(self) -> tuple[str, str]:
        return (self.policy_id, self.arn)

    @property
    def fingerprint(self) -> str:
        """Stable hash of the identity; the same alert across runs."""
        return hashlib.sha256(f"{self.policy_id}\x00{self.arn}".encode()).hexdigest()

    def sort_key(self) -> tuple:
        return (
            SEVERITY_RANK.get(self.severity, 99),
            self.policy_id,
            self.account,
            self.region,
            self.arn,
        )


@dataclass
class PolicyStats:
    evaluated: int = 0  # resources in scope
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    waived: int = 0
    superseded: int = 0  # failed, but another policy's finding on the resource replaces it


@dataclass
class Evaluation:
    """The engine's output for one scan: sorted findings and per-policy counts."""

    policies: list[PolicyMeta]
    findings: list[Finding]  # sorted by Finding.sort_key: deterministic
    stats: dict[str, PolicyStats]
