"""What the browser tests do again and again: sign in, keep a screenshot of a page, run a
worker process, and draw in the modeler."""

from __future__ import annotations

import re
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


def diagram_shape(page: Any, element_id_prefix: str, label: str | None = None) -> Any:
    """The modeler's shape whose id starts with the prefix (and whose label is ``label``)."""
    shapes = page.locator(
        f'.djs-shape[data-element-id^="{element_id_prefix}"]:not([data-element-id$="_label"])'
    )
    if label is not None:
        shapes = shapes.filter(has_text=label)
    return shapes.last


def select_shape(element: Any) -> None:
    """Clicks the shape until it is selected (a click right after a popup menu only closes it)."""
    for _ in range(3):
        element.click()
        if "selected" in (element.get_attribute("class") or ""):
            return
    raise AssertionError("the shape cannot be selected")


def append_from_context_pad(page: Any, action: str, name: str | None = None) -> None:
    """Appends to the selected shape with its context pad's ``action`` (``append.append-task``,
    ``append.end-event``) and types the new element's name, if given."""
    page.locator(f'.djs-context-pad .entry[data-action="{action}"]').click()
    if name is not None:
        page.locator(".djs-direct-editing-parent").wait_for()
        page.keyboard.type(name)
    box = page.locator(".modeler-body .canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 80, box["y"] + box["height"] - 80)


def open_properties_group(page: Any, title: str) -> None:
    """Opens the properties panel's group titled exactly ``title`` (if it is closed)."""
    exact = re.compile(f"^{re.escape(title)}$")
    titled = page.locator(".bio-properties-panel-group-header-title", has_text=exact)
    header = page.locator(".bio-properties-panel-group-header", has=titled).first
    if "open" not in (header.get_attribute("class") or ""):
        header.click()
