"""The writer: requested formats only, each file whole, nothing half-written left behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scanner.errors import InputError
from scanner.report.writer import check_formats, write_reports
from tests.report.factories import sample_report
from tests.report.sarif_check import assert_valid_sarif


def test_all_four_files_are_written(tmp_path: Path) -> None:
    written = write_reports(sample_report(), ["md", "json", "html", "sarif"], tmp_path / "out")
    assert sorted(written) == ["findings.json", "report.html", "results.sarif", "summary.md"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(written)
    assert_valid_sarif(written["results.sarif"], tmp_path / "check")
    assert json.loads(written["findings.json"].read_text())["format"] == "stormproof-findings"
    assert written["report.html"].read_text().startswith("<!DOCTYPE html>")


def test_only_requested_formats(tmp_path: Path) -> None:
    written = write_reports(sample_report(), ["json"], tmp_path)
    assert list(written) == ["findings.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]


def test_unknown_or_empty_format_list_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown format pdf"):
        check_formats(["sarif", "pdf"])
    with pytest.raises(InputError, match="at least one"):
        check_formats([])


def test_output_folder_that_is_a_file_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot create the output folder"):
        write_reports(sample_report(), ["md"], blocker)


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "summary.md").write_text("previous run")
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("summary.md"):
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        write_reports(sample_report(), ["md"], tmp_path)
    assert (tmp_path / "summary.md").read_text() == "previous run"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.md"]
