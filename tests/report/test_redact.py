"""--redact-accounts: no account id survives in any output; pseudonyms are stable."""

from __future__ import annotations

import re

from scanner.report.redact import pseudonym, redact_report
from scanner.report.writer import FILE_NAMES, render_format
from tests.report.factories import ACCOUNT, sample_report

_TWELVE_DIGITS = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def _report():
    error = {
        "account": ACCOUNT,
        "region": "us-east-1",
        "service": "sts",
        "operation": "AssumeRole",
        "code": "AccessDenied",
        "message": f"arn:aws:iam::{ACCOUNT}:role/x is not authorized; key AKIAABCDEFGHIJKLMNOP",
    }
    report = sample_report(errors=[error])
    report.findings[0].message = f"Owned by {ACCOUNT}, shared with 333333333333."
    report.findings[0].evidence = {"owner": ACCOUNT, "nested": [{"arn": report.findings[0].arn}]}
    return report


def test_no_account_id_in_any_output() -> None:
    report = redact_report(_report(), accounts=True)
    outputs = {FILE_NAMES[name]: render_format(report, name) for name in FILE_NAMES}
    for name, data in outputs.items():
        text = data.decode()
        assert not _TWELVE_DIGITS.findall(text), name
        assert pseudonym(ACCOUNT) in text, name
        assert "AKIAABCDEFGHIJKLMNOP" not in text, name
    assert report.accounts_redacted
    assert report.scope.accounts == (pseudonym(ACCOUNT),)


def test_pseudonyms_are_stable_and_distinct() -> None:
    assert pseudonym(ACCOUNT) == pseudonym(ACCOUNT)
    assert pseudonym(ACCOUNT) != pseudonym("222222222222")
    assert re.fullmatch(r"acct-[0-9a-f]{8}", pseudonym(ACCOUNT))
    first = redact_report(_report(), accounts=True).findings[0]
    second = redact_report(_report(), accounts=True).findings[0]
    assert first.arn == second.arn and first.fingerprint == second.fingerprint
    assert f":{pseudonym(ACCOUNT)}:" in first.arn


def test_access_keys_are_masked_even_without_redaction() -> None:
    original = _report()
    report = redact_report(original, accounts=False)
    assert "AKIA" not in report.errors[0]["message"]
    assert ACCOUNT in report.errors[0]["message"]
    assert "AKIAABCDEFGHIJKLMNOP" in original.errors[0]["message"]  # the input is not mutated
