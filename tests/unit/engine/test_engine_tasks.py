"""Tasks: jobs, user tasks, pass-through tasks, send/message-end jobs and call activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine_harness import Driver, bpmn, chain, message, service_task

from stead.engine.commands import ChildInstanceCompleted, ChildInstanceTerminated
from stead.engine.effects import CancelChildInstance, StartChildInstance


def _around(
    task: str, task_id: str = "t", extra: str = "", variables: dict[str, Any] | None = None
) -> Driver:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + task
        + '<bpmn:endEvent id="end"/>'
        + chain("start", task_id, "end"),
        extra=extra,
    )
    return Driver(definition, variables or {})


def test_job_carries_evaluated_type_retries_and_headers() -> None:
    driver = _around(
        '<bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="=&quot;mail-&quot; + region" retries="=tries"/>'
        '<zeebe:taskHeaders><zeebe:header key="template" value="welcome"/></zeebe:taskHeaders>'
        "</bpmn:extensionElements></bpmn:serviceTask>",
        variables={"region": "eu", "tries": 5},
    )
    job = driver.job("t")
    assert job.job_type == "mail-eu"
    assert job.retries == 5
    assert job.headers == {"template": "welcome"}
    assert job.variables == {"region": "eu", "tries": 5}


def test_job_type_that_is_not_a_string_raises_incident() -> None:
    driver = _around(
        '<bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="=42"/></bpmn:extensionElements></bpmn:serviceTask>'
    )
    incident = driver.incident()
    assert incident.element_id == "t"
    assert "job type" in incident.message
    assert "number 42" in incident.message
    assert driver.jobs == {}


def test_user_task_with_assignee_groups_and_due_date() -> None:
    driver = _around(
        '<bpmn:userTask id="t" name="Approve"><bpmn:extensionElements><zeebe:userTask/>'
        '<zeebe:assignmentDefinition assignee="=owner" candidateGroups="sales, ops"'
        ' candidateUsers="=[&quot;ann&quot;, &quot;bo&quot;]"/>'
        '<zeebe:taskSchedule dueDate="=deadline"/><zeebe:priorityDefinition priority="=70"/>'
        '<zeebe:formDefinition formId="approve-form"/>'
        "</bpmn:extensionElements></bpmn:userTask>",
        variables={"owner": "carol", "deadline": "2026-03-05T17:00:00Z"},
    )
    task = driver.task("t")
    assert task.name == "Approve"
    assert task.assignee == "carol"
    assert task.candidate_groups == ("sales", "ops")
    assert task.candidate_users == ("ann", "bo")
    assert task.due_date == dt.datetime(2026, 3, 5, 17, tzinfo=dt.UTC)
    assert task.form_key == "approve-form"
    assert task.priority == 70
    assert driver.state.waiting[0].kind == "user-task"
    driver.complete_task("t", {"approved": True})
    assert driver.status == "completed"
    assert driver.variables["approved"] is True
    [done] = driver.history("task.completed")
    assert done.actor == "alice"


def test_manual_and_undefined_tasks_pass_through() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:manualTask id="m"/><bpmn:task id="u"/>'
        '<bpmn:intermediateThrowEvent id="mark"/><bpmn:endEvent id="end"/>'
        + chain("start", "m", "u", "mark", "end")
    )
    driver = Driver(definition)
    assert driver.status == "completed"
    assert driver.path() == ["start", "m", "u", "mark", "end", "p"]


def test_send_task_and_message_end_event_create_jobs() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:sendTask id="send"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="email"/></bpmn:extensionElements></bpmn:sendTask>'
        '<bpmn:endEvent id="end"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="notify"/></bpmn:extensionElements>'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:endEvent>'
        + chain("start", "send", "end"),
        extra=message("m", "done"),
    )
    driver = Driver(definition)
    assert driver.job("send").job_type == "email"
    driver.complete_job("send")
    assert driver.job("end").job_type == "notify"
    assert driver.status == "active"
    driver.complete_job("end")
    assert driver.status == "completed"


def _call(attrs: str = "", mappings: str = "") -> Driver:
    return _around(
        '<bpmn:callActivity id="t"><bpmn:extensionElements>'
        f'<zeebe:calledElement processId="=childId" {attrs}/>{mappings}'
        "</bpmn:extensionElements></bpmn:callActivity>",
        variables={"childId": "billing", "order": 7},
    )


def test_call_activity_starts_the_child_and_takes_its_variables_back() -> None:
    driver = _call()
    [start] = driver.last(StartChildInstance)
    assert start.process_id == "billing"
    assert start.variables == {"childId": "billing", "order": 7}
    assert driver.state.waiting[0].kind == "call-activity"
    driver.apply(ChildInstanceCompleted(start.element_instance_key, {"invoice": "i-1"}))
    assert driver.status == "completed"
    assert driver.variables["invoice"] == "i-1"


def test_call_activity_without_propagation_passes_only_mapped_variables() -> None:
    driver = _call(
        'propagateAllChildVariables="false" propagateAllParentVariables="false"',
        '<zeebe:ioMapping><zeebe:input source="=order" target="orderId"/>'
        '<zeebe:output source="=invoice" target="invoiceId"/></zeebe:ioMapping>',
    )
    [start] = driver.last(StartChildInstance)
    assert start.variables == {"orderId": 7}
    driver.apply(ChildInstanceCompleted(start.element_instance_key, {"invoice": "i-1", "x": 1}))
    assert driver.variables == {"childId": "billing", "order": 7, "invoiceId": "i-1"}


def test_terminated_child_raises_incident_and_retry_starts_it_again() -> None:
    driver = _call()
    [start] = driver.last(StartChildInstance)
    driver.apply(ChildInstanceTerminated(start.element_instance_key))
    assert driver.incident().kind == "called-process"
    driver.resolve()
    [again] = driver.last(StartChildInstance)
    assert again.process_id == "billing"


def test_error_from_the_child_is_caught_by_the_call_activity_boundary() -> None:
    from stead.engine.commands import ChildInstanceThrewError

    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:callActivity id="t"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="billing"/></bpmn:extensionElements></bpmn:callActivity>'
        '<bpmn:boundaryEvent id="failed" attachedToRef="t">'
        '<bpmn:errorEventDefinition errorRef="e"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="end"/><bpmn:endEvent id="handled"/>'
        + chain("start", "t", "end")
        + chain("failed", "handled", prefix="b"),
        extra='<bpmn:error id="e" errorCode="NO_FUNDS"/>',
    )
    driver = Driver(definition)
    [start] = driver.last(StartChildInstance)
    driver.apply(ChildInstanceThrewError(start.element_instance_key, "OTHER"))
    assert driver.status == "active"
    assert driver.incidents == {}
    driver.apply(ChildInstanceThrewError(start.element_instance_key, "NO_FUNDS", "", {"b": 1}))
    assert driver.status == "completed"
    assert driver.path()[-2:] == ["handled", "p"]
    assert CancelChildInstance(start.element_instance_key) in driver.effects
    assert driver.variables["b"] == 1


def test_uncaught_error_is_reported_for_a_calling_instance() -> None:
    from stead.engine.effects import ThrowUncaughtError

    driver = _around(service_task("t"))
    driver.throw_error("t", "NO_FUNDS", {"why": "x"})
    assert ThrowUncaughtError("NO_FUNDS", "worker gave up", {"why": "x"}) in driver.effects
    assert driver.incident().kind == "unhandled-error"


def test_cancelling_the_parent_cancels_the_child() -> None:
    from stead.engine.commands import CancelInstance

    driver = _call()
    [start] = driver.last(StartChildInstance)
    driver.apply(CancelInstance())
    assert CancelChildInstance(start.element_instance_key) in driver.effects


def test_retry_policy_is_passed_to_the_job() -> None:
    driver = _around(
        service_task(
            "t",
            inner='<stead:retryPolicy xmlns:stead="http://stead.dev/schema/bpmn/1.0"'
            ' initialInterval="PT2S" backoffRate="3" maxInterval="PT1M" jitter="false"/>',
        )
    )
    assert driver.job("t").retry_policy == (2.0, 3.0, 60.0, False)
