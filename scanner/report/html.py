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
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup

from scanner.engine.results import SEVERITIES, Finding
from scanner.report.context import ScanReport
from scanner.report.json_text import dumps_sorted
from scanner.report.markdown_html import markdown_html
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


_OPEN_ZONE_MAPS = 3  # more (account, Region) maps than this start collapsed, behind an index


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float  # percent of the longest bar
    severity: str
    href: str  # the findings view it filters to (a URL fragment the page's script reads)
    hint: str


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


def _bars(items: list[tuple[str, int, str, str, str]]) -> list[Bar]:
    """``(label, value, severity, href, hint)`` rows; widths relative to the largest value."""
    top = max((item[1] for item in items), default=0) or 1
    return [
        Bar(label, value, round(100.0 * value / top, 1) if value else 0.0, severity, href, hint)
        for label, value, severity, href, hint in items
    ]


def _fragment(**state: str) -> str:
    """The URL fragment of a findings view: ``#findings?severity=high&status=open``."""
    return "#findings?" + urlencode(state)


def _common_prefix(first: str, second: str) -> int:
    """Length of the common prefix, by bisection over slice comparisons (done in C)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class _RemediationCodec:
    """Per-finding remediations, sent as the difference from their policy's first one.

    Rendered remediations of one policy differ only where resource values go
    (``--auto-scaling-group-name batch-workers``); sending ``[prefix length,
    middle, suffix length]`` against a base keeps a 100k-finding page from
    carrying 100k copies of the same paragraphs. The script rebuilds the text.
    """

    def __init__(self) -> None:
        self.bases: dict[str, str] = {}

    def encode(self, policy_id: str, text: str) -> list[Any] | None:
        if not text:
            return None
        base = self.bases.setdefault(policy_id, text)
        prefix = _common_prefix(base, text)
        rest_base, rest_text = base[prefix:], text[prefix:]
        suffix = _common_prefix(rest_base[::-1], rest_text[::-1])
        return [prefix, rest_text[: len(rest_text) - suffix], suffix]


def _client_data(report: ScanReport) -> dict[str, Any]:
    policies = sorted(report.policies, key=lambda meta: meta.id)
    index = {meta.id: i for i, meta in enumerate(policies)}
    remediations = _RemediationCodec()
    findings = [_client_finding(f, index, remediations) for f in report.findings]
    return {
        "hasBaseline": report.has_baseline,
        "severities": list(SEVERITIES),
        "policies": [
            {
                "id": meta.id,
                "title": meta.title,
                "severity": meta.severity,
                "remediation": meta.remediation,
                "description": meta.description,
                "references": list(meta.references),
                "frameworks": list(meta.frameworks),
            }
            for meta in policies
        ],
        "findings": findings,
        "remediationBases": remediations.bases,
    }


def _client_finding(
    f: Finding, index: dict[str, int], remediations: _RemediationCodec
) -> dict[str, Any]:
    return {
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
        "rem": remediations.encode(f.policy_id, f.remediation),
        "z": [[zone.get("name"), zone.get("id")] for zone in (f.location or {}).get("zones") or []],
        "sn": (f.location or {}).get("subnet_ids") or [],
        "n": (f.location or {}).get("name"),
        "tg": (f.location or {}).get("tags") or {},
        "b": f.baseline_state,
        "w": f.waiver,
    }


def render_html(report: ScanReport) -> str:
    css = _asset("report.css")
    js = _asset("report.js")
    csp = (
        "default-src 'none'; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    counts = report.counts_by_severity()
    severity_bars = _bars(
        [
            (
                sev,
                counts[sev]["open"],
                sev,
                _fragment(severity=sev, status="open"),
                f"show open findings of {sev} severity and above",
            )
            for sev in SEVERITIES
        ]
    )
    failing = sorted(
        (
            (meta.id, report.stats[meta.id].failed, meta.severity)
            for meta in report.policies
            if meta.id in report.stats
        ),
        key=lambda item: (-item[1], item[0]),
    )
    policy_bars = _bars(
        [
            (pid, failed, sev, _fragment(policy=pid, status="open"), f"show open findings of {pid}")
            for pid, failed, sev in failing
            if failed > 0
        ][:30]
    )
    zone_maps = build_zone_maps(
        report.zones, report.fleets, placed=report.placed, zone_counts=report.zone_counts
    )
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
        zone_maps=zone_maps,
        zone_maps_open=len(zone_maps) <= _OPEN_ZONE_MAPS,
        baseline=baseline_counts(report),
        policy_rows=[
            (meta, report.stats.get(meta.id), markdown_html(meta.description))
            for meta in report.policies
        ],
    )
