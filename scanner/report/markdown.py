"""``summary.md``: the terminal summary in GitHub-flavoured Markdown, for ``$GITHUB_STEP_SUMMARY``.

Data is escaped for both Markdown and HTML (GitHub renders inline HTML in
Markdown), so a resource name cannot inject a link, an image or a table cell.
"""

from __future__ import annotations

import re

from scanner.engine.results import SEVERITIES
from scanner.report.context import ScanReport
from scanner.report.summary import (
    baseline_counts,
    policy_lines,
    scope_line,
    superseded_note,
    worst_findings,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_AUTOLINK = re.compile(r"(?i)(://|www\.)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: object, limit: int | None = None) -> str:
    """Text safe inside a Markdown table cell or paragraph: no markup, no HTML, one line."""
    value = _CONTROL.sub(" ", str(text))
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    value = (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return _AUTOLINK.sub(lambda m: m.group(1).replace("/", "\\/").replace(".", "\\."), value)


def render_markdown(report: ScanReport, *, outcome: str | None = None, worst: int = 10) -> str:
    status = "complete" if report.complete else "**incomplete**"
    out = [
        "## stormproof resilience scan",
        "",
        f"{escape(scope_line(report))}; scan {status}.",
        "",
        "| Severity | Open | Waived | Unknown |",
        "| --- | ---: | ---: | ---: |",
    ]
    counts = report.counts_by_severity()
    for severity in SEVERITIES:
        row = counts[severity]
        out.append(f"| {severity} | {row['open']} | {row['waived']} | {row['unknown']} |")
    totals = report.counts_by_status()
    out.append(
        f"| **total** | **{totals['open']}** | **{totals['waived']}** | **{totals['unknown']}** |"
    )
    if report.superseded:
        out += ["", escape(superseded_note(report))]
    lines = policy_lines(report, limit=25)
    if lines:
        out += [
            "",
            "### By policy",
            "",
            "| Policy | Severity | Failed | Unknown | Waived | Passed |",
        ]
        out.append("| --- | --- | ---: | ---: | ---: | ---: |")
        for line in lines:
            out.append(
                f"| `{escape_code(line.policy_id)}` {escape(line.title, 80)} | {line.severity} | "
                f"{line.failed} | {line.unknown} | {line.waived} | {line.passed} |"
            )
    top = worst_findings(report, worst)
    if top:
        out += [
            "",
            "### Worst findings",
            "",
            "| Severity | Policy | Resource | Account / Region | Message |",
        ]
        out.append("| --- | --- | --- | --- | --- |")
        for finding in top:
            new = " (new)" if finding.baseline_state == "new" else ""
            out.append(
                f"| {finding.severity}{new} | `{escape_code(finding.policy_id)}` "
                f"| {escape(finding.resource_id, 80)} "
                f"| {escape(finding.account)} / {escape(finding.region)} "
                f"| {escape(finding.message, 200)} |"
            )
    if report.has_baseline:
        base = baseline_counts(report)
        out += [
            "",
            f"Since the baseline: {base['new']} new, {base['unchanged']} unchanged, "
            f"{base['fixed']} fixed.",
        ]
    if report.errors:
        out += ["", f"### Collection errors ({len(report.errors)})", ""]
        out.append("Results that depend on these calls are reported as unknown.")
        out.append("")
        for error in report.errors[:20]:
            where = " / ".join(escape(error.get(k) or "global") for k in ("account", "region"))
            out.append(
                f"- {where}: {escape(error.get('service'))} {escape(error.get('operation'))} "
                f"{escape(error.get('code'))}: {escape(error.get('message'), 200)}"
            )
    if report.warnings:
        out += ["", f"### Warnings ({len(report.warnings)})", ""]
        out += [f"- {escape(warning, 300)}" for warning in report.warnings]
    if outcome:
        out += ["", f"**{escape(outcome)}**"]
    return "\n".join(out) + "\n"


def escape_code(text: str) -> str:
    """Inside backticks only backticks and pipes matter; drop them rather than break the cell."""
    return _CONTROL.sub(" ", text).replace("`", "'").replace("|", "/")
