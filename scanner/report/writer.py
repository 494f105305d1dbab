"""Render the requested formats, then write each file atomically into the output folder.

Every format is rendered before any file is replaced, so a rendering bug or an
interrupt leaves the previous run's files untouched; each file then appears
whole (temp file + rename) or not at all. :func:`write_reports` holds one
rendered format in memory at a time (the others wait as temp files), which is
what keeps a scan of a million resources within its memory budget.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO

from scanner.atomic_files import stage, write_atomic_with
from scanner.errors import InputError
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
    "ocsf": "findings.ocsf.json",
    "asff": "findings.asff.json",
}
# Written only when asked for with --format.
DEFAULT_FORMATS = ["sarif", "html", "json", "md"]


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


def render_format(
    report: ScanReport,
    name: str,
    *,
    sarif_options: SarifOptions | None = None,
    outcome: str | None = None,
) -> bytes:
    """One format's file content."""
    if name == "sarif":
        text = render_sarif(report, sarif_options)
    elif name == "html":
        text = render_html(report)
    elif name == "json":
        text = render_findings_json(report)
    elif name == "ocsf":
        from scanner.report.ocsf import render_ocsf

        text = render_ocsf(report)
    elif name == "asff":
        from scanner.report.asff import render_asff

        text = render_asff(report)
    else:
        text = render_markdown(report, outcome=outcome)
    return text.encode("utf-8")


def write_reports(
    report: ScanReport,
    formats: list[str],
    output_dir: str | os.PathLike[str],
    *,
    sarif_options: SarifOptions | None = None,
    outcome: str | None = None,
    extra: dict[str, Callable[[IO[bytes]], None]] | None = None,
) -> dict[str, Path]:
    """Render and stage one format at a time, then rename them all into place.

    ``extra`` maps further file names (``scenarios.json``) to their writers; they
    are staged and moved into place with the formats, as one set.
    """
    directory = _output_folder(output_dir)
    staged: list[tuple[str, Path]] = []
    try:
        for name in check_formats(formats):
            data = render_format(report, name, sarif_options=sarif_options, outcome=outcome)
            path = directory / FILE_NAMES[name]
            staged.append((stage(path, lambda handle, data=data: handle.write(data)), path))
            del data
        for file_name, write in (extra or {}).items():
            path = directory / file_name
            staged.append((stage(path, write), path))
        for temp, path in staged:
            os.replace(temp, path)
    except BaseException:
        for temp, _ in staged:
            Path(temp).unlink(missing_ok=True)
        raise
    return {path.name: path for _, path in staged}


def _output_folder(output_dir: str | os.PathLike[str]) -> Path:
    directory = Path(output_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{directory}: cannot create the output folder: {exc.strerror or exc}"
        ) from exc
    if not directory.is_dir():
        raise InputError(f"{directory}: the output folder is not a folder")
    return directory


def write_single_report(
    report: ScanReport,
    name: str,
    target: str,
    *,
    sarif_options: SarifOptions | None = None,
    outcome: str | None = None,
    stdout: BinaryIO | None = None,
) -> dict[str, Path]:
    """``--output``: one format to ``target`` (a file, atomically), or to standard output for
    ``-``; returns what was written, as :func:`write_reports` does."""
    data = render_format(report, name, sarif_options=sarif_options, outcome=outcome)
    if target == "-":
        stream = stdout or sys.stdout.buffer
        stream.write(data)
        stream.flush()
        return {}
    path = Path(target)
    if path.is_dir():
        raise InputError(f"--output {target}: is a folder; name a file, or use --output-dir")
    if not path.parent.is_dir():
        raise InputError(f"--output {target}: the folder {path.parent} does not exist")
    write_atomic_with(path, lambda handle: handle.write(data))
    return {path.name: path}
