"""The terminal summary: counts by severity and policy, the worst findings, where files went.

Colour only on a TTY, never with ``NO_COLOR`` set or ``TERM=dumb``. Every
string that came from AWS or a user file is stripped of control characters,
so a tag value cannot move the cursor, recolour the screen or fake a line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from scanner.engine.results import SEVERITIES
from scanner.report.context import STATUSES, ScanReport
from scanner.report.summary import (
    baseline_counts,
    policy_lines,
    scope_line,
    superseded_note,
    worst_findings,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_COLORS = {
    "critical": "1;31",
    "high": "31",
    "medium": "33",
    "low": "36",
    "bold": "1",
    "dim": "2",
    "ok": "32",
}


def clean(text: object, limit: int | None = None) -> str:
    """One printable line: control characters and escapes become ``?``."""
    value = _CONTROL.sub("?", str(text))
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _Painter:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        code = _COLORS.get(style)
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and code else text


def render_terminal(
    report: ScanReport,
    *,
    written: Mapping[str, Path] | None = None,
    outcome: str | None = None,
    color: bool = False,
    worst: int = 10,
) -> str:
    paint = _Painter(color)
    out = [
        paint("bold", f"stormproof {clean(report.tool_version)}: {clean(scope_line(report))}"),
        "",
    ]
    counts = report.counts_by_severity()
    out.append(f"{'severity':<10}{'open':>8}{'waived':>8}{'unknown':>9}")
    for severity in SEVERITIES:
        row = counts[severity]
        label = paint(severity, f"{severity:<10}") if row["open"] else f"{severity:<10}"
        out.append(f"{label}{row['open']:>8}{row['waived']:>8}{row['unknown']:>9}")
    totals = report.counts_by_status()
    out.append(
        f"{'total':<10}"
        + "".join(f"{totals[s]:>{w}}" for s, w in zip(STATUSES, (8, 8, 9), strict=True))
    )
    if report.superseded:
        out.append(paint("dim", superseded_note(report)))
    lines = policy_lines(report, limit=15)
    if lines:
        out += ["", f"{'policy':<40}{'severity':<10}{'failed':>7}{'unknown':>8}{'waived':>7}"]
        for line in lines:
            out.append(
                f"{clean(line.policy_id, 39):<40}{paint(line.severity, f'{line.severity:<10}')}"
                f"{line.failed:>7}{line.unknown:>8}{line.waived:>7}"
            )
        hidden = len(policy_lines(report)) - len(lines)
        if hidden > 0:
            out.append(paint("dim", f"… and {hidden} more policies in findings.json / report.html"))
    top = worst_findings(report, worst)
    if top:
        out += ["", paint("bold", "worst findings")]
        for finding in top:
            new = " new" if finding.baseline_state == "new" else ""
            out.append(
                f"  {paint(finding.severity, finding.severity.upper()):<8} "
                f"{clean(finding.policy_id)}{new}  {clean(finding.resource_id, 60)} "
                f"({clean(finding.account)}/{clean(finding.region)})"
            )
            out.append(f"      {clean(finding.message, 160)}")
    if report.has_baseline:
        base = baseline_counts(report)
        out += [
            "",
            f"since the baseline: {base['new']} new, {base['unchanged']} unchanged, "
            f"{base['fixed']} fixed",
        ]
    if report.errors:
        out += [
            "",
            paint(
                "critical",
                f"collection errors ({len(report.errors)}): results that need them are unknown",
            ),
        ]
        for error in report.errors[:10]:
            where = "/".join(clean(error.get(k) or "global") for k in ("account", "region"))
            out.append(
                f"  {where} {clean(error.get('service'))} {clean(error.get('operation'))}: "
                f"{clean(error.get('code'))} {clean(error.get('message'), 120)}"
            )
        if len(report.errors) > 10:
            out.append(f"  … and {len(report.errors) - 10} more in findings.json")
    if report.warnings:
        out += ["", paint("medium", f"warnings ({len(report.warnings)})")]
        out += [f"  {clean(warning, 200)}" for warning in report.warnings]
    if written:
        out += ["", "wrote:"] + [f"  {clean(path)}" for _, path in sorted(written.items())]
    if outcome:
        out += ["", paint("bold", clean(outcome))]
    return "\n".join(out) + "\n"
