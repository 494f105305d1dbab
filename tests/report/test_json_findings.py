"""findings.json: valid against its schema, complete per finding, deterministic."""

from __future__ import annotations

import json

import jsonschema

from scanner.report.context import FixedFinding, ReportWarning
from scanner.report.json_findings import render_findings_json
from scanner.resources import load_schema
from tests.report.factories import ACCOUNT, sample_report


def _validate(document: dict) -> None:
    schema = load_schema("findings.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = list(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(document))
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors]


def test_every_finding_carries_what_scripts_need() -> None:
    report = sample_report()
    waived = next(f for f in report.findings if f.resource_id == "web")
    waived.status = "waived"
    waived.waiver = {
        "policy": "*",
        "resource": waived.arn,
        "reason": "r",
        "owner": "o",
        "expires": "2030-01-01",
        "source": "w.yaml",
        "line": 4,
    }
    document = json.loads(render_findings_json(report))
    _validate(document)
    assert document["format"] == "stormproof-findings"
    by_id = {f["resource_id"]: f for f in document["findings"]}
    web = by_id["web"]
    assert web["status"] == "waived" and web["waiver"]["owner"] == "o"
    assert web["policy_id"] == "asg-multi-az"
    assert web["severity"] == "critical"
    assert web["arn"].startswith(f"arn:aws:autoscaling:us-east-1:{ACCOUNT}:")
    assert web["resource_type"] == "auto_scaling_group"
    assert web["account"] == ACCOUNT and web["region"] == "us-east-1"
    assert web["remediation"].startswith("aws autoscaling update-auto-scaling-group")
    assert web["evidence"] == {"zones": ["us-east-1a"], "min_zones": 2}
    assert len(web["fingerprint"]) == 64
    assert by_id["ami-1"]["status"] == "unknown"
    assert document["summary"]["by_status"] == {"open": 3, "waived": 1, "unknown": 1}
    assert document["scan"]["complete"] is False
    assert document["scan"]["started_at"] == "2026-01-05T10:00:00Z"
    policies = {p["id"]: p for p in document["policies"]}
    assert policies["asg-multi-az"]["failed"] == 3


def test_errors_warnings_and_fixed_are_listed() -> None:
    error = {
        "account": ACCOUNT,
        "region": "us-east-1",
        "service": "ec2",
        "operation": "DescribeImages",
        "code": "Throttling",
        "message": "Rate exceeded",
    }
    report = sample_report(errors=[error])
    report.warnings.append(ReportWarning("waiver #1 expired", "w.yaml", 2))
    report.has_baseline = True
    report.fixed.append(
        FixedFinding(
            "asg-multi-az",
            "critical",
            "auto_scaling_group",
            "old",
            "arn:x",
            ACCOUNT,
            "us-east-1",
            "m",
        )
    )
    document = json.loads(render_findings_json(report))
    _validate(document)
    assert document["errors"] == [error]
    assert document["warnings"] == [{"message": "waiver #1 expired", "source": "w.yaml", "line": 2}]
    assert document["fixed"][0]["resource_id"] == "old"
    assert document["summary"]["fixed"] == 1


def test_an_error_names_the_resource_its_detail_call_described() -> None:
    error = {
        "account": ACCOUNT,
        "region": "us-east-1",
        "service": "elbv2",
        "operation": "DescribeTargetHealth",
        "code": "AccessDenied",
        "message": "denied",
        "resource": f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/web/0123",
    }
    document = json.loads(render_findings_json(sample_report(errors=[error])))
    _validate(document)
    assert document["errors"] == [error]


def test_output_is_byte_identical_for_the_same_input() -> None:
    first, second = render_findings_json(sample_report()), render_findings_json(sample_report())
    assert first == second
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_evidence_values_json_cannot_express_are_written_as_text() -> None:
    import datetime as dt

    from scanner.report.html import render_html
    from scanner.report.sarif import render_sarif

    report = sample_report()
    report.findings[0].evidence = {"newest_snapshot": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
    document = json.loads(render_findings_json(report))
    assert document["findings"][0]["evidence"] == {"newest_snapshot": "2026-01-01 00:00:00+00:00"}
    assert "2026-01-01 00:00:00+00:00" in render_sarif(report)
    assert "2026-01-01 00:00:00+00:00" in render_html(report)
