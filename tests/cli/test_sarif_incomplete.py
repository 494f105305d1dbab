"""An incomplete scan must not close open GitHub alerts.

GitHub closes an alert of a category that is absent from the next analysis
uploaded for it, matching results by ``partialFingerprints``. These tests run
consecutive scans through the command line and apply that rule to the SARIF
files: every alert open after the first upload is still open after the
incomplete one, and closes only once a complete scan no longer reports it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot

WEB = {"id": "web", "zones": ["us-east-1a"]}
API = {"id": "api", "zones": ["us-east-1a", "us-east-1b"]}
LISTING_DENIED = {
    "service": "autoscaling",
    "operation": "DescribeAutoScalingGroups",
    "code": "AccessDenied",
}


def scan(tmp_path: Path, name: str, fragment: dict, *flags: str) -> Path:
    snapshot = dump_snapshot(expand_fragment(fragment), tmp_path / f"{name}.json")
    out = tmp_path / name
    try:
        cli.main(
            [
                "-q",
                "scan",
                "--snapshot",
                str(snapshot),
                "--output-dir",
                str(out),
                "--policy",
                "asg-single-az",
                *flags,
            ]
        )
    except SystemExit:
        pytest.fail("scan exited from argparse")
    return out


def alerts_after(upload: Path, before: dict[str, str]) -> dict[str, str]:
    """GitHub's rule for one category: the alerts open after this upload, fingerprint -> ARN."""
    run = json.loads((upload / "results.sarif").read_text())["runs"][0]
    return {
        r["partialFingerprints"]["primaryLocationLineHash"]: r["locations"][0]["logicalLocations"][
            0
        ]["fullyQualifiedName"]
        for r in run["results"]
    }


def test_a_resource_that_turned_unknown_keeps_its_alert_open(tmp_path: Path):
    first = scan(tmp_path, "first", {"resources": {"auto_scaling_groups": [WEB, API]}})
    open_first = alerts_after(first, {})
    assert [arn.rsplit("/", 1)[-1] for arn in open_first.values()] == ["web"]
    # The subnets could not be described: web's zones are unknown, the scan is incomplete.
    second = scan(
        tmp_path,
        "second",
        {
            "resources": {"auto_scaling_groups": [WEB, API]},
            "errors": [{"service": "ec2", "operation": "DescribeSubnets"}],
        },
    )
    findings = json.loads((second / "findings.json").read_text())
    assert findings["scan"]["complete"] is False
    web = [f for f in findings["findings"] if f["arn"] in open_first.values()]
    assert [f["status"] for f in web] == ["unknown"]
    open_second = alerts_after(second, open_first)
    assert set(open_first) <= set(open_second)


def test_a_resource_the_scan_could_not_list_keeps_its_alert_open_with_a_baseline(
    tmp_path: Path,
):
    first = scan(tmp_path, "first", {"resources": {"auto_scaling_groups": [WEB, API]}})
    open_first = alerts_after(first, {})
    blind = scan(
        tmp_path,
        "blind",
        {"resources": {}, "errors": [LISTING_DENIED]},
        "--baseline",
        str(first / "findings.json"),
    )
    document = json.loads((blind / "findings.json").read_text())
    assert document["fixed"] == []  # not observed is not fixed
    carried = [f for f in document["findings"] if f["arn"] in open_first.values()]
    assert [f["status"] for f in carried] == ["unknown"]
    assert set(open_first) <= set(alerts_after(blind, open_first))
    # A complete scan that no longer finds it closes the alert.
    fixed_scan = scan(
        tmp_path,
        "fixed",
        {"resources": {"auto_scaling_groups": [{**WEB, "zones": ["us-east-1a", "us-east-1b"]}]}},
        "--baseline",
        str(first / "findings.json"),
    )
    assert alerts_after(fixed_scan, open_first) == {}
