"""An operator resolves an incident in the browser: the Incidents page groups it by process and
error, the instance page lets them correct the variable the gateway needs, and retrying from the
Incidents page lets the instance finish."""

from __future__ import annotations

import time
from typing import Any

from browser.helpers import navigate, screenshot, sign_in
from browser.server import SteadServer

APPROVAL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  id="Definitions_approval" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="approval" name="Approval" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toCheck" sourceRef="start" targetRef="check" />
    <bpmn:exclusiveGateway id="check" name="Approved?" />
    <bpmn:sequenceFlow id="yes" sourceRef="check" targetRef="done">
      <bpmn:conditionExpression>=approved = true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:endEvent id="done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="approval">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="150" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="check_di" bpmnElement="check" isMarkerVisible="true">
        <dc:Bounds x="240" y="93" width="50" height="50" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done">
        <dc:Bounds x="350" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="toCheck_di" bpmnElement="toCheck">
        <di:waypoint x="186" y="118" />
        <di:waypoint x="240" y="118" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="yes_di" bpmnElement="yes">
        <di:waypoint x="290" y="118" />
        <di:waypoint x="350" y="118" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def _start_stuck_instances(stead: SteadServer, count: int) -> list[str]:
    """Deploys the approval process and starts instances that are not approved, so that each
    stops at the gateway with an incident."""
    with stead.api() as api:
        deployed = api.post(
            "/api/deployments", files=[("files", ("approval.bpmn", APPROVAL.encode()))]
        )
        assert deployed.status_code == 200, deployed.text
        ids = []
        for n in range(count):
            started = api.post(
                "/api/process-instances",
                json={"processId": "approval", "variables": {"approved": False, "n": n}},
            )
            assert started.status_code == 201, started.text
            ids.append(started.json()["id"])
        deadline = time.monotonic() + 30
        while len(api.get("/api/incidents").json()) < count:
            assert time.monotonic() < deadline, "the instances raised no incidents"
            time.sleep(0.2)
    return ids


def test_an_operator_fixes_the_data_and_retries_incidents_in_bulk(
    page: Any, stead: SteadServer
) -> None:
    first, second = _start_stuck_instances(stead, 2)
    sign_in(page)
    page.locator(".card", has_text="Open incidents").get_by_text("no condition").first.wait_for()
    screenshot(page, "11-home-incidents")

    navigate(page, "Incidents")
    group = page.locator(".card", has_text="approval")
    group.get_by_text("no condition of its outgoing sequence flows is true").wait_for()
    assert group.locator("tbody tr").count() == 2
    screenshot(page, "12-incidents")

    # Correct the data the gateway decides on, in each instance, as an operator would.
    for instance_id in (first, second):
        page.goto(f"/#/instances/{instance_id}")
        page.locator(".badge.incident").wait_for()
        page.get_by_role("button", name="Edit variables").click()
        page.get_by_label("Variables JSON").fill('{"approved": true}')
        page.get_by_role("button", name="Save variables").click()
        page.locator("table.compact").get_by_text("true").first.wait_for()
    screenshot(page, "13-instance-incident")

    navigate(page, "Incidents")
    page.get_by_role("button", name="Retry all 2").click()
    page.get_by_text("No open incidents.").wait_for()

    page.goto(f"/#/instances/{first}")
    page.locator(".state.completed").wait_for()
    timeline = page.locator(".timeline")
    timeline.get_by_text("incident.resolved").first.wait_for()
    timeline.get_by_text("variables.changed").first.wait_for()
    with stead.api() as api:
        for instance_id in (first, second):
            instance = api.get(f"/api/process-instances/{instance_id}").json()
            assert instance["state"] == "completed", instance
