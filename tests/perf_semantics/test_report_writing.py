"""The faster report path writes what the plain one wrote: same JSON, same files, same safety."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from scanner.report import writer
from scanner.report.json_text import dumps_sorted
from scanner.report.redact import redact_report
from scanner.report.writer import FILE_NAMES, render_format, write_reports
from tests.report.factories import XSS, sample_report

ALL = ["sarif", "html", "json", "md"]


@dataclasses.dataclass
class Point:
    x: int


DOCUMENTS = [
    {"b": [1, True, None, {}], "a": {"z": "x", "é": "\u2028 \x01 </script>"}, "": []},
    {"when": dt.datetime(2026, 11, 30, 20, 33, 22, tzinfo=dt.UTC), "point": Point(3)},
    {"nested": [[{"k": ["v", {"deep": [1, 2, 3]}]}]], "tuple": (1, "two"), "xss": XSS},
    {"huge": 2**70, "list": []},  # beyond orjson's 64 bits: the json module writes it
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_indented_text_is_exactly_what_json_dumps_wrote(document: dict) -> None:
    expected = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    assert dumps_sorted(document, indent=True) == expected


@pytest.mark.parametrize("document", DOCUMENTS)
def test_compact_text_is_exactly_what_json_dumps_wrote(document: dict) -> None:
    expected = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    assert dumps_sorted(document, indent=False) == expected


def test_floats_keep_their_value() -> None:
    document = {"values": [0.1, 2.5, 1e16, -3e-7, 123456789.125]}
    assert json.loads(dumps_sorted(document, indent=True)) == document


def test_write_reports_writes_each_rendered_format_with_a_new_files_mode(tmp_path: Path) -> None:
    report = sample_report()
    written = write_reports(report, ALL, tmp_path / "new", outcome="x")
    assert list(written) == [FILE_NAMES[name] for name in FILE_NAMES if name in ALL]
    reference = tmp_path / "reference"
    reference.write_bytes(b"")  # the mode any new file gets under this umask
    for name in ALL:
        path = written[FILE_NAMES[name]]
        assert path.read_bytes() == render_format(report, name, outcome="x"), name
        assert path.stat().st_mode == reference.stat().st_mode, name
    assert [p.name for p in sorted((tmp_path / "new").iterdir())] == sorted(written)


def test_a_failed_render_leaves_the_previous_files_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "results.sarif").write_text("previous run")

    def broken_markdown(*args, **kwargs) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(writer, "render_markdown", broken_markdown)
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_reports(sample_report(), ALL, tmp_path, outcome="x")
    assert (tmp_path / "results.sarif").read_text() == "previous run"
    assert [p.name for p in tmp_path.iterdir()] == ["results.sarif"]


@pytest.mark.parametrize("accounts", [False, True])
def test_redacting_in_place_gives_the_same_outputs_as_redacting_a_copy(
    accounts: bool, tmp_path: Path
) -> None:
    copied = redact_report(sample_report(), accounts=accounts)
    original = sample_report()
    in_place = redact_report(original, accounts=accounts, in_place=True)
    assert in_place is original
    first = write_reports(copied, ALL, tmp_path / "copy", outcome="x")
    second = write_reports(in_place, ALL, tmp_path / "in-place", outcome="x")
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
