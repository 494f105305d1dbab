"""Baselines: new / unchanged by identity, fixed only within this scan's scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scanner.errors import InputError
from scanner.report.baseline import apply_baseline, load_baseline
from scanner.report.context import ScanScope, build_scan_report
from scanner.report.json_findings import render_findings_json
from scanner.report.redact import redact_accounts_in, redact_report
from tests.report.factories import ACCOUNT, evaluation, finding, linked_model, policy

SCOPE = ScanScope((ACCOUNT,), ("us-east-1",))


def _previous(tmp_path: Path, findings, *, redact: bool = False) -> Path:
    metas = {f.policy_id: policy(f.policy_id, severity=f.severity) for f in findings}
    report = build_scan_report(evaluation(list(metas.values()), findings), linked_model())
    report = redact_report(report, accounts=redact)
    path = tmp_path / "previous-findings.json"
    path.write_text(render_findings_json(report), encoding="utf-8")
    return path


def test_new_unchanged_and_fixed(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    before = [finding(meta, "web"), finding(meta, "batch"), finding(meta, "gone")]
    baseline = load_baseline(_previous(tmp_path, before))
    now = [finding(meta, "web", message="reworded"), finding(meta, "batch"), finding(meta, "fresh")]
    fixed = apply_baseline(now, baseline, scope=SCOPE)
    assert {f.resource_id: f.baseline_state for f in now} == {
        "web": "unchanged",
        "batch": "unchanged",
        "fresh": "new",
    }
    assert [f.resource_id for f in fixed] == ["gone"]
    assert fixed[0].policy_id == "asg-multi-az" and fixed[0].arn == before[2].arn


def test_identity_includes_the_policy(tmp_path: Path) -> None:
    a, b = policy("asg-multi-az"), policy("elb-cross-zone")
    baseline = load_baseline(_previous(tmp_path, [finding(a, "web")]))
    now = [finding(b, "web")]
    fixed = apply_baseline(now, baseline, scope=SCOPE)
    assert now[0].baseline_state == "new"
    assert [f.policy_id for f in fixed] == ["asg-multi-az"]


def test_findings_outside_this_scans_scope_are_not_claimed_fixed(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    before = [
        finding(meta, "eu", region="eu-west-1"),
        finding(meta, "other", account="222222222222"),
        finding(meta, "here"),
    ]
    baseline = load_baseline(_previous(tmp_path, before))
    fixed = apply_baseline([], baseline, scope=SCOPE)
    assert [f.resource_id for f in fixed] == ["here"]


def test_an_unknown_baseline_entry_is_not_a_fix(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    baseline = load_baseline(_previous(tmp_path, [finding(meta, "blind", status="unknown")]))
    assert apply_baseline([], baseline, scope=SCOPE) == []


def test_a_redacted_baseline_matches_through_the_pseudonyms(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    baseline = load_baseline(
        _previous(tmp_path, [finding(meta, "web"), finding(meta, "gone")], redact=True)
    )
    assert baseline.accounts_redacted
    now = [finding(meta, "web")]
    fixed = apply_baseline(now, baseline, scope=SCOPE, normalize=redact_accounts_in)
    assert now[0].baseline_state == "unchanged"
    assert [f.resource_id for f in fixed] == ["gone"]
    assert ACCOUNT not in fixed[0].arn


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "baseline is not valid JSON"),
        ('{"format": "stormproof-snapshot"}', "not a stormproof findings.json"),
        ("[]", "not a stormproof findings.json"),
        ('{"format": "stormproof-findings"}', "no `findings` list"),
        ('{"format": "stormproof-findings", "findings": [{"arn": 1}]}', "$.findings[0]"),
    ],
)
def test_a_bad_baseline_is_one_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "findings.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_baseline(path)
    assert message in caught.value.message
    assert caught.value.location.path == str(path)


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read baseline"):
        load_baseline(tmp_path / "nope.json")


def test_baseline_round_trip_of_a_whole_scan(tmp_path: Path) -> None:
    meta = policy("asg-multi-az")
    path = _previous(tmp_path, [finding(meta, "web")])
    assert json.loads(path.read_text())["findings"][0]["baseline_state"] is None
    report = build_scan_report(evaluation([meta], [finding(meta, "web")]), linked_model())
    report.fixed = apply_baseline(report.findings, load_baseline(path), scope=report.scope)
    report.has_baseline = True
    document = json.loads(render_findings_json(report))
    assert document["scan"]["baseline"] is True
    assert document["findings"][0]["baseline_state"] == "unchanged"
    assert document["fixed"] == []
