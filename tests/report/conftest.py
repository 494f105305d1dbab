"""Fixtures for report tests: a headless Chromium context per module, with a fresh profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.report.browser import CHROMIUM_ARGS, PageLog, require_browser


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            timeout=60_000,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def open_report(browser_context):
    """Open an HTML file from file:// and return (page, log of what it did)."""
    pages = []

    def _open(path: Path):
        page = browser_context.new_page()
        pages.append(page)
        log = PageLog()
        page.on("console", lambda message: log.console.append((message.type, message.text)))
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        page.on("request", lambda request: log.requests.append(request.url))

        def on_dialog(dialog) -> None:
            log.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=60_000)
        return page, log

    yield _open
    for page in pages:
        page.close()
