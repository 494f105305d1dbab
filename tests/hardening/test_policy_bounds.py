"""Custom policies cannot crash or exhaust a scan: a failure on one resource is *unknown*.

Through the real command line: a JMESPath expression that fails only on some
data (``length()`` of a missing tag), a path whose result explodes through
shared references, and a ``matches`` expression that backtracks
catastrophically each make that policy's result for that resource unknown,
with the reason, while every other resource and policy is judged as usual.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from scanner.engine.fragments import expand_fragment
from scanner.errors import ExitCode
from scanner.model.snapshot import dump_snapshot

POLICY = """\
id: team-probe
title: Probe
severity: low
resource: auto_scaling_group
description: A custom policy that meets data it did not expect.
rationale: Custom policies are code from many authors.
remediation: None.
violation:
  path: PATH
  op: OP
  value: VALUE
message: "{{ resource.id }} fails the probe."
"""

FRAGMENT = {
    "resources": {
        "auto_scaling_groups": [
            {"id": "tagged", "zones": ["us-east-1a"], "tags": {"team": "abc"}},
            {"id": "untagged", "zones": ["us-east-1a"], "tags": {}},
            {"id": "hostile", "zones": ["us-east-1a"], "tags": {"team": "a" * 40 + "!"}},
        ]
    }
}


def scan_with(run_cli, tmp_path: Path, path: str, op: str, value: str):
    folder = tmp_path / "policies"
    folder.mkdir()
    text = POLICY.replace("PATH", path).replace("OP", op).replace("VALUE", value)
    (folder / "probe.yaml").write_text(text, encoding="utf-8")
    snapshot = dump_snapshot(expand_fragment(FRAGMENT), tmp_path / "snapshot.json")
    output = tmp_path / "out"
    started = time.monotonic()
    result = run_cli("scan", "--snapshot", snapshot, "--policies", folder, "--output-dir", output)
    elapsed = time.monotonic() - started
    document = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    probes = {f["resource_id"]: f for f in document["findings"] if f["policy_id"] == "team-probe"}
    return result, probes, elapsed


def test_a_jmespath_type_error_on_one_resource_is_unknown_for_that_resource(
    run_cli, tmp_path: Path
) -> None:
    result, probes, _ = scan_with(run_cli, tmp_path, "length(tags.team)", "lt", "4")
    assert result.code == ExitCode.INCOMPLETE, result.err
    assert "Traceback" not in result.err
    assert probes["tagged"]["status"] == "open"  # length('abc') = 3 < 4
    unknown = probes["untagged"]
    assert unknown["status"] == "unknown"
    assert "cannot be judged by team-probe" in unknown["message"]
    assert "length(tags.team)" in unknown["message"] and "null" in unknown["message"]
    assert unknown["evidence"]["evaluation_errors"]
    assert "hostile" not in probes  # 41 characters: judged, and passes


def test_a_path_that_builds_a_huge_value_is_unknown(run_cli, tmp_path: Path) -> None:
    # Each stage doubles the previous result by reference: 2^25 copies once written out.
    expression = "to_string(" + " | ".join(["[@, @]"] * 25) + ")"
    result, probes, elapsed = scan_with(run_cli, tmp_path, f"'{expression}'", "eq", "x")
    assert result.code == ExitCode.INCOMPLETE, result.err
    assert elapsed < 30
    assert {f["status"] for f in probes.values()} == {"unknown"}
    assert "too costly" in probes["tagged"]["message"]


def test_a_catastrophic_regex_is_time_bounded_and_unknown_only_where_it_ran_away(
    run_cli, tmp_path: Path
) -> None:
    result, probes, elapsed = scan_with(run_cli, tmp_path, "tags.team", "not_matches", "'^(a|a)+$'")
    assert result.code == ExitCode.INCOMPLETE, result.err
    assert elapsed < 30, "a backtracking regex costs at most its time limit per value"
    assert probes["tagged"]["status"] == "open"  # 'abc' does not match: the violation holds
    hostile = probes["hostile"]
    assert hostile["status"] == "unknown"
    assert "regular expression '^(a|a)+$' took longer than" in hostile["message"]
    assert probes["untagged"]["status"] == "open"  # null never matches


@pytest.mark.parametrize("expression", ["'(a|a)*b'", "'(x+x+)+y'"])
def test_catastrophic_patterns_finish(run_cli, tmp_path: Path, expression: str) -> None:
    result, _, elapsed = scan_with(run_cli, tmp_path, "tags.team", "matches", expression)
    assert result.code in (ExitCode.FINDINGS, ExitCode.INCOMPLETE), result.err
    assert elapsed < 30
