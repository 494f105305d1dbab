"""report.html without a browser: self-contained, CSP by hash, data that cannot break out."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

from scanner.report.html import embed_json, render_html
from tests.report.factories import XSS, sample_report

BREAKOUT = "</script><script>alert(1)</script>\u2028<!--"


def _page() -> str:
    report = sample_report()
    report.findings[1].message = BREAKOUT
    return render_html(report)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_allows_exactly_the_inline_style_and_script() -> None:
    page = _page()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    csp = html.unescape(meta.group(1))  # the browser reads the attribute unescaped
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    assert "default-src 'none'" in csp
    assert f"style-src {_sha256(style)}" in csp
    assert f"script-src {_sha256(script)}" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.index("Content-Security-Policy") < page.index("<style>")


def test_nothing_is_loaded_from_anywhere() -> None:
    page = _page()
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert '<link rel="stylesheet"' not in page
    assert page.count("<script") == 2  # the JSON data block and the inline script


def test_data_cannot_close_its_script_block_and_round_trips() -> None:
    page = _page()
    assert page.count("</script>") == 2
    block = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    )
    data = json.loads(block.group(1))
    messages = [f["m"] for f in data["findings"]]
    assert BREAKOUT in messages
    assert XSS in json.dumps(data, ensure_ascii=False)
    assert "\u2028" not in block.group(1)


def test_embed_json_escapes_html_significant_characters() -> None:
    text = str(embed_json({"a": "<b>&\u2029"}))
    assert text == '{"a":"\\u003cb\\u003e\\u0026\\u2029"}'
    assert json.loads(text) == {"a": "<b>&\u2029"}


def test_server_rendered_parts_are_autoescaped() -> None:
    page = _page()
    assert XSS not in page.replace("\\u003c", "<")[: page.index('id="report-data"')]
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the fleet name in the zone map


def test_page_has_header_charts_zone_map_table_and_policies() -> None:
    page = _page()
    for marker in (
        'id="scope-accounts"',
        "Open findings by severity",
        "Failing resources by policy",
        'id="zone-maps"',
        "us-east-1-bos-1a",
        'id="filter-severity"',
        'id="filter-text"',
        'id="policies"',
    ):
        assert marker in page
    assert "us-east-1-mia-1a" not in page  # a Local Zone that is neither opted in nor used
    assert 'id="only-new"' not in page  # no baseline given


def test_collection_errors_are_prominent() -> None:
    error = {
        "account": "111111111111",
        "region": "eu-west-1",
        "service": "ec2",
        "operation": "DescribeInstances",
        "code": "UnauthorizedOperation",
        "message": "You are not authorized <b>",
    }
    page = render_html(sample_report(errors=[error]))
    section = page[page.index('id="collection-errors"') :]
    assert page.index('id="collection-errors"') < page.index('id="findings"')
    assert "UnauthorizedOperation" in section and "&lt;b&gt;" in section


def test_render_is_deterministic() -> None:
    assert render_html(sample_report()) == render_html(sample_report())
