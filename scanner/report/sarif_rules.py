"""SARIF rule descriptors and locations: how a policy appears to GitHub code scanning.

GitHub shows a result only at a file of the repository it was uploaded to, and
it does not resolve ``originalUriBaseIds`` (github/codeql-action#2215), so a
result's ``artifactLocation.uri`` is the policy file's path *from the
repository root*, with ``uriBaseId: %SRCROOT%`` for SARIF viewers. Built-in
policies resolve under the policy root (default ``.stormproof/policies``,
where a team vendors them, or ``--sarif-policy-root``); custom policies are
given relative to the current directory, which in CI is the checkout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from scanner.engine.policy_docs import remediation_markdown
from scanner.engine.results import PolicyMeta
from scanner.resources import builtin_policies_dir

DEFAULT_POLICY_ROOT = ".stormproof/policies"
SRCROOT = "%SRCROOT%"
TEXT_LIMIT = 1024  # GitHub: shortDescription / fullDescription
NAME_LIMIT = 255
TAG_LIMIT = 20

LEVELS: dict[str, str] = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY: dict[str, str] = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
}


@dataclass(frozen=True)
class SarifOptions:
    policy_root: str = DEFAULT_POLICY_ROOT  # repository path where built-in policies are vendored
    source_root: Path = field(default_factory=Path.cwd)  # custom policies are made relative to this
    emit_waived: bool = False  # keep waived findings, with a SARIF suppression
    max_results: int = 25_000  # GitHub rejects more results per run
    max_gzip_bytes: int = 10 * 1024 * 1024  # GitHub rejects a larger gzipped upload


def normalize_policy_root(value: str) -> str:
    """``./x/y/`` -> ``x/y``; the caller has already refused absolute paths and ``..``."""
    parts = [
        part for part in PurePosixPath(value.replace("\\", "/")).parts if part not in ("", ".")
    ]
    return "/".join(parts)


def policy_uri(meta: PolicyMeta, options: SarifOptions) -> str:
    """Repository-relative URI of the file that defined ``meta``, percent-encoded."""
    path = Path(meta.source_path)
    root = normalize_policy_root(options.policy_root)
    relative: str | None = None
    if meta.builtin:
        relative = _relative(path, builtin_policies_dir())
        relative = f"{root}/{relative or path.name}" if root else relative or path.name
    else:
        relative = _relative(path, options.source_root)
        if relative is None:
            relative = f"{root}/{path.name}" if root else path.name
    return quote(relative, safe="/-._~")


def _relative(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def rule_name(meta: PolicyMeta) -> str:
    """PascalCase from the title; SARIF wants a name that differs from the opaque id."""
    words = re.findall(r"[A-Za-z0-9]+", meta.title) or re.findall(r"[A-Za-z0-9]+", meta.id)
    name = "".join(word[:1].upper() + word[1:] for word in words)[:NAME_LIMIT]
    return name if name and name != meta.id else f"Policy{name or 'Rule'}"


def clip(text: str, limit: int = TEXT_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rule_tags(meta: PolicyMeta) -> list[str]:
    """``security`` makes GitHub honour security-severity; then resilience, tags, frameworks."""
    tags: list[str] = []
    for tag in ("security", "resilience", *meta.tags, *meta.frameworks):
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:TAG_LIMIT]


def rule_descriptor(meta: PolicyMeta) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": rule_name(meta),
        "shortDescription": {"text": clip(meta.title)},
        "fullDescription": {"text": clip(meta.description or meta.title)},
        "help": {"text": help_text(meta), "markdown": help_markdown(meta)},
        "defaultConfiguration": {"level": LEVELS.get(meta.severity, "warning")},
        "properties": {
            "tags": rule_tags(meta),
            "security-severity": SECURITY_SEVERITY.get(meta.severity, "5.5"),
            "precision": "high",
            "problem.severity": "error" if meta.severity in ("critical", "high") else "warning",
            "resource": meta.resource,
            "frameworks": list(meta.frameworks),
        },
    }
    web = [ref for ref in meta.references if ref.startswith("https://")]
    if web:
        descriptor["helpUri"] = web[0]
    return descriptor


def help_text(meta: PolicyMeta) -> str:
    parts = [
        f"{meta.title} (severity: {meta.severity}, resource: {meta.resource})",
        meta.description,
    ]
    if meta.rationale:
        parts.append(f"Why it matters: {meta.rationale}")
    if meta.remediation:
        parts.append(f"How to fix: {meta.remediation}")
    if meta.references:
        parts.append("References: " + " ".join(meta.references))
    if meta.frameworks:
        parts.append("Frameworks: " + ", ".join(meta.frameworks))
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def help_markdown(meta: PolicyMeta) -> str:
    lines = [f"**{_md(meta.title)}** (severity: {meta.severity}, resource: `{meta.resource}`)", ""]
    if meta.description:
        lines += [meta.description.strip(), ""]
    if meta.rationale:
        lines += ["## Why it matters", "", meta.rationale.strip(), ""]
    if meta.remediation:
        lines += ["## How to fix", "", remediation_markdown(meta.remediation.strip()), ""]
    if meta.references:
        lines += ["## References", ""] + [
            f"- <{ref}>" if "://" in ref else f"- {ref}" for ref in meta.references
        ]
        lines.append("")
    if meta.frameworks:
        lines += ["Frameworks: " + ", ".join(f"`{fw}`" for fw in meta.frameworks), ""]
    if meta.parameters:
        lines += [
            "Parameters: "
            + ", ".join(f"`{k}` = `{v}`" for k, v in sorted(meta.parameters.items())),
            "",
        ]
    return "\n".join(lines).strip() + "\n"


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)
