"""Render the requested formats, then write each file atomically into the output folder.

Everything is rendered in memory first, so a rendering bug or an interrupt
leaves the previous run's files untouched; each file then appears whole
(temp file + rename) or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from scanner.errors import InputError
from scanner.model.snapshot import write_atomic
from scanner.report.context import ScanReport
from scanner.report.html import render_html
from scanner.report.json_findings import render_findings_json
from scanner.report.markdown import render_markdown
from scanner.report.sarif import render_sarif
from scanner.report.sarif_rules import SarifOptions

FILE_NAMES: dict[str, str] = {
    "sarif": "results.sarif",
    "html": "report.html",
    "json": "findings.json",
    "md": "summary.md",
}


def check_formats(formats: list[str]) -> list[str]:
    """Known formats in a stable order; an unknown name is the user's error."""
    unknown = [name for name in formats if name not in FILE_NAMES]
    if unknown:
        raise InputError(
            f"--format: unknown format {', '.join(unknown)} (choose from {', '.join(FILE_NAMES)})"
        )
    if not formats:
        raise InputError("--format: name at least one of " + ", ".join(FILE_NAMES))
    return [name for name in FILE_NAMES if name in formats]


def render_outputs(
    report: ScanReport,
    formats: list[str],
    *,
    sarif_options: SarifOptions | None = None,
    outcome: str | None = None,
) -> dict[str, bytes]:
    """File name -> content for each requested format."""
    rendered: dict[str, bytes] = {}
    for name in check_formats(formats):
        if name == "sarif":
            text = render_sarif(report, sarif_options)
        elif name == "html":
            text = render_html(report)
        elif name == "json":
            text = render_findings_json(report)
        else:
            text = render_markdown(report, outcome=outcome)
        rendered[FILE_NAMES[name]] = text.encode("utf-8")
    return rendered


def write_outputs(
    rendered: dict[str, bytes], output_dir: str | os.PathLike[str]
) -> dict[str, Path]:
    """Write each file atomically; returns file name -> path written."""
    directory = Path(output_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{directory}: cannot create the output folder: {exc.strerror or exc}"
        ) from exc
    if not directory.is_dir():
        raise InputError(f"{directory}: the output folder is not a folder")
    written: dict[str, Path] = {}
    for name, data in rendered.items():
        path = directory / name
        write_atomic(path, data)
        written[name] = path
    return written
