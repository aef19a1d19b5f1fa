"""Connectors in the browser, as a new user meets them: turn a task into an HTTP call with the
connector template, fill its fields in the properties panel, deploy, start, and find the
response in the instance's variables; and the admins' page of secrets for connector fields."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from browser.helpers import (
    append_from_context_pad,
    diagram_shape,
    navigate,
    open_properties_group,
    screenshot,
    select_shape,
    sign_in,
)
from browser.server import SteadServer

QUOTE = {"price": 42.5, "currency": "EUR", "supplier": "Acme"}


class QuoteService:
    """A real HTTP server on a free local port that answers GET /quote with ``QUOTE`` and keeps
    each request's method, path and headers (names in lower case)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.requests.append(("GET", self.path, headers))
                body = json.dumps(QUOTE).encode() if self.path == "/quote" else b"{}"
                self.send_response(200 if self.path == "/quote" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the test output quiet

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> QuoteService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def quote_service() -> Iterator[QuoteService]:
    with QuoteService() as service:
        yield service


def fill_field(page: Any, label: str, value: str) -> None:
    """Fills the properties panel's field labelled exactly ``label``: a drop-down, a plain
    input, or a FEEL editor (typed without the leading ``=``, which the editor shows as fx)."""
    exact = re.compile(f"^{re.escape(label)}$")
    entry = page.locator(".bio-properties-panel-entry").filter(
        has=page.locator(".bio-properties-panel-label", has_text=exact)
    )
    entry = entry.first
    select = entry.locator("select")
    editor = entry.locator(".cm-content")
    if select.count():
        select.select_option(label=value)
    elif editor.count():
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    else:
        field = entry.locator("input, textarea").first
        field.fill(value)
        field.press("Tab")
    page.locator(".bio-properties-panel-header").click()  # leave the field, commit its value


def draw_start_task_end(page: Any, task: str) -> str:
    """Draws start → ``task`` (a plain task) → end in a new diagram; returns the process id."""
    page.goto("/#/modeler")
    page.locator(".djs-palette").wait_for()
    process_id = page.locator(".toolbar .muted").first.inner_text().strip()
    select_shape(diagram_shape(page, "StartEvent_1"))
    append_from_context_pad(page, "append.append-task", task)
    select_shape(diagram_shape(page, "Activity_", task))
    append_from_context_pad(page, "append.end-event", "Done")
    return str(process_id)


def test_a_new_user_maps_an_http_response_into_variables(
    page: Any, stead: SteadServer, quote_service: QuoteService
) -> None:
    sign_in(page)
    process_id = draw_start_task_end(page, "Fetch quote")

    # Connectors are offered from the toolbar and in the task's "Change element" menu.
    task = diagram_shape(page, "Activity_", "Fetch quote")
    task_id = task.get_attribute("data-element-id")
    select_shape(task)
    page.get_by_role("button", name="Use connector…").click()
    popup = page.locator(".djs-popup")
    popup.get_by_text("Choose a connector").wait_for()
    popup.locator(".entry", has_text="HTTP/JSON request").wait_for()
    # Every template the server sends passes the modeler's own validation.
    assert page.get_by_text("cannot be used").count() == 0
    screenshot(page, "15-connector-chooser")
    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    select_shape(task)
    page.locator('.djs-context-pad .entry[data-action="replace"]').click()
    popup.get_by_text("Connectors").wait_for()
    popup.locator(".entry", has_text="HTTP/JSON request").click()
    panel = page.locator(".modeler-body .properties")
    panel.locator(".bio-properties-panel-header-type", has_text=re.compile("HTTP")).wait_for()

    # Deploying before the URL is filled in: the server names the missing input on the task.
    page.get_by_role("button", name="Deploy").click()
    page.get_by_role("status").filter(has_text="Deploy failed").wait_for()
    marker = page.locator(f'.djs-overlays[data-container-id="{task_id}"] .deploy-problem')
    marker.filter(has_text="url").wait_for()

    for group in ("Request", "Output mapping"):
        open_properties_group(page, group)
    fill_field(page, "Method", "GET")
    fill_field(page, "URL", f"{quote_service.url}/quote")
    fill_field(page, "Result expression", "{price: body.price, supplier: body.supplier}")
    screenshot(page, "16-modeler-connector")

    page.get_by_role("button", name="Deploy").click()
    page.get_by_role("status").filter(has_text="version 1 deployed").wait_for()
    assert marker.count() == 0
    with stead.api() as api:
        xml = api.get(f"/api/process-definitions/{process_id}/versions/1/xml").text
    assert f'<bpmn:serviceTask id="{task_id}"' in xml
    assert 'zeebe:modelerTemplate="stead.connectors.http' in xml
    assert f"{quote_service.url}/quote" in xml

    page.get_by_role("link", name="Open in Processes").click()
    page.get_by_role("button", name="Start instance").click()
    page.wait_for_url(re.compile(r"#/instances/"))
    instance_id = page.url.rsplit("/", 1)[1]

    # Stead's own job executor calls the service; only what the expression maps comes back.
    page.locator(".state.completed").wait_for(timeout=30_000)
    variables = page.locator("section.card", has=page.get_by_role("heading", name="Variables"))
    variables.locator("tr", has=page.locator("th", has_text="price")).get_by_text("42.5").wait_for()
    screenshot(page, "17-instance-connector")
    with stead.api() as api:
        instance = api.get(f"/api/process-instances/{instance_id}").json()
    assert instance["variables"]["price"] == 42.5
    assert instance["variables"]["supplier"] == "Acme"
    assert "currency" not in instance["variables"]
    assert [(method, path) for method, path, _ in quote_service.requests] == [("GET", "/quote")]
    assert quote_service.requests[0][2].get("idempotency-key")


def test_an_admin_keeps_secrets_whose_values_are_never_shown_again(
    page: Any, stead: SteadServer
) -> None:
    value = "s3cret-value-for-the-browser-test"
    sign_in(page)
    navigate(page, "Secrets")
    page.get_by_role("heading", name="Secrets").wait_for()
    page.get_by_text("No secrets yet.").wait_for()

    # A name a connector field could not refer to is refused with the reason.
    page.get_by_label("Name").fill("crm token")
    page.get_by_label("Value").fill(value)
    page.get_by_role("button", name="Add secret").click()
    page.locator(".error", has_text="invalid secret name").wait_for()
    assert page.get_by_label("Value").input_value() == ""

    page.get_by_label("Name").fill("CRM_TOKEN")
    entry = page.get_by_label("Value")
    assert entry.get_attribute("type") == "password"
    entry.fill(value)
    page.get_by_role("button", name="Add secret").click()
    page.get_by_role("status").filter(has_text="CRM_TOKEN saved").wait_for()
    row = page.locator("tbody tr", has=page.locator("code", has_text="CRM_TOKEN"))
    row.get_by_text("by admin").first.wait_for()
    row.get_by_text("{{secrets.CRM_TOKEN}}").wait_for()  # what to write in a connector field
    assert entry.input_value() == ""
    assert value not in page.content()
    screenshot(page, "18-secrets")

    # Replacing keeps the name; the new value is not shown either.
    row.get_by_role("button", name="Replace").click()
    page.get_by_label("Value").fill(value + "-2")
    page.get_by_role("button", name="Replace secret").click()
    page.get_by_role("status").filter(has_text="CRM_TOKEN replaced").wait_for()
    page.reload()
    row.wait_for()
    assert value not in page.content()
    with stead.api() as api:
        listed = api.get("/api/secrets")
    assert listed.status_code == 200
    assert value not in listed.text
    assert [secret["name"] for secret in listed.json()] == ["CRM_TOKEN"]

    # Deleting asks first.
    row.get_by_role("button", name="Delete").click()
    row.get_by_text("Delete CRM_TOKEN?").wait_for()
    row.get_by_role("button", name="Cancel").click()
    row.get_by_role("button", name="Delete").click()
    row.get_by_role("button", name="Yes, delete").click()
    page.get_by_text("No secrets yet.").wait_for()
    with stead.api() as api:
        assert api.get("/api/secrets").json() == []


def test_only_admins_see_the_secrets_page(page: Any, stead: SteadServer) -> None:
    with stead.api() as api:
        created = api.post(
            "/api/users",
            json={"name": "olga", "roles": ["operator"], "password": "operator-password-1"},
        )
    assert created.status_code == 201, created.text
    sign_in(page, "olga", "operator-password-1")
    nav = page.locator("header nav")
    nav.get_by_role("link", name="Incidents", exact=True).wait_for()
    assert nav.get_by_role("link", name="Secrets", exact=True).count() == 0
