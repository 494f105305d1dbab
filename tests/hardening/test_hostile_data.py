"""Hostile data end to end: tag keys, tag values and resource names carrying markup, script,
terminal escapes, control characters, bidi overrides, 100 KB strings and unusual Unicode.

One scan of a snapshot full of them, with a custom policy whose message prints
the tags, through the real command line. Each output is then checked by what
consumes it: HTML escaped (and shown as text by Chromium), terminal and Markdown
neutralised, SARIF valid for both SARIF validators, JSON valid and lossless.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from scanner.engine.fragments import expand_fragment
from scanner.errors import ExitCode
from scanner.model.snapshot import dump_snapshot, load_snapshot
from scanner.resources import load_schema
from tests.hardening.conftest import CliRun
from tests.report.sarif_check import assert_valid_sarif

LONG = "x" * 100_000
HOSTILE = {
    "img": "<img src=x onerror=alert(1)>",
    "script": "</script><script>alert(2)</script>",
    "ansi": "\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\x1b[2J",
    "control": "a\x01b\x08c\rfake line\nsecond",
    "bidi": "invoice\u202etxt.exe",
    "long": LONG,
    "unicode": "emoji 😀, e\u0301, \uffff, \U0010ffff, \u200b, \ufeff",
    "template": "{{ 7*7 }}{% raw %}",
    "markdown": "](javascript:alert(3)) | cell | ![x](http://e.invalid/x.png)",
}
# Auto Scaling group names: up to 255 characters, anything but ':' (so no 100 KB ids).
NAMES = {key: f"asg-{key}-{value[:200]}".replace(":", ";") for key, value in HOSTILE.items()}
TAGS = {f"{key}<b>{value[:60]}": value for key, value in HOSTILE.items()}

TAG_POLICY = """\
id: team-tags-echo
title: Echo the tags <b>back</b>
severity: low
resource: auto_scaling_group
description: Prints every tag of a single-zone group, to prove outputs neutralise data.
rationale: Tags come from anyone who can tag a resource.
remediation: None.
violation:
  path: facts.zone_count
  op: lt
  value: 2
message: "{{ resource.id }} has tags {{ resource.tags }}"
"""

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


@dataclass
class HostileScan:
    output: Path
    result: CliRun

    def text(self, name: str) -> str:
        return (self.output / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    groups = [{"id": name, "zones": ["us-east-1a"], "tags": TAGS} for name in NAMES.values()]
    instances = [
        {"id": f"i-{index:017x}", "zone": "us-east-1a", "tags": {"Fleet": value}}
        for index, value in enumerate(HOSTILE.values())
    ]
    fragment = {"resources": {"auto_scaling_groups": groups, "instances": instances}}
    return dump_snapshot(expand_fragment(fragment), tmp_path_factory.mktemp("hostile") / "s.json")


@pytest.fixture
def hostile_scan(run_cli, hostile_snapshot: Path, tmp_path: Path) -> HostileScan:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "echo.yaml").write_text(TAG_POLICY, encoding="utf-8")
    output = tmp_path / "out"
    result = run_cli(
        "scan", "--snapshot", hostile_snapshot, "--policies", policies, "--output-dir", output
    )
    assert result.code == ExitCode.FINDINGS, result.err
    return HostileScan(output, result)


def test_the_snapshot_keeps_every_hostile_string_exactly(hostile_snapshot: Path) -> None:
    unit = load_snapshot(hostile_snapshot)["units"][0]
    assert {g["id"] for g in unit["resources"]["auto_scaling_groups"]} == set(NAMES.values())
    assert unit["resources"]["auto_scaling_groups"][0]["tags"] == TAGS


def test_json_is_valid_lossless_and_schema_conformant(hostile_scan: HostileScan) -> None:
    document = json.loads(hostile_scan.text("findings.json"))
    schema = load_schema("findings.schema.json")
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert not list(validator.iter_errors(document))
    echoed = [f for f in document["findings"] if f["policy_id"] == "team-tags-echo"]
    assert {f["resource_id"] for f in echoed} == set(NAMES.values())
    # The message is data, kept as rendered (capped at 4096 characters), never interpreted.
    for finding in echoed:
        assert len(finding["message"]) <= 4096
        assert finding["message"].startswith(" ".join(finding["resource_id"].split()))
    assert any("<img src=x onerror=alert(1)>" in f["message"] for f in echoed)


def test_sarif_is_valid_for_both_validators(hostile_scan: HostileScan, tmp_path: Path) -> None:
    sarif = assert_valid_sarif(hostile_scan.output / "results.sarif", tmp_path / "sarif")
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(HOSTILE["bidi"] in m for m in messages)  # JSON carries it; viewers escape it


def test_html_escapes_everything(hostile_scan: HostileScan) -> None:
    page = hostile_scan.text("report.html")
    for raw in ("<img src=x", "<script>alert", "</script><script>", "<b>back</b>"):
        assert raw not in page
    assert page.count("<script") == 2  # the JSON data block and the page's own script
    assert not CONTROL_CHARS.search(page)
    assert "&lt;b&gt;back&lt;/b&gt;" in page  # the policy title, escaped


def test_terminal_output_is_neutralised(hostile_scan: HostileScan) -> None:
    out = hostile_scan.result.out
    assert not CONTROL_CHARS.search(out) and not BIDI.search(out)
    assert "\x1b" not in out
    assert "asg-ansi-?[31mRED?[0m" in out  # visible as text, not as colour
    assert max(len(line) for line in out.splitlines()) < 400  # 100 KB values are cut


def test_markdown_is_neutralised(hostile_scan: HostileScan) -> None:
    text = hostile_scan.text("summary.md")
    assert not CONTROL_CHARS.search(text) and not BIDI.search(text)
    assert "<img" not in text and "<script" not in text
    assert "\\](javascript" in text and not re.search(r"(?<!\\)\]\(", text)  # no live link
    checked = 0
    for line in text.splitlines():
        if line.startswith(("| low | `", "| high | `")):  # the worst-findings table
            # Data cannot add or close table cells: pipes inside it are escaped.
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line
            checked += 1
    assert checked >= 5


@pytest.mark.browser
def test_chromium_shows_hostile_data_as_text(hostile_scan: HostileScan, open_report) -> None:
    page, log = open_report(hostile_scan.output / "report.html")
    assert log.dialogs == []  # no alert() ran
    assert log.problems() == []
    assert log.requests == [(hostile_scan.output / "report.html").resolve().as_uri()]
    cells = page.locator("#findings-body tr.finding td.res").all_text_contents()
    assert any("<img src=x onerror=alert(1)>" in cell for cell in cells)
    assert page.locator("img[src='x']").count() == 0
