"""``stormproof --help`` and ``--version`` answer at once: no heavy module is imported for them.

Speed is measured in ``bench/``, never timed here; what this test pins is the
cause of a slow ``--help``: importing boto3, moto, Jinja2 or jsonschema at the top
of the command line module.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scanner import __version__

HEAVY = ("boto3", "botocore", "moto", "jinja2", "jsonschema", "yaml", "jmespath")

PROBE = r"""
import contextlib, io, json, sys
from scanner.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps({"code": code, "out": out.getvalue(), "heavy": heavy}))
"""


def _probe(*argv: str) -> dict:
    script = f"HEAVY = {json.dumps(json.dumps(HEAVY))}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(flag: str) -> None:
    answer = _probe(flag)
    assert answer["code"] == 0
    assert answer["heavy"] == []


def test_version_names_the_package_version() -> None:
    assert _probe("--version")["out"].strip() == f"stormproof {__version__}"


def test_help_lists_the_demo_and_the_exit_codes() -> None:
    text = _probe("--help")["out"]
    assert "demo" in text and "exit codes:" in text


def test_demo_help_imports_nothing_heavy() -> None:
    answer = _probe("demo", "--help")
    assert answer["code"] == 0 and "--output-dir" in answer["out"]
    assert answer["heavy"] == []
