"""Fixtures for report tests: a headless Chromium context per module, with a fresh profile.

Every test that opens a report runs twice: on a desktop (1440 px wide) and on a
phone (390 px, the width of a current iPhone), as ``open_report.width`` says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.report.browser import CHROMIUM_ARGS, PageLog, require_browser

WIDTHS = {"desktop": 1440, "phone": 390}


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A function that opens a persistent headless Chromium context (closed with the module)."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    contexts = []
    with sync_playwright() as playwright:

        def launch(**options):
            profile = tmp_path_factory.mktemp("chromium-profile")
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1440, "height": 900},
                timeout=60_000,
                **options,
            )
            contexts.append(context)
            return context

        try:
            yield launch
        finally:
            for context in contexts:
                context.close()


@pytest.fixture(scope="module")
def browser_context(chromium) -> object:
    return chromium()


@pytest.fixture(scope="module")
def no_script_context(chromium) -> object:
    return chromium(java_script_enabled=False)


@pytest.fixture(params=sorted(WIDTHS.items()), ids=lambda item: f"{item[0]}-{item[1]}px")
def open_report(request, browser_context):
    """Open an HTML file from file:// at one width; return (page, log of what it did)."""
    return _opener(request, browser_context, request.param[1])


@pytest.fixture(params=sorted(WIDTHS.items()), ids=lambda item: f"{item[0]}-{item[1]}px")
def open_report_without_script(request, no_script_context):
    return _opener(request, no_script_context, request.param[1])


def _opener(request, context, width: int):
    pages = []

    def _open(path: Path, fragment: str = ""):
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        pages.append(page)
        log = PageLog()
        page.on("console", lambda message: log.console.append((message.type, message.text)))
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        page.on("request", lambda request: log.requests.append(request.url))

        def on_dialog(dialog) -> None:
            log.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.resolve().as_uri() + fragment, wait_until="load", timeout=60_000)
        return page, log

    _open.width = width  # type: ignore[attr-defined]
    request.addfinalizer(lambda: [page.close() for page in pages])
    return _open
