"""``report.html``: one self-contained page (inline CSS, JS and SVG) that makes no network request.

Rendered by Jinja2 with autoescaping. The findings travel as JSON in a
``<script type="application/json">`` block (with ``<``, ``>``, ``&`` and the
JavaScript line separators escaped, so data can never close the block) and
the table is drawn client-side with ``textContent`` only. Control characters in
data printed by the template become U+FFFD. A Content-Security-
Policy meta tag allows exactly the page's own style and script, by hash.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from scanner.engine.results import SEVERITIES
from scanner.report.context import ScanReport
from scanner.report.json_text import dumps_sorted
from scanner.report.scenarios_html import scenario_context
from scanner.report.summary import baseline_counts
from scanner.report.zone_map import build_zone_maps
from scanner.resources import templates_dir

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float
    severity: str
    y: int


def embed_json(value: Any) -> Markup:
    """JSON that is safe inside a ``<script type="application/json">`` element."""
    text = dumps_sorted(value, indent=False)
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# C0 and C1 control characters other than tab and newlines are parse errors in HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _printable(value: Any) -> Any:
    """Every value the template prints from data: control characters become U+FFFD."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("\ufffd", value)
    return value


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        finalize=_printable,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> str:
    return (templates_dir() / name).read_text(encoding="utf-8")


def _bars(items: list[tuple[str, int, str]], max_width: float = 360.0, step: int = 26) -> list[Bar]:
    top = max((value for _, value, _ in items), default=0) or 1
    return [
        Bar(
            label,
            value,
            round(max_width * value / top, 1) if value else 0.0,
            severity,
            index * step,
        )
        for index, (label, value, severity) in enumerate(items)
    ]


def _client_data(report: ScanReport) -> dict[str, Any]:
    policies = sorted(report.policies, key=lambda meta: meta.id)
    index = {meta.id: i for i, meta in enumerate(policies)}
    return {
        "hasBaseline": report.has_baseline,
        "severities": list(SEVERITIES),
        "policies": [
            {
                "id": meta.id,
                "title": meta.title,
                "severity": meta.severity,
                "remediation": meta.remediation,
                "references": list(meta.references),
                "frameworks": list(meta.frameworks),
            }
            for meta in policies
        ],
        "findings": [
            {
                "p": index.get(f.policy_id, -1),
                "pid": f.policy_id,
                "s": f.severity,
                "st": f.status,
                "id": f.resource_id,
                "arn": f.arn,
                "t": f.resource_type,
                "a": f.account,
                "r": f.region,
                "m": f.message,
                "e": f.evidence,
                "b": f.baseline_state,
                "w": f.waiver,
            }
            for f in report.findings
        ],
    }


def render_html(report: ScanReport) -> str:
    css = _asset("report.css") + _asset("scenarios.css")
    js = _asset("report.js") + _asset("scenarios.js")
    csp = (
        "default-src 'none'; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    counts = report.counts_by_severity()
    severity_bars = _bars([(sev, counts[sev]["open"], sev) for sev in SEVERITIES])
    failing = sorted(
        (
            (meta.id, report.stats[meta.id].failed, meta.severity)
            for meta in report.policies
            if meta.id in report.stats
        ),
        key=lambda item: (-item[1], item[0]),
    )
    policy_bars = _bars([item for item in failing if item[1] > 0][:30])
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        csp=csp,
        css=Markup(css),
        js=Markup(js),
        data=embed_json(_client_data(report)),
        severities=SEVERITIES,
        counts=counts,
        totals=report.counts_by_status(),
        severity_bars=severity_bars,
        policy_bars=policy_bars,
        zone_maps=build_zone_maps(report.zones, report.fleets),
        baseline=baseline_counts(report),
        policy_rows=[(meta, report.stats.get(meta.id)) for meta in report.policies],
        scenarios=scenario_context(report),
    )
