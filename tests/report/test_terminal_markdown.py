"""Terminal and Markdown summaries: the same counts, safe for a terminal and for GitHub."""

from __future__ import annotations

import io

from scanner.report.context import ReportWarning
from scanner.report.markdown import escape, render_markdown
from scanner.report.terminal import clean, render_terminal, use_color
from tests.report.factories import XSS, sample_report


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_tty_without_no_color() -> None:
    assert use_color(_Tty(), {}) is True
    assert use_color(io.StringIO(), {}) is False
    assert use_color(_Tty(), {"NO_COLOR": "1"}) is False
    assert use_color(_Tty(), {"TERM": "dumb"}) is False
    assert "\x1b[" in render_terminal(sample_report(), color=True)
    assert "\x1b[" not in render_terminal(sample_report(), color=False)


def test_terminal_summary_has_counts_policies_worst_and_files(tmp_path) -> None:
    report = sample_report()
    text = render_terminal(
        report, written={"report.html": tmp_path / "report.html"}, outcome="FAIL (exit 1)"
    )
    lines = text.splitlines()
    critical = next(line for line in lines if line.startswith("critical"))
    assert critical.split() == ["critical", "3", "0", "0"]
    assert next(line for line in lines if line.startswith("total")).split() == [
        "total",
        "4",
        "0",
        "1",
    ]
    assert any(line.startswith("asg-multi-az") for line in lines)
    assert "worst findings" in text and "CRITICAL asg-multi-az" in text
    assert str(tmp_path / "report.html") in text
    assert lines[-1] == "FAIL (exit 1)"


def test_terminal_neutralises_escape_sequences_in_data() -> None:
    report = sample_report()
    report.findings[0].message = "evil\x1b[2J\x1b]0;pwned\x07\rfake line\u202e"
    report.warnings.append(ReportWarning("bad\x1b[31m waiver"))
    text = render_terminal(report, color=False)
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text
    assert "evil?[2J?]0;pwned??fake line?" in text
    assert clean("a\nb\tc") == "a?b?c"


def test_markdown_summary_escapes_markup_and_html() -> None:
    report = sample_report()
    report.findings[0].message = f"{XSS} | [click](https://evil.example) *bold* `code`"
    text = render_markdown(report, outcome="FAIL (exit 1)")
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "\\[click\\](https:\\/\\/evil.example)" in text
    assert "\\*bold\\*" in text and "\\`code\\`" in text
    row = next(line for line in text.splitlines() if "onerror" in line)
    assert row.count(" | ") == 4  # the data's pipe did not add a column
    assert "| critical | 3 | 0 | 0 |" in text
    assert text.rstrip().endswith("**FAIL (exit 1)**")
    assert "scan **incomplete**" in text


def test_markdown_lists_errors_and_warnings() -> None:
    error = {
        "account": "111111111111",
        "region": "us-east-1",
        "service": "dlm",
        "operation": "GetLifecyclePolicies",
        "code": "AccessDenied",
        "message": "no",
    }
    report = sample_report(errors=[error])
    report.warnings.append(ReportWarning("waiver #3 expired on 2025-01-01", "w.yaml", 7))
    text = render_markdown(report)
    assert "### Collection errors (1)" in text and "GetLifecyclePolicies" in text
    assert "### Warnings (1)" in text and "w.yaml:7: waiver #3 expired on 2025-01-01" in text


def test_escape_keeps_plain_text_readable() -> None:
    assert escape("us-east-1 asg-web.prod") == "us-east-1 asg-web.prod"
    assert escape("www.example.com") == "www\\.example.com"
