"""What the browser tests do again and again: sign in, keep a screenshot of a page, and run a
worker process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from browser.server import ADMIN_PASSWORD, SteadServer

STEAD = [sys.executable, "-m", "stead.cli"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def sign_in(page: Any, username: str = "admin", password: str = ADMIN_PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=f"Welcome, {username}").wait_for()


def screenshot(page: Any, name: str) -> None:
    """Saves the page as test-artifacts/screenshots/NAME.png and checks that it fits the
    window's width (no horizontal scrolling at 1280x800)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let overlays and fonts settle
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the {name} page scrolls horizontally by {overflow}px"


def start_worker(stead: SteadServer, handlers: Path) -> subprocess.Popen[bytes]:
    """``stead worker run`` on the server's database, as a separate process."""
    with handlers.with_suffix(".log").open("wb") as output:
        return subprocess.Popen(
            [*STEAD, "--db", stead.database_url, "worker", "run", str(handlers)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def navigate(page: Any, section: str) -> None:
    """Follows the top navigation's link to ``section`` (Home, Modeler, Tasks, ...)."""
    page.locator("header nav").get_by_role("link", name=section, exact=True).click()
