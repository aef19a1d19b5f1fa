"""BPMN models and forms the HTTP API tests deploy."""

from __future__ import annotations

import json

from integration.bpmn_models import chain, document, message_catch, one_job, service_task

__all__ = ["caught_error", "form", "message_catch", "one_job", "reviewed", "service_task"]


def reviewed(process_id: str, *, form_id: str, groups: str = "", users: str = "") -> bytes:
    """A user task offered to ``groups``/``users`` that shows the deployed form ``form_id``."""
    assignment = (
        f'<zeebe:assignmentDefinition candidateGroups="{groups}" candidateUsers="{users}"/>'
    )
    task = (
        "userTask review|<bpmn:extensionElements><zeebe:userTask/>"
        f'<zeebe:formDefinition formId="{form_id}"/>{assignment}</bpmn:extensionElements>'
    )
    return document(process_id, chain("startEvent start", task, "endEvent end"))


def form(form_id: str, label: str = "Approved?") -> bytes:
    schema = {
        "id": form_id,
        "type": "default",
        "components": [{"type": "checkbox", "key": "approved", "label": label}],
    }
    return json.dumps(schema).encode()


def caught_error(process_id: str, job_type: str, error_code: str) -> bytes:
    """A service task whose BPMN error ``error_code`` a boundary event leads to ``handled``."""
    body = f"""
<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:serviceTask id="work"><bpmn:extensionElements>
  <zeebe:taskDefinition type="{job_type}"/></bpmn:extensionElements>
  <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
<bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
<bpmn:boundaryEvent id="failed" attachedToRef="work">
  <bpmn:outgoing>f3</bpmn:outgoing>
  <bpmn:errorEventDefinition errorRef="Error_1"/></bpmn:boundaryEvent>
<bpmn:endEvent id="handled"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="done"/>
<bpmn:sequenceFlow id="f3" sourceRef="failed" targetRef="handled"/>
"""
    errors = f'<bpmn:error id="Error_1" name="{error_code}" errorCode="{error_code}"/>\n'
    return document(process_id, body, messages=errors)
