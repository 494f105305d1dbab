"""`stormproof scan` on a saved snapshot: findings say where, and say it once, in every output.

The snapshot is a policy-test fragment expanded by the same code the policy
tests use: an Auto Scaling group in one zone, a tag fleet and a group that
live only in a Local Zone, standalone instances and volumes, a disabled DLM
policy whose status message still reads ENABLED (as AWS's own example shows).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.errors import ExitCode
from scanner.resources import load_schema

ACCOUNT = "111122223333"
LOCAL_ZONE = "us-east-1-lax-1a"

FRAGMENT = {
    "resources": {
        "subnets": [
            {"id": "subnet-a", "zone": "us-east-1a", "zone_id": "ue1-az1"},
            {"id": "subnet-lax", "zone": LOCAL_ZONE, "zone_id": "ue1-lax1-az1"},
        ],
        "auto_scaling_groups": [
            {"id": "batch-workers", "subnet_ids": ["subnet-a"], "zones": ["us-east-1a"]},
            {"id": "edge-cache", "subnet_ids": ["subnet-lax"], "zones": [LOCAL_ZONE]},
        ],
        "instances": [
            {
                "id": f"i-game{n}",
                "zone": LOCAL_ZONE,
                "subnet_id": "subnet-lax",
                "tags": {"Service": "game", "Name": f"game-{n}"},
            }
            for n in range(2)
        ]
        + [
            {
                "id": f"i-db{n}",
                "zone": "us-east-1a",
                "subnet_id": "subnet-a",
                "tags": {"Name": f"db-{n}", "Team": "data"},
            }
            for n in range(4)
        ],
        "volumes": [{"id": f"vol-db{n}", "attachments": [f"i-db{n}"]} for n in range(4)],
        "dlm_policies": [
            {
                "id": "policy-0abc",
                "state": "DISABLED",
                "status_message": "ENABLED",
                "description": "nightly",
            }
        ],
    }
}


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, str]:
    root = tmp_path_factory.mktemp("fit")
    snapshot = root / "snapshot.json"
    snapshot.write_text(json.dumps(expand_fragment(FRAGMENT)), encoding="utf-8")
    output = root / "out"
    capture = pytest.MonkeyPatch()
    import io
    import sys

    stdout = io.StringIO()
    capture.setattr(sys, "stdout", stdout)
    try:
        code = cli.main(["scan", "--snapshot", str(snapshot), "--output-dir", str(output)])
    finally:
        capture.undo()
    return code, output, stdout.getvalue()


def _findings(output: Path) -> list[dict]:
    document = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    schema = load_schema("findings.schema.json")
    validator = jsonschema.validators.validator_for(schema)(
        schema, format_checker=jsonschema.FormatChecker()
    )
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    return document["findings"]


def _one(findings: list[dict], policy_id: str, resource_id: str) -> dict:
    (found,) = [
        f for f in findings if f["policy_id"] == policy_id and f["resource_id"] == resource_id
    ]
    return found


def test_every_finding_carries_its_location(scan) -> None:
    code, output, _ = scan
    assert code == ExitCode.FINDINGS
    findings = _findings(output)
    assert all(f["location"]["account"] == ACCOUNT for f in findings)
    instance = _one(findings, "instance-no-image-backup", "i-db0")["location"]
    assert instance == {
        "account": ACCOUNT,
        "region": "us-east-1",
        "zones": [{"name": "us-east-1a", "id": "ue1-az1", "type": "availability-zone"}],
        "subnet_ids": ["subnet-a"],
        "name": "db-0",
        "tags": {"Name": "db-0", "Team": "data"},
    }
    volume = _one(findings, "volume-no-backup-policy", "vol-db1")["location"]
    assert [z["name"] for z in volume["zones"]] == ["us-east-1a"]
    group = _one(findings, "asg-single-az", "batch-workers")["location"]
    assert group["name"] == "batch-workers" and group["subnet_ids"] == ["subnet-a"]
    dlm = _one(findings, "dlm-policy-disabled", "policy-0abc")["location"]
    assert dlm["zones"] == [] and dlm["subnet_ids"] == []  # regional: no zone, not a guess


def test_remediation_names_the_resource_and_evidence_shows_the_zones(scan) -> None:
    _, output, _ = scan
    findings = _findings(output)
    group = _one(findings, "asg-single-az", "batch-workers")
    assert "--auto-scaling-group-name batch-workers" in group["remediation"]
    assert '--vpc-zone-identifier "subnet-a,<subnet-in-another-zone>"' in group["remediation"]
    assert "NAME" not in group["remediation"]
    assert group["evidence"]["facts.zone_names"] == ["us-east-1a"]
    assert group["evidence"]["subnet_ids"] == ["subnet-a"]
    volume = _one(findings, "volume-no-backup-policy", "vol-db2")
    assert "--resources vol-db2" in volume["remediation"]
    assert f"arn:aws:iam::{ACCOUNT}:role/" in volume["remediation"]
    assert volume["evidence"]["facts.attached_instance_ids"] == ["i-db2"]
    sarif = json.loads((output / "results.sarif").read_text(encoding="utf-8"))
    rule = next(
        r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "asg-single-az"
    )
    assert "--auto-scaling-group-name <id>" in rule["help"]["text"]  # no resource: a placeholder


def test_a_message_never_contradicts_itself(scan) -> None:
    _, output, _ = scan
    message = _one(_findings(output), "dlm-policy-disabled", "policy-0abc")["message"]
    assert "is in state DISABLED;" in message
    assert "ENABLED" not in message


def test_a_superseded_finding_is_kept_in_findings_json_only(scan) -> None:
    _, output, stdout = scan
    findings = _findings(output)
    fleet = "tag/Service=game"
    superseding = _one(findings, "local-zone-no-failover", fleet)
    assert superseding["status"] == "open"
    superseded = _one(findings, "fleet-single-az", fleet)
    assert superseded["status"] == "superseded"
    assert superseded["superseded_by"] == "local-zone-no-failover"
    group = _one(findings, "asg-single-az", "edge-cache")  # the group itself, same ARN
    assert group["superseded_by"] == "local-zone-no-failover"
    assert _one(findings, "asg-single-az", "batch-workers")["status"] == "open"  # not in a LZ
    sarif = json.loads((output / "results.sarif").read_text(encoding="utf-8"))
    rules = [(r["ruleId"], r["message"]["text"]) for r in sarif["runs"][0]["results"]]
    assert not any(rule == "fleet-single-az" and "game" in text for rule, text in rules)
    assert not any(rule == "asg-single-az" and "edge-cache" in text for rule, text in rules)
    assert sum(1 for rule, _ in rules if rule == "local-zone-no-failover") == 2
    html = (output / "report.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))
    shown = {(f["pid"], f["id"]) for f in data["findings"]}
    assert ("fleet-single-az", fleet) not in shown and ("local-zone-no-failover", fleet) in shown
    for text in (stdout, (output / "summary.md").read_text(encoding="utf-8")):
        assert "fleet-single-az" not in text  # its only finding was superseded
        assert "2 more findings superseded by a more precise policy" in text


def test_the_worst_findings_show_at_most_two_per_policy(scan) -> None:
    _, output, stdout = scan
    worst = stdout.split("worst findings", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^  (?:CRITICAL|HIGH|MEDIUM|LOW)\s+(\S+)", worst, re.M)
    assert listed, worst
    assert max(listed.count(policy_id) for policy_id in listed) <= 2
    assert listed.count("volume-no-backup-policy") == 2  # four volumes fail it
    summary = (output / "summary.md").read_text(encoding="utf-8")
    section = summary.split("orst findings", 1)[1]
    assert section.count("volume-no-backup-policy") <= 2


@pytest.mark.browser
def test_the_zone_map_shows_standalone_instances_and_volumes(scan, open_report) -> None:
    _, output, _ = scan
    page, log = open_report(output / "report.html")
    rows = page.locator("#zone-maps table.zones tbody th[scope=row]").all_text_contents()
    names = [" ".join(row.split()) for row in rows]
    assert "db-0 instance" in names and "vol-db0 volume" in names
    assert "Service=game tag" in names and "batch-workers auto scaling group" in names
    assert not any(name.startswith("game-") for name in names)  # fleet members: in their fleet
    totals = page.locator("#zone-maps tfoot tr", has_text="all instances").locator("td.num")
    assert sum(int(n) for n in totals.all_text_contents()) == 6  # every instance, members too
    header = page.locator("#zone-maps thead th.zone").all_text_contents()
    assert any("ue1-az1" in cell for cell in header)  # zone ids beside the names
    in_local_zone = [
        f
        for f in _findings(output)
        if f["status"] != "superseded"
        and "ue1-lax1-az1" in [z["id"] for z in f["location"]["zones"]]
    ]
    assert len(in_local_zone) == 4  # the fleet, the group, and the fleet's two instances
    page.fill("#filter-text", "ue1-lax1-az1")
    assert page.locator("#findings-count").text_content().startswith("Showing 4 of")
    assert log.problems() == []


@pytest.mark.browser
def test_the_report_shows_each_resource_its_own_remediation(scan, open_report) -> None:
    _, output, _ = scan
    page, log = open_report(output / "report.html")
    for volume in ("vol-db0", "vol-db3"):
        page.fill("#filter-text", volume)
        page.select_option("#filter-policy", "volume-no-backup-policy")
        page.click("#findings-body tr.finding button.toggle")
        detail = page.locator("#findings-body tr.detail").text_content()
        assert f"--resources {volume} " in detail
        assert f"arn:aws:iam::{ACCOUNT}:role/AWSDataLifecycleManagerDefaultRole" in detail
        assert "Zonesus-east-1a (ue1-az1)" in detail.replace("\n", "")
    assert log.problems() == []
