"""Waivers that select resources by tag, beside policy and ARN globs (through the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot

FRAGMENT = {
    "resources": {
        "auto_scaling_groups": [
            {"id": "sandbox-web", "zones": ["us-east-1a"], "tags": {"Env": "sandbox"}},
            {"id": "sandbox-2", "zones": ["us-east-1a"], "tags": {"Env": "sandbox-2"}},
            {"id": "prod-web", "zones": ["us-east-1a"], "tags": {"Env": "prod"}},
        ]
    }
}


def statuses(tmp_path: Path, waivers: str) -> dict[str, str]:
    snapshot = dump_snapshot(expand_fragment(FRAGMENT), tmp_path / "s.json")
    path = tmp_path / "waivers.yaml"
    path.write_text(waivers)
    out = tmp_path / "findings.json"
    code = cli.main(
        [
            "-q",
            "scan",
            "--snapshot",
            str(snapshot),
            "--policy",
            "asg-single-az",
            "--waivers",
            str(path),
            "--format",
            "json",
            "--output",
            str(out),
        ]
    )
    assert code in (0, 1)
    document = json.loads(out.read_text())
    return {f["resource_id"]: f["status"] for f in document["findings"]}


ENTRY = "  - {{policy: asg-single-az, {select}, reason: r, owner: o, expires: 2999-01-01}}\n"


@pytest.mark.parametrize(
    ("select", "waived"),
    [
        ("tags: {Env: sandbox}", {"sandbox-web"}),
        ("tags: {Env: 'sandbox*'}", {"sandbox-web", "sandbox-2"}),
        ("tags: {Env: sandbox, Team: web}", set()),
        ("resource: '*prod-*', tags: {Env: sandbox}", set()),
        ("resource: '*sandbox-*', tags: {Env: sandbox}", {"sandbox-web"}),
    ],
)
def test_a_tag_waiver_waives_exactly_the_tagged_resources(
    tmp_path: Path, select: str, waived: set[str]
):
    found = statuses(tmp_path, "waivers:\n" + ENTRY.format(select=select))
    assert {rid for rid, status in found.items() if status == "waived"} == waived
    assert {rid for rid, status in found.items() if status == "open"} == set(found) - waived


def test_a_waiver_without_resource_or_tags_is_malformed(tmp_path: Path, capsys):
    entry = "  - {policy: asg-single-az, reason: r, owner: o, expires: 2999-01-01}\n"
    found = statuses(tmp_path, "waivers:\n" + entry)
    assert set(found.values()) == {"open"}
    assert "malformed waiver #1 waives nothing" in capsys.readouterr().err
