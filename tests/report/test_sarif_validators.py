"""The SARIF validators themselves: installed, and strict enough to catch what GitHub rejects."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scanner.report.sarif import render_sarif
from tests.report.factories import sample_report
from tests.report.sarif_check import (
    missing_multitool_reason,
    multitool_errors,
    multitool_path,
    schema_errors,
)


def _require_multitool() -> None:
    if multitool_path() is None:
        if os.environ.get("CI"):
            pytest.fail(missing_multitool_reason())
        pytest.skip(missing_multitool_reason())


def test_sarif_multitool_is_installed() -> None:
    _require_multitool()
    assert multitool_path().is_file()


def test_multitool_with_github_rules_rejects_a_result_github_would_drop(tmp_path: Path) -> None:
    _require_multitool()
    document = json.loads(render_sarif(sample_report()))
    results = document["runs"][0]["results"]
    del results[0]["locations"]
    del results[1]["locations"][0]["physicalLocation"]["region"]
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(document), encoding="utf-8")
    problems = "\n".join(multitool_errors(broken, tmp_path))
    assert "GH1001" in problems  # switched on only by sarif/multitool-github.config.xml
    assert "GH1003" in problems


def test_schema_check_validates_formats() -> None:
    document = json.loads(render_sarif(sample_report()))
    assert schema_errors(document) == []
    document["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri"
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ] = "bad uri\\%zz"
    problems = schema_errors(document)
    assert any("is not a 'uri'" in p for p in problems)
    assert any("uri-reference" in p for p in problems)
