"""Fixtures for the browser tests: a real ``stead serve`` on a temporary SQLite file and a
free port, Debian's Chromium driven by Playwright, and pages of 1280x800 whose screenshots are
kept under ``test-artifacts/screenshots/``.

Without ``/usr/bin/chromium``, Playwright or the built web app these tests are skipped with the
reason, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser.helpers import SCREENSHOTS
from browser.server import SteadServer, start_server
from stead.webapp import static_dir

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def _missing_prerequisite() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if not (static_dir() / "index.html").exists():
        return "the web app is not built (run web/build.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def stead(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SteadServer]:
    reason = _missing_prerequisite()
    if reason:
        _skip_or_fail(reason)
    server = start_server(tmp_path_factory.mktemp("stead"))
    try:
        if not server.serves_webapp():
            _skip_or_fail("stead serve does not serve the web app at /")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(stead: SteadServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, stead: SteadServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, base_url=stead.url)
    context.set_default_timeout(20_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    # The last state of every test, to see where a failing one stopped.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.screenshot(path=str(SCREENSHOTS / f"last-{request.node.name}.png"))
    context.close()
    assert not errors, f"the page raised: {errors}"
