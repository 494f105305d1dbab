"""Exit codes and the scan command's own checks, on constructed reports (no AWS, no engine)."""

from __future__ import annotations

import pytest

from scanner.commands.scan import check_policy_root, exit_code, outcome_text
from scanner.errors import ExitCode, InputError
from tests.report.factories import ACCOUNT, sample_report


def _clean_report():
    report = sample_report()
    report.findings = [f for f in report.findings if f.status != "unknown"]
    return report


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [
        ("low", ExitCode.FINDINGS),
        ("medium", ExitCode.FINDINGS),
        ("critical", ExitCode.FINDINGS),
        ("none", ExitCode.CLEAN),
    ],
)
def test_fail_on_threshold(fail_on: str, expected: ExitCode) -> None:
    assert exit_code(_clean_report(), fail_on) == expected


def test_only_findings_at_or_above_the_threshold_fail() -> None:
    report = _clean_report()
    report.findings = [f for f in report.findings if f.severity == "medium"]
    assert exit_code(report, "high") == ExitCode.CLEAN
    assert exit_code(report, "medium") == ExitCode.FINDINGS
    assert outcome_text(report, ExitCode.FINDINGS, "medium") == (
        "FAIL (exit 1): 1 open finding(s) at or above medium"
    )


def test_waived_findings_never_fail_the_run() -> None:
    report = _clean_report()
    for item in report.findings:
        item.status = "waived"
    assert exit_code(report, "low") == ExitCode.CLEAN
    assert outcome_text(report, ExitCode.CLEAN, "low") == (
        "OK (exit 0): no open finding at or above low"
    )


def test_incomplete_takes_precedence_even_with_fail_on_none() -> None:
    assert exit_code(sample_report(), "none") == ExitCode.INCOMPLETE  # one unknown result
    error = {
        "account": ACCOUNT,
        "region": "us-east-1",
        "service": "ec2",
        "operation": "DescribeRegions",
        "code": "AccessDenied",
        "message": "no",
    }
    report = _clean_report()
    report.errors = [error]
    assert exit_code(report, "low") == ExitCode.INCOMPLETE
    assert outcome_text(report, ExitCode.INCOMPLETE, "low").startswith(
        "INCOMPLETE (exit 3): 1 collection error(s) and 0 unknown result(s)"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ".stormproof/policies"), ("./sec/policies/", "sec/policies"), ("a\\b", "a/b")],
)
def test_policy_root_is_normalized(value, expected) -> None:
    assert check_policy_root(value) == expected


@pytest.mark.parametrize("value", ["/abs/path", "../outside", "a/../../b", "C:\\x"])
def test_policy_root_outside_the_repository_is_refused(value: str) -> None:
    with pytest.raises(InputError, match="--sarif-policy-root"):
        check_policy_root(value)
