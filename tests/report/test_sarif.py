"""SARIF for GitHub code scanning; every log produced here passes both validators (sarif_check)."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

from scanner.report.context import ReportWarning, build_scan_report
from scanner.report.sarif import automation_id, render_sarif
from scanner.report.sarif_rules import SarifOptions, policy_uri
from scanner.resources import builtin_policies_dir
from tests.report.factories import (
    ACCOUNT,
    OTHER_ACCOUNT,
    evaluation,
    finding,
    linked_model,
    policy,
    sample_report,
)
from tests.report.sarif_check import assert_valid_sarif


def _run(document: dict) -> dict:
    assert len(document["runs"]) == 1
    return document["runs"][0]


def test_rules_describe_every_evaluated_policy(tmp_path: Path) -> None:
    report = sample_report()
    run = _run(assert_valid_sarif(render_sarif(report), tmp_path))
    driver = run["tool"]["driver"]
    assert driver["name"] == "stormproof"
    assert driver["version"] == report.tool_version
    assert driver["informationUri"].startswith("https://")
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert sorted(rules) == ["ami-cross-region-copy", "asg-multi-az", "elb-cross-zone"]
    rule = rules["asg-multi-az"]
    assert rule["name"] != rule["id"] and rule["name"].isalnum()
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"]["security-severity"] == "9.5"
    assert rule["properties"]["precision"] == "high"
    assert {"resilience", "AWS-WA-REL10-BP01"} <= set(rule["properties"]["tags"])
    assert "aws autoscaling update-auto-scaling-group" in rule["help"]["markdown"]
    assert "Why it matters" in rule["help"]["text"]
    assert rules["elb-cross-zone"]["properties"]["security-severity"] == "5.5"
    assert rules["ami-cross-region-copy"]["defaultConfiguration"]["level"] == "note"


def test_rule_texts_and_tags_stay_within_githubs_limits(tmp_path: Path) -> None:
    meta = dataclasses.replace(
        policy("long-one"),
        title="T" * 2000,
        description="D" * 5000,
        tags=tuple(f"tag-{i}" for i in range(30)),
    )
    report = build_scan_report(evaluation([meta], [finding(meta, "x")]), linked_model())
    rule = _run(assert_valid_sarif(render_sarif(report), tmp_path))["tool"]["driver"]["rules"][0]
    assert len(rule["shortDescription"]["text"]) <= 1024
    assert len(rule["fullDescription"]["text"]) <= 1024
    assert len(rule["name"]) <= 255
    assert len(rule["properties"]["tags"]) == 20


def test_each_result_names_its_resource_and_points_at_the_violation_line(tmp_path: Path) -> None:
    run = _run(assert_valid_sarif(render_sarif(sample_report()), tmp_path))
    results = run["results"]
    assert len(results) == 5  # open findings, and the unknown one (so its alert stays open)
    levels = {r["properties"]["resourceId"]: r["level"] for r in results}
    assert levels == {
        "web": "error",
        "batch": "error",
        "tagged": "error",
        "api-lb": "warning",
        "ami-1": "note",
    }
    for result in results:
        location = result["locations"][0]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["artifactLocation"]["uri"].startswith(".stormproof/policies/ec2/")
        assert physical["region"]["startLine"] in (7, 12, 20)
        arn = location["logicalLocations"][0]["fullyQualifiedName"]
        assert arn.startswith("arn:aws:autoscaling:us-east-1:111111111111:")
        first_sentence = result["message"]["text"].split(". ")[0]
        assert result["properties"]["resourceId"] in first_sentence
        assert set(result["properties"]) >= {"resourceId", "resourceType", "account", "region"}
        assert "evidence" in result["properties"]
    assert "%SRCROOT%" in run["originalUriBaseIds"]


def test_message_gets_a_leading_sentence_when_the_engine_does_not_name_the_resource(
    tmp_path: Path,
) -> None:
    meta = policy("asg-multi-az")
    item = finding(meta, "web-7", message="Only one zone is used")
    report = build_scan_report(evaluation([meta], [item]), linked_model())
    result = _run(assert_valid_sarif(render_sarif(report), tmp_path))["results"][0]
    assert result["message"]["text"] == (
        "Auto Scaling group web-7 (111111111111, us-east-1). Only one zone is used."
    )


def test_fingerprints_separate_resources_on_one_line_and_stay_stable(tmp_path: Path) -> None:
    first = _run(assert_valid_sarif(render_sarif(sample_report()), tmp_path / "a"))
    second = _run(assert_valid_sarif(render_sarif(sample_report()), tmp_path / "b"))
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in first["results"]]
    same_line = [r for r in first["results"] if r["ruleId"] == "asg-multi-az"]
    assert (
        len({r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in same_line}) == 1
    )
    assert len(set(hashes)) == len(hashes)  # one alert per resource
    assert hashes == [
        r["partialFingerprints"]["primaryLocationLineHash"] for r in second["results"]
    ]
    for result in first["results"]:
        prints = result["partialFingerprints"]
        assert prints["stormproof/v1"] == prints["primaryLocationLineHash"]


def test_fingerprint_ignores_message_wording_and_order(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    a = build_scan_report(
        evaluation([meta], [finding(meta, "web"), finding(meta, "api")]), linked_model()
    )
    b = build_scan_report(
        evaluation([meta], [finding(meta, "api", message="reworded"), finding(meta, "web")]),
        linked_model(),
    )

    def prints(report):
        run = _run(assert_valid_sarif(render_sarif(report), tmp_path))
        return {
            r["properties"]["resourceId"]: r["partialFingerprints"]["stormproof/v1"]
            for r in run["results"]
        }

    assert prints(a) == prints(b)


def test_output_is_deterministic() -> None:
    assert render_sarif(sample_report()) == render_sarif(sample_report())


def test_zero_results_still_make_a_valid_log(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    report = build_scan_report(evaluation([meta], []), linked_model())
    run = _run(assert_valid_sarif(render_sarif(report), tmp_path))
    assert run["results"] == []
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["asg-multi-az"]
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["invocations"][0]["toolExecutionNotifications"] == []


def test_automation_id_names_account_and_region_set() -> None:
    from scanner.report.context import ScanScope

    assert automation_id(ScanScope((ACCOUNT,), ("us-east-1",))) == (
        "stormproof/111111111111/us-east-1/"
    )
    assert automation_id(ScanScope((ACCOUNT, OTHER_ACCOUNT), ("us-west-2", "eu-west-1"))) == (
        "stormproof/multi/eu-west-1+us-west-2/"
    )
    many = tuple(f"us-east-{i}" for i in range(1, 8))
    first = automation_id(ScanScope((ACCOUNT,), many))
    assert first.startswith("stormproof/111111111111/7-regions-") and first.endswith("/")
    assert first == automation_id(ScanScope((ACCOUNT,), tuple(reversed(many))))


def test_collection_errors_and_unknown_results_are_notifications(tmp_path: Path) -> None:
    error = {
        "account": ACCOUNT,
        "region": "us-east-1",
        "service": "dlm",
        "operation": "GetLifecyclePolicies",
        "code": "AccessDeniedException",
        "message": "not authorized",
    }
    report = sample_report(errors=[error])
    report.warnings.append(ReportWarning("waiver #2 expired on 2025-01-01", "waivers.yaml", 9))
    run = _run(assert_valid_sarif(render_sarif(report), tmp_path))
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    texts = [note["message"]["text"] for note in notes]
    assert any("GetLifecyclePolicies" in t and "AccessDeniedException" in t for t in texts)
    unknown = [n for n in notes if "could not judge" in n["message"]["text"]]
    assert len(unknown) == 1 and unknown[0]["associatedRule"]["id"] == "ami-cross-region-copy"
    assert any("waivers.yaml:9" in t for t in texts)
    assert {n["level"] for n in notes} == {"error", "warning"}
    unknown_results = [r for r in run["results"] if r["properties"]["status"] == "unknown"]
    assert [r["properties"]["resourceId"] for r in unknown_results] == ["ami-1"]
    assert unknown_results[0]["message"]["text"].startswith("Could not be judged")


def test_waived_findings_are_left_out_unless_asked(tmp_path: Path) -> None:
    report = sample_report()
    waived = next(f for f in report.findings if f.resource_id == "web")
    waived.status = "waived"
    waived.waiver = {"reason": "batch only", "owner": "team-a", "expires": "2099-01-01"}
    default = _run(assert_valid_sarif(render_sarif(report), tmp_path / "default"))
    assert "web" not in {r["properties"]["resourceId"] for r in default["results"]}
    emitted = _run(
        assert_valid_sarif(
            render_sarif(report, SarifOptions(emit_waived=True)), tmp_path / "emitted"
        )
    )
    web = next(r for r in emitted["results"] if r["properties"]["resourceId"] == "web")
    suppression = web["suppressions"][0]
    assert suppression["kind"] == "external"
    assert "batch only" in suppression["justification"]
    assert suppression["properties"]["owner"] == "team-a"
    others = [r for r in emitted["results"] if r["properties"]["resourceId"] != "web"]
    assert all("suppressions" not in r for r in others)


def test_baseline_state_is_carried(tmp_path: Path) -> None:
    report = sample_report()
    for item in report.findings:
        item.baseline_state = "new" if item.resource_id == "web" else "unchanged"
    run = _run(assert_valid_sarif(render_sarif(report), tmp_path))
    states = {r["properties"]["resourceId"]: r["baselineState"] for r in run["results"]}
    assert states["web"] == "new"
    assert set(states.values()) == {"new", "unchanged"}


def _many(count: int, severities=("low", "critical")) -> list:
    metas = [policy(f"p-{sev}", severity=sev) for sev in severities]
    findings = [finding(metas[i % len(metas)], f"r{i:06d}") for i in range(count)]
    return metas, findings


def test_results_beyond_githubs_25000_keep_the_most_severe(tmp_path: Path) -> None:
    metas, findings = _many(25_010)
    report = build_scan_report(evaluation(metas, findings), linked_model())
    text = render_sarif(report)
    run = _run(assert_valid_sarif(text, tmp_path))
    assert len(run["results"]) == 25_000
    dropped = [f for f in findings if f.severity == "low"]
    kept_low = sum(1 for r in run["results"] if r["ruleId"] == "p-low")
    assert kept_low == len(dropped) - 10  # only low results were dropped
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("10 of 25010 results were left out" in n["message"]["text"] for n in notes)


def test_gzip_size_limit_is_kept(tmp_path: Path) -> None:
    metas, findings = _many(400)
    for item in findings:
        item.evidence = {"noise": [f"{item.resource_id}-{i}-{hash(i)}" for i in range(40)]}
    report = build_scan_report(evaluation(metas, findings), linked_model())
    limit = 40_000
    text = render_sarif(report, SarifOptions(max_gzip_bytes=limit))
    assert len(gzip.compress(text.encode(), mtime=0)) <= limit
    run = _run(assert_valid_sarif(text, tmp_path))
    assert 0 < len(run["results"]) < 400
    assert {r["ruleId"] for r in run["results"]} == {"p-critical"} or all(
        r["ruleId"] == "p-critical" for r in run["results"][:200]
    )
    assert any(
        "left out" in n["message"]["text"]
        for n in run["invocations"][0]["toolExecutionNotifications"]
    )


def test_custom_policy_uri_is_relative_to_the_source_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    source = repo / "org-policies" / "my policy.yaml"
    source.parent.mkdir(parents=True)
    source.write_text("id: custom\n")
    meta = policy("custom", builtin=False, source_path=source, violation_line=3)
    options = SarifOptions(source_root=repo)
    assert policy_uri(meta, options) == "org-policies/my%20policy.yaml"
    outside = policy("custom", builtin=False, source_path=tmp_path / "elsewhere.yaml")
    assert policy_uri(outside, options) == ".stormproof/policies/elsewhere.yaml"
    report = build_scan_report(evaluation([meta], [finding(meta, "x")]), linked_model())
    run = _run(assert_valid_sarif(render_sarif(report, options), tmp_path / "check"))
    physical = run["results"][0]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "org-policies/my%20policy.yaml"
    assert physical["region"]["startLine"] == 3


def test_builtin_policy_root_is_configurable(tmp_path: Path) -> None:
    meta = policy("asg-multi-az", source_path=builtin_policies_dir() / "asg" / "multi-az.yaml")
    assert policy_uri(meta, SarifOptions(policy_root="./security/stormproof/")) == (
        "security/stormproof/asg/multi-az.yaml"
    )
    report = build_scan_report(evaluation([meta], [finding(meta, "x")]), linked_model())
    text = render_sarif(report, SarifOptions(policy_root="vendor/stormproof"))
    run = _run(assert_valid_sarif(text, tmp_path))
    assert run["properties"]["policyRoot"] == "vendor/stormproof"
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "vendor/stormproof/asg/multi-az.yaml"


def test_log_is_utf8_json_with_sorted_keys() -> None:
    text = render_sarif(sample_report())
    document = json.loads(text)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    assert list(document) == sorted(document)
