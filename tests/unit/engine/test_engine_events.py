"""Events: timers, messages, boundary events, errors, terminate ends, event sub-processes."""

from __future__ import annotations

import datetime as dt

from engine_harness import NOW, Driver, bpmn, chain, message, service_task

from stead.engine.effects import CancelJob, CancelTimer, CloseSubscription, ScheduleTimer


def _timer(kind: str, value: str) -> str:
    tag = {"duration": "timeDuration", "date": "timeDate", "cycle": "timeCycle"}[kind]
    return (
        f"<bpmn:timerEventDefinition><bpmn:{tag}>{value}</bpmn:{tag}></bpmn:timerEventDefinition>"
    )


def _catch(event_id: str, definition: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{event_id}">{definition}</bpmn:intermediateCatchEvent>'
    )


def _boundary(event_id: str, attached: str, definition: str, interrupting: bool = True) -> str:
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{event_id}" attachedToRef="{attached}"{cancel}>'
        f"{definition}</bpmn:boundaryEvent>"
    )


def _linear(*middle: str, extra: str = "", ids: tuple[str, ...]) -> Driver:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + "".join(middle)
        + '<bpmn:endEvent id="end"/>'
        + chain("start", *ids, "end"),
        extra=extra,
    )
    return Driver(definition, {"orderId": "o-7", "wait": "PT2H"})


def test_intermediate_timer_waits_for_its_duration() -> None:
    driver = _linear(_catch("pause", _timer("duration", "=wait")), ids=("pause",))
    timer = driver.timer("pause")
    assert timer.due == NOW + dt.timedelta(hours=2)
    assert timer.due.tzinfo is not None
    assert driver.state.waiting[0].kind == "timer"
    driver.fire("pause")
    assert driver.status == "completed"


def test_intermediate_timer_at_a_date() -> None:
    driver = _linear(_catch("until", _timer("date", "2026-04-01T10:00:00+02:00")), ids=("until",))
    due = driver.timer("until").due
    assert due == dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    assert due.tzinfo is dt.UTC


def test_bad_timer_expression_raises_incident() -> None:
    driver = _linear(_catch("pause", _timer("duration", "=nope")), ids=("pause",))
    incident = driver.incident()
    assert incident.element_id == "pause"
    assert "nope" in incident.message


def test_intermediate_message_catch_correlates_with_variables() -> None:
    driver = _linear(
        _catch("wait_paid", '<bpmn:messageEventDefinition messageRef="m"/>'),
        extra=message("m", "paid", "=orderId"),
        ids=("wait_paid",),
    )
    sub = driver.subscription("wait_paid")
    assert (sub.message_name, sub.correlation_key) == ("paid", "o-7")
    driver.correlate("wait_paid", {"amount": 3})
    assert driver.status == "completed"
    assert driver.variables["amount"] == 3
    assert CloseSubscription(sub.subscription_key) in driver.effects


def test_receive_task_waits_for_its_message() -> None:
    driver = _linear(
        '<bpmn:receiveTask id="recv" messageRef="m"/>',
        extra=message("m", "paid", "=orderId"),
        ids=("recv",),
    )
    assert driver.state.waiting[0].kind == "message"
    driver.correlate("recv", {"ok": True})
    assert driver.status == "completed"
    assert driver.variables["ok"] is True


def test_interrupting_timer_boundary_cancels_the_job_and_takes_its_flow() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("work")
        + _boundary("late", "work", _timer("duration", "PT10M"))
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="escalated"/>'
        + chain("start", "work", "end")
        + chain("late", "escalated", prefix="b")
    )
    driver = Driver(definition)
    job = driver.job("work")
    assert driver.timer("late").due == NOW + dt.timedelta(minutes=10)
    driver.fire("late")
    assert driver.status == "completed"
    assert CancelJob(job.job_key) in driver.effects
    assert driver.path()[-2:] == ["escalated", "p"]
    assert [e.element_id for e in driver.history("element.terminated")] == ["work"]


def test_boundary_timer_is_cancelled_when_the_activity_completes() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("work")
        + _boundary("late", "work", _timer("duration", "PT10M"))
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="escalated"/>'
        + chain("start", "work", "end")
        + chain("late", "escalated", prefix="b")
    )
    driver = Driver(definition)
    timer = driver.timer("late")
    driver.complete_job("work")
    assert CancelTimer(timer.timer_key) in driver.effects
    assert driver.timers == {}


def test_non_interrupting_cycle_boundary_fires_repeatedly_while_the_activity_waits() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("work")
        + _boundary("remind", "work", _timer("cycle", "R2/PT1H"), interrupting=False)
        + service_task("notify", "notify")
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="notified"/>'
        + chain("start", "work", "end")
        + chain("remind", "notify", "notified", prefix="b")
    )
    driver = Driver(definition)
    first = driver.timer("remind")
    assert first.due == NOW + dt.timedelta(hours=1)
    driver.fire("remind")
    assert driver.waiting == ["notify", "work"]
    second = driver.timer("remind")
    assert second.due == NOW + dt.timedelta(hours=2)
    driver.fire("remind")
    assert driver.timers == {}
    assert len([j for j in driver.jobs.values() if j.element_id == "notify"]) == 2
    driver.complete_job("work")
    assert driver.status == "active"


def test_message_boundary_interrupts_the_activity() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("work")
        + _boundary("cancelled", "work", '<bpmn:messageEventDefinition messageRef="m"/>')
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="stopped"/>'
        + chain("start", "work", "end")
        + chain("cancelled", "stopped", prefix="b"),
        extra=message("m", "cancel", "=orderId"),
    )
    driver = Driver(definition, {"orderId": 5})
    assert driver.subscription("cancelled").correlation_key == "5"
    driver.correlate("cancelled", {"why": "customer"})
    assert driver.status == "completed"
    assert driver.variables["why"] == "customer"
    assert driver.jobs == {}


def _error_boundary_model(code: str = "E_CARD") -> str:
    return (
        '<bpmn:startEvent id="start"/>'
        + service_task("charge")
        + _boundary("declined", "charge", '<bpmn:errorEventDefinition errorRef="err"/>')
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="failed"/>'
        + chain("start", "charge", "end")
        + chain("declined", "failed", prefix="b")
    )


def _errors(code: str = "E_CARD") -> str:
    return f'<bpmn:error id="err" errorCode="{code}"/>'


def test_thrown_error_is_caught_by_a_matching_boundary_event() -> None:
    driver = Driver(bpmn(_error_boundary_model(), extra=_errors()))
    driver.throw_error("charge", "E_CARD", {"reason": "expired"})
    assert driver.status == "completed"
    assert driver.path()[-2:] == ["failed", "p"]
    assert driver.variables["reason"] == "expired"


def test_uncaught_error_raises_an_incident_and_retry_creates_a_new_job() -> None:
    driver = Driver(bpmn(_error_boundary_model(), extra=_errors()))
    driver.throw_error("charge", "OTHER")
    incident = driver.incident()
    assert incident.kind == "unhandled-error"
    assert "OTHER" in incident.message
    assert driver.waiting == ["charge"]
    driver.resolve()
    assert driver.job("charge").job_type == "work"


def test_error_end_event_in_sub_process_is_caught_by_the_sub_process_boundary() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:subProcess id="sub"><bpmn:startEvent id="s_start"/>'
        + service_task("inner")
        + '<bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>'
        + chain("s_start", "boom", prefix="sf")
        + chain("s_start", "inner", prefix="sg")
        + "</bpmn:subProcess>"
        + _boundary("caught", "sub", '<bpmn:errorEventDefinition errorRef="err"/>')
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="handled"/>'
        + chain("start", "sub", "end")
        + chain("caught", "handled", prefix="b"),
        extra=_errors(),
    )
    driver = Driver(definition)
    assert driver.status == "completed"
    assert driver.path()[-2:] == ["handled", "p"]
    assert driver.jobs == {}
    terminated = {e.element_id for e in driver.history("element.terminated")}
    assert {"inner", "sub"} <= terminated


def test_uncaught_error_end_event_raises_incident() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>'
        + chain("start", "boom"),
        extra=_errors("E_X"),
    )
    driver = Driver(definition)
    incident = driver.incident()
    assert (incident.element_id, incident.kind) == ("boom", "unhandled-error")
    assert "E_X" in incident.message


def test_terminate_end_event_ends_the_other_branches() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + service_task("slow")
        + '<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "fork", "stop")
        + chain("fork", "slow", "end", prefix="g")
    )
    driver = Driver(definition)
    assert driver.status == "completed"
    assert driver.jobs == {}
    assert [e.element_id for e in driver.history("element.terminated")] == ["slow"]


def _event_sub_process(start: str, interrupting: bool = True) -> str:
    flag = "" if interrupting else ' isInterrupting="false"'
    return (
        '<bpmn:subProcess id="esp" triggeredByEvent="true">'
        f'<bpmn:startEvent id="esp_start"{flag}>{start}</bpmn:startEvent>'
        + service_task("handle", "handle")
        + '<bpmn:endEvent id="esp_end"/>'
        + chain("esp_start", "handle", "esp_end", prefix="e")
        + "</bpmn:subProcess>"
    )


def _with_event_sub_process(start: str, interrupting: bool = True, extra: str = "") -> Driver:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("main")
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "main", "end")
        + _event_sub_process(start, interrupting),
        extra=extra,
    )
    return Driver(definition, {"orderId": "o-1"})


def test_interrupting_message_event_sub_process_replaces_the_main_flow() -> None:
    driver = _with_event_sub_process(
        '<bpmn:messageEventDefinition messageRef="m"/>', extra=message("m", "cancel", "=orderId")
    )
    assert driver.subscription("esp_start").correlation_key == "o-1"
    driver.correlate("esp_start", {"reason": "x"})
    assert driver.waiting == ["handle"]
    assert driver.jobs.keys() == {driver.job("handle").job_key}
    driver.complete_job("handle")
    assert driver.status == "completed"
    assert driver.variables["reason"] == "x"


def test_non_interrupting_timer_event_sub_process_runs_beside_the_main_flow() -> None:
    driver = _with_event_sub_process(_timer("cycle", "R/PT1H"), interrupting=False)
    driver.fire("esp_start")
    assert driver.waiting == ["handle", "main"]
    # The cycle goes on while the scope lives.
    assert driver.timer("esp_start").due == NOW + dt.timedelta(hours=2)
    driver.complete_job("handle")
    driver.complete_job("main")
    assert driver.status == "completed"
    assert driver.timers == {}
    assert any(isinstance(e, CancelTimer) for e in driver.effects)


def test_error_event_sub_process_catches_a_job_error() -> None:
    driver = _with_event_sub_process(
        '<bpmn:errorEventDefinition errorRef="err"/>', extra=_errors("E_MAIN")
    )
    driver.throw_error("main", "E_MAIN", {"detail": 1})
    assert driver.waiting == ["handle"]
    driver.complete_job("handle")
    assert driver.status == "completed"
    assert driver.variables["detail"] == 1
    assert "end" not in driver.path()


def test_timer_schedules_use_the_instance_keys() -> None:
    driver = _linear(_catch("pause", _timer("duration", "PT1S")), ids=("pause",))
    [scheduled] = driver.last(ScheduleTimer)
    assert scheduled.element_instance_key in {w.element_instance_key for w in driver.state.waiting}


def test_non_interrupting_message_boundary_can_fire_more_than_once() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("work")
        + _boundary(
            "note", "work", '<bpmn:messageEventDefinition messageRef="m"/>', interrupting=False
        )
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="noted"/>'
        + chain("start", "work", "end")
        + chain("note", "noted", prefix="b"),
        extra=message("m", "note", "=orderId"),
    )
    driver = Driver(definition, {"orderId": 1})
    driver.correlate("note", {"n": 1})
    driver.correlate("note", {"n": 2})
    assert driver.path().count("noted") == 2
    assert driver.variables["n"] == 2
    assert driver.waiting == ["work"]
    sub = driver.subscription("note")
    driver.complete_job("work")
    assert driver.status == "completed"
    assert CloseSubscription(sub.subscription_key) in driver.effects


def test_timer_boundary_on_user_task_cancels_the_task() -> None:
    from stead.engine.effects import CancelUserTask

    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask/>'
        "</bpmn:extensionElements></bpmn:userTask>"
        + _boundary("expire", "review", _timer("duration", "P1D"))
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="expired"/>'
        + chain("start", "review", "end")
        + chain("expire", "expired", prefix="b")
    )
    driver = Driver(definition)
    task = driver.task("review")
    assert driver.timer("expire").due == NOW + dt.timedelta(days=1)
    driver.fire("expire")
    assert CancelUserTask(task.task_key) in driver.effects
    assert driver.status == "completed"


def test_interrupting_event_sub_process_keeps_the_boundary_events_of_its_scope() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:subProcess id="sub">'
        '<bpmn:startEvent id="s_start"/>'
        + service_task("main")
        + '<bpmn:endEvent id="s_end"/>'
        + chain("s_start", "main", "s_end", prefix="sf")
        + _event_sub_process('<bpmn:messageEventDefinition messageRef="m"/>')
        + "</bpmn:subProcess>"
        + _boundary("deadline", "sub", _timer("duration", "PT5H"))
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="late"/>'
        + chain("start", "sub", "end")
        + chain("deadline", "late", prefix="b"),
        extra=message("m", "cancel", "=orderId"),
    )
    driver = Driver(definition, {"orderId": "o-2"})
    driver.correlate("esp_start")
    assert driver.waiting == ["handle"]
    assert driver.timer("deadline").due == NOW + dt.timedelta(hours=5)
    driver.complete_job("handle")
    assert driver.status == "completed"
    assert driver.path()[-3:] == ["sub", "end", "p"]
