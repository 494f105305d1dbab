"""The built wheel is the product: build it, install it into a fresh virtual environment, use it.

Nothing from this checkout is importable in that environment (it runs from a
temporary folder), so the demo and the policy tests pass only if the wheel
carries the package, the built-in policies, the schemas and the templates, and
declares every dependency. Installing uses the package registry through pip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scanner import __version__
from scanner.resources import builtin_policies_dir, schemas_dir, templates_dir

pytestmark = pytest.mark.slow

REPOSITORY = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 600


@dataclass
class Installed:
    wheel: Path
    venv: Path
    workdir: Path

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "stormproof"), *argv],
            cwd=self.workdir,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
        )


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _check(command: list[str], cwd: Path) -> None:
    result = subprocess.run(
        command, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=STEP_TIMEOUT
    )
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    dist, venv, workdir = root / "dist", root / "venv", root / "work"
    workdir.mkdir()
    _check([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPOSITORY)], root)
    (wheel,) = dist.glob("stormproof-*.whl")
    _check([sys.executable, "-m", "venv", str(venv)], root)
    _check([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[demo]"], root)
    return Installed(wheel, venv, workdir)


def test_the_wheel_carries_policies_schemas_and_templates(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for policy in builtin_policies_dir().glob("*.yaml"):
        assert f"scanner/_builtin/policies/{policy.name}" in names
    for schema in schemas_dir().glob("*.json"):
        assert f"scanner/_builtin/schemas/{schema.name}" in names
    for template in templates_dir().rglob("*"):
        if template.is_file():  # partials/ too
            relative = template.relative_to(templates_dir()).as_posix()
            assert f"scanner/report/templates/{relative}" in names
    assert not [name for name in names if name.startswith("tests/") or "__pycache__" in name]


def test_the_installed_package_is_the_wheel_not_this_checkout(installed: Installed) -> None:
    result = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import scanner; print(scanner.__file__)"],
        cwd=installed.workdir,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    location = Path(result.stdout.strip()).resolve()
    assert installed.venv.resolve() in location.parents, location
    version = installed.run("--version")
    assert version.stdout.strip() == f"stormproof {__version__}"


def test_the_installed_demo_runs(installed: Installed) -> None:
    output = installed.workdir / "demo-out"
    result = installed.run("demo", "--output-dir", str(output))
    assert result.returncode == 0, result.stderr
    assert (output / "report.html").is_file() and (output / "results.sarif").is_file()
    assert "Open the report: file://" in result.stdout


def test_the_installed_policies_pass_their_own_tests(installed: Installed) -> None:
    result = installed.run("policies", "test")
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(list(builtin_policies_dir().glob("*.yaml")))
    ids = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        for path in builtin_policies_dir().glob("*.yaml")
    }
    text = result.stdout + result.stderr
    assert f"{count} policies" in text and "0 policies failing" in text
    assert all(f"ok        {policy_id} " in result.stdout for policy_id in ids)
