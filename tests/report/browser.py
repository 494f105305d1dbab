"""Drive Debian's Chromium headlessly through Playwright, which never downloads a browser here.

Without Chromium or the ``playwright`` package the browser tests fail when
``CI`` is set and skip, with the reason, elsewhere.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str | None:
    override = os.environ.get("STORMPROOF_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    """The Chromium binary, or fail (CI) / skip (elsewhere) with the reason."""
    reason = None
    path = chromium_path()
    if path is None:
        reason = "Chromium not found: `apt-get install chromium` (as .ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is missing: pip install -e '.[test]'"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@dataclass
class PageLog:
    """What a page did: console messages, uncaught errors, requests, dialogs."""

    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        bad = [
            f"console {kind}: {text}" for kind, text in self.console if kind in ("error", "warning")
        ]
        return bad + [f"page error: {error}" for error in self.errors]


def save_artifact(source: Path) -> None:
    """Keep a screenshot for people: copied to ``$STORMPROOF_ARTIFACTS`` when set (CI sets it)."""
    target = os.environ.get("STORMPROOF_ARTIFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, Path(target) / source.name)


def write_report(tmp_path: Path, report: object, name: str = "report.html") -> Path:
    """The report rendered to a file the browser can open."""
    from scanner.report.html import render_html

    path = tmp_path / name
    path.write_text(render_html(report), encoding="utf-8")  # type: ignore[arg-type]
    return path
