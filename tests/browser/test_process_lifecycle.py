"""A new user's first process, in the browser: sign in, draw a user task and a service task by
clicking, set a job type and a FEEL condition, deploy, start an instance, complete the task
through its form, watch a worker finish the service task, and read the audit timeline."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from browser.helpers import navigate, screenshot, sign_in, start_worker
from browser.server import SteadServer

HANDLERS = """
from stead.handlers import handler

@handler("charge-card")
def charge(job):
    return {"charged": True, "receipt": "R-" + str(job.variables.get("comment", ""))}
"""


def shape(page: Any, element_id_prefix: str, label: str | None = None) -> Any:
    """The diagram shape whose id starts with the prefix (and whose label is ``label``)."""
    shapes = page.locator(
        f'.djs-shape[data-element-id^="{element_id_prefix}"]:not([data-element-id$="_label"])'
    )
    if label is not None:
        shapes = shapes.filter(has_text=label)
    return shapes.last


def select(element: Any) -> None:
    """Clicks the shape until it is selected (a click right after closing a popup menu only
    closes the menu)."""
    for _ in range(3):
        element.click()
        if "selected" in (element.get_attribute("class") or ""):
            return
    raise AssertionError("the shape cannot be selected")


def context_pad(page: Any, action: str) -> None:
    page.locator(f'.djs-context-pad .entry[data-action="{action}"]').click()


def name_new_element(page: Any, name: str) -> None:
    """Types the label of the element just appended (its label editor is open) and confirms."""
    page.locator(".djs-direct-editing-parent").wait_for()
    page.keyboard.type(name)
    click_empty_canvas(page)


def click_empty_canvas(page: Any) -> None:
    box = page.locator(".modeler-body .canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 80, box["y"] + box["height"] - 80)


def change_type(page: Any, element: Any, replacement: str) -> None:
    select(element)
    context_pad(page, "replace")
    page.locator(f'.djs-popup .entry[data-id="{replacement}"]').click()


def open_group(page: Any, title: str) -> None:
    header = page.locator(".bio-properties-panel-group-header", has_text=title).first
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def draw_process(page: Any) -> str:
    """Draws start → Review order (user task) → gateway → Charge card (service task) → end,
    and returns the process id the modeler shows."""
    page.goto("/#/modeler")
    page.locator(".djs-palette").wait_for()
    process_id = page.locator(".toolbar .muted").first.inner_text().strip()

    select(shape(page, "StartEvent_1"))
    context_pad(page, "append.append-task")
    name_new_element(page, "Review order")
    review = shape(page, "Activity_", "Review order")
    change_type(page, review, "replace-with-user-task")

    select(shape(page, "Activity_", "Review order"))
    context_pad(page, "append.gateway")
    click_empty_canvas(page)
    gateway = shape(page, "Gateway_")
    select(gateway)
    context_pad(page, "append.append-task")
    name_new_element(page, "Charge card")
    change_type(page, shape(page, "Activity_", "Charge card"), "replace-with-service-task")

    select(shape(page, "Activity_", "Charge card"))
    context_pad(page, "append.end-event")
    name_new_element(page, "Done")
    return process_id


def set_job_type(page: Any, job_type: str) -> None:
    select(shape(page, "Activity_", "Charge card"))
    open_group(page, "Task definition")
    field = page.locator("#bio-properties-panel-taskDefinitionType")
    field.fill(job_type)
    field.press("Tab")


def set_condition_into_charge(page: Any, condition: str) -> None:
    """Selects the flow from the gateway into Charge card by clicking on it and writes its FEEL
    condition in the condition's FEEL editor."""
    gateway = shape(page, "Gateway_").bounding_box()
    task = shape(page, "Activity_", "Charge card").bounding_box()
    x = (gateway["x"] + gateway["width"] + task["x"]) / 2
    y = task["y"] + task["height"] / 2
    page.mouse.click(x, y)
    page.locator(".bio-properties-panel-header-type", has_text="Sequence Flow").wait_for()
    open_group(page, "Condition")
    editor = page.locator(".bio-properties-panel-feel-editor-container .cm-content").first
    editor.click()
    page.keyboard.type(condition)
    page.locator(".bio-properties-panel-header").click()


def test_a_new_user_draws_deploys_and_runs_a_process(
    page: Any, stead: SteadServer, tmp_path: Path
) -> None:
    sign_in(page)
    screenshot(page, "01-home")

    process_id = draw_process(page)

    # Deploying before the service task has a job type: the server's problem marks the task.
    charge_id = shape(page, "Activity_", "Charge card").get_attribute("data-element-id")
    page.get_by_role("button", name="Deploy").click()
    marker = page.locator(f'.djs-overlays[data-container-id="{charge_id}"] .deploy-problem')
    marker.filter(has_text="job type").wait_for()
    page.get_by_role("status").filter(has_text="Deploy failed").wait_for()
    screenshot(page, "03-modeler-deploy-problem")

    set_job_type(page, "charge-card")
    set_condition_into_charge(page, "approved = true")

    select(shape(page, "Activity_", "Review order"))
    page.get_by_role("button", name="Edit form").click()
    page.locator(".fjs-editor-container").wait_for()
    screenshot(page, "02-form-editor")
    page.get_by_role("button", name="Save form").click()
    screenshot(page, "04-modeler")

    page.get_by_role("button", name="Deploy").click()
    status = page.get_by_role("status")
    status.filter(has_text="version 1 deployed").wait_for()
    assert marker.count() == 0, "the problem marker outlived the successful deploy"

    page.get_by_role("link", name="Open in Processes").click()
    page.get_by_role("button", name="Start instance").wait_for()
    screenshot(page, "05-process")
    page.get_by_label("Business key").fill("order-1")
    page.get_by_role("button", name="Start instance").click()
    page.wait_for_url(re.compile(r"#/instances/"))
    instance_id = page.url.rsplit("/", 1)[1]
    page.locator(".badge.waiting").first.wait_for()
    screenshot(page, "06-instance-waiting")

    # The bottleneck view: one token waits at the review, counted on the process's diagram.
    page.goto(f"/#/processes/{process_id}")
    page.locator(".badge.waiting", has_text="1 ·").wait_for()
    screenshot(page, "06b-process-waiting")

    navigate(page, "Tasks")
    page.get_by_role("link", name=re.compile("Review order")).click()
    page.get_by_role("button", name="Claim").click()
    page.get_by_role("button", name="Unclaim").wait_for()
    page.get_by_label("Comment").fill("looks fine")
    page.get_by_label("Approved").check()
    screenshot(page, "07-task")

    handlers = tmp_path / "handlers.py"
    handlers.write_text(textwrap.dedent(HANDLERS))
    worker = start_worker(stead, handlers)
    try:
        page.get_by_role("button", name="Complete").click()
        page.get_by_text("Choose a task.").wait_for()

        page.goto(f"/#/instances/{instance_id}")
        page.locator(".state.completed").wait_for(timeout=60_000)
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    timeline = page.locator(".timeline")
    timeline.get_by_text("task.completed").first.wait_for()
    timeline.get_by_text("job.completed").first.wait_for()
    assert page.locator("table.compact").get_by_text('"looks fine"').count() == 1
    screenshot(page, "08-instance-completed")

    navigate(page, "Processes")
    processes = page.locator("table")
    processes.get_by_role("link", name="New process").wait_for()
    screenshot(page, "09-processes")

    navigate(page, "Instances")
    row = page.locator("tbody tr", has=page.locator(f'a[href="#/instances/{instance_id}"]'))
    row.wait_for()
    page.get_by_label("State").select_option("active")
    page.get_by_text("No instances match.").wait_for()
    page.get_by_label("State").select_option("completed")
    row.wait_for()
    screenshot(page, "10-instances")

    with stead.api() as api:
        instance = api.get(f"/api/process-instances/{instance_id}").json()
    assert instance["processId"] == process_id
    assert instance["state"] == "completed"
    assert instance["variables"]["charged"] is True
    with stead.api() as api:
        xml = api.get(f"/api/process-definitions/{process_id}/versions/1/xml").text
    assert 'type="charge-card"' in xml
    assert "approved = true" in xml
