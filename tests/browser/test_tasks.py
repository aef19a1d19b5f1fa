"""A user of a group works on the group's tasks: a task offered to the group appears in the open
Tasks page by itself (from the event stream), is claimed and completed, and disappears."""

from __future__ import annotations

from typing import Any

from browser.helpers import navigate, screenshot, sign_in
from browser.server import SteadServer

OFFER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="Definitions_offer" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="offer" name="Offer" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toCall" sourceRef="start" targetRef="call" />
    <bpmn:userTask id="call" name="Call the customer">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="sales" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="toDone" sourceRef="call" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_group_task_arrives_live_and_is_completed_by_a_member(
    page: Any, stead: SteadServer
) -> None:
    with stead.api() as api:
        created = api.post(
            "/api/users",
            json={
                "name": "clerk",
                "roles": ["user", "author"],  # author: may also read the event stream
                "groups": ["sales"],
                "password": "clerk-pw-1",
            },
        )
        assert created.status_code == 201, created.text
        deployed = api.post("/api/deployments", files=[("files", ("offer.bpmn", OFFER.encode()))])
        assert deployed.status_code == 200, deployed.text

    sign_in(page, "clerk", "clerk-pw-1")
    navigate(page, "Tasks")
    page.get_by_text("No open tasks.").wait_for()

    with stead.api() as api:
        started = api.post("/api/process-instances", json={"processId": "offer"})
        assert started.status_code == 201, started.text
        instance_id = started.json()["id"]

    page.get_by_role("button", name="My groups").click()
    task = page.get_by_role("link", name="Call the customer")
    task.wait_for()  # no reload: the event stream told the page
    task.click()
    page.get_by_role("button", name="Claim").click()
    page.get_by_role("button", name="Unclaim").wait_for()
    screenshot(page, "14-tasks-group")
    page.get_by_role("button", name="Complete").click()
    page.get_by_text("No open tasks.").wait_for()

    with stead.api() as api:
        instance = api.get(f"/api/process-instances/{instance_id}").json()
        history = api.get(f"/api/process-instances/{instance_id}/history").json()
    assert instance["state"] == "completed"
    completed = [entry for entry in history if entry["event"] == "task.completed"]
    assert [entry["actor"] for entry in completed] == ["clerk"]
