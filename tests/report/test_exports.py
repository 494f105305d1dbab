"""OCSF and ASFF exports of the demo's scan, validated by the real models:
py-ocsf-models' DetectionFinding, and botocore's Security Hub ``AwsSecurityFinding`` shape."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest
from botocore.validate import ParamValidator
from py_ocsf_models.events.findings.detection_finding import DetectionFinding

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert cli.main(["-q", "demo", "--output-dir", str(out)]) == 0
    return out / "snapshot.json.gz"


def export(snapshot: Path, fmt: str, target: Path, *flags: str) -> list[dict]:
    code = cli.main(
        [
            "-q",
            "scan",
            "--snapshot",
            str(snapshot),
            "--format",
            fmt,
            "--output",
            str(target),
            *flags,
        ]
    )
    assert code in (0, 1, 3)
    return json.loads(target.read_text())


def findings_of(snapshot: Path, tmp_path: Path) -> list[dict]:
    return export(snapshot, "json", tmp_path / "findings.json")["findings"]


def test_the_demo_as_ocsf_is_one_valid_detection_finding_per_finding(
    demo_snapshot: Path, tmp_path: Path
):
    events = export(demo_snapshot, "ocsf", tmp_path / "findings.ocsf.json")
    # A superseded finding stays in findings.json only; every other one is one event.
    findings = [f for f in findings_of(demo_snapshot, tmp_path) if f["status"] != "superseded"]
    assert len(events) == len(findings) > 0
    for event in events:
        model = DetectionFinding.model_validate(event)
        assert model.class_uid == 2004 and model.type_uid == 200401
    assert [e["finding_info"]["uid"] for e in events] == [f["fingerprint"] for f in findings]
    first = events[0]
    assert first["cloud"]["provider"] == "AWS" and first["resources"][0]["uid"].startswith("arn:")
    assert {e["status_code"] for e in events} == {"FAIL"}


def test_the_demo_as_asff_matches_securityhubs_model(demo_snapshot: Path, tmp_path: Path):
    documents = export(demo_snapshot, "asff", tmp_path / "findings.asff.json")
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.shape_for("AwsSecurityFinding")
    validator = ParamValidator()
    for document in documents:
        report = validator.validate(document, shape)
        assert not report.has_errors(), report.generate_report()
        assert len(document["Title"]) <= 256 and len(document["Description"]) <= 1024
        account = document["AwsAccountId"]
        assert document["ProductArn"].endswith(f":{account}:product/{account}/default")
    # The whole file is what `aws securityhub batch-import-findings --findings` sends, 100 a call.
    request = model.operation_model("BatchImportFindings").input_shape
    for start in range(0, len(documents), 100):
        batch = {"Findings": documents[start : start + 100]}
        assert not validator.validate(batch, request).has_errors()
    ids = [d["Id"] for d in documents]
    assert len(set(ids)) == len(ids)  # a re-import updates, never duplicates


UNKNOWN_FRAGMENT = {
    "resources": {"auto_scaling_groups": [{"id": "web", "zones": ["us-east-1a"]}]},
    "errors": [{"service": "ec2", "operation": "DescribeSubnets"}],
}


def test_unknown_findings_say_so_in_both_exports(tmp_path: Path):
    snapshot = dump_snapshot(expand_fragment(UNKNOWN_FRAGMENT), tmp_path / "s.json")
    flags = ("--policy", "asg-single-az")
    (event,) = export(snapshot, "ocsf", tmp_path / "o.json", *flags)
    DetectionFinding.model_validate(event)
    assert (event["status"], event["status_code"]) == ("Unknown", "UNKNOWN")
    assert event["status_detail"].startswith("Could not be judged")
    (document,) = export(snapshot, "asff", tmp_path / "a.json", *flags)
    assert document["Compliance"]["Status"] == "NOT_AVAILABLE"
    assert document["Description"].startswith("Could not be judged")


def test_a_findings_location_reaches_both_exports():
    """Findings that carry a location (zones, subnets, name, tags) export it."""
    from scanner.engine.results import Finding
    from scanner.report.asff import security_hub_finding
    from scanner.report.ocsf import detection_finding

    finding = Finding(
        policy_id="asg-single-az",
        severity="high",
        status="open",
        resource_type="auto_scaling_group",
        resource_id="web",
        arn="arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:u:autoScalingGroupName/web",
        account="111111111111",
        region="us-east-1",
        message="Auto Scaling group web is in one zone.",
    )
    finding.location = {  # type: ignore[attr-defined]
        "zones": [{"name": "us-east-1a", "id": "use1-az6", "type": "availability-zone"}],
        "subnet_ids": ["subnet-1"],
        "name": "web",
        "tags": {"Env": "prod"},
    }
    event = detection_finding(finding, None, time_ms=0, version="0")
    DetectionFinding.model_validate(event)
    assert event["cloud"]["zone"] == "us-east-1a"
    assert event["resources"][0]["labels"] == ["Env=prod"]
    document = security_hub_finding(
        finding, None, when="2026-11-01T00:00:00.000Z", home_region="us-east-1", version="0"
    )
    model = botocore.session.get_session().get_service_model("securityhub")
    assert (
        not ParamValidator().validate(document, model.shape_for("AwsSecurityFinding")).has_errors()
    )
    assert document["ProductFields"]["stormproof/ZoneIds"] == "use1-az6"
    assert document["Resources"][0]["Tags"] == {"Env": "prod"}
