"""Nested scopes: which catch event wins, terminate ends inside sub-processes, multi-instance
call activities, and cancelling everything an instance opened."""

from __future__ import annotations

from engine_harness import Driver, bpmn, chain, message, service_task

from stead.engine.commands import CancelInstance, ChildInstanceCompleted
from stead.engine.effects import CancelTimer, CloseSubscription, StartChildInstance


def _error_boundary(event_id: str, attached: str, error_ref: str | None) -> str:
    ref = f' errorRef="{error_ref}"' if error_ref else ""
    return (
        f'<bpmn:boundaryEvent id="{event_id}" attachedToRef="{attached}">'
        f"<bpmn:errorEventDefinition{ref}/></bpmn:boundaryEvent>"
    )


def _nested(inner_catch: str | None, outer_catch: str | None) -> Driver:
    inner_boundary = _error_boundary("inner_caught", "inner", inner_catch) if inner_catch else ""
    inner_flows = chain("inner_caught", "inner_handled", prefix="ib") if inner_catch else ""
    inner_end = '<bpmn:endEvent id="inner_handled"/>' if inner_catch else ""
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:subProcess id="outer">'
        '<bpmn:startEvent id="o_start"/><bpmn:subProcess id="inner">'
        '<bpmn:startEvent id="i_start"/>'
        + service_task("work")
        + '<bpmn:endEvent id="i_end"/>'
        + chain("i_start", "work", "i_end", prefix="if")
        + "</bpmn:subProcess>"
        + inner_boundary
        + inner_end
        + '<bpmn:endEvent id="o_end"/>'
        + chain("o_start", "inner", "o_end", prefix="of")
        + inner_flows
        + "</bpmn:subProcess>"
        + _error_boundary("outer_caught", "outer", outer_catch)
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="outer_handled"/>'
        + chain("start", "outer", "end")
        + chain("outer_caught", "outer_handled", prefix="ob"),
        extra='<bpmn:error id="e1" errorCode="E1"/><bpmn:error id="e2" errorCode="E2"/>',
    )
    return Driver(definition)


def test_the_innermost_matching_boundary_catches_the_error() -> None:
    driver = _nested(inner_catch="e1", outer_catch="e1")
    driver.throw_error("work", "E1")
    assert driver.status == "completed"
    assert "inner_handled" in driver.path()
    assert "outer_handled" not in driver.path()
    assert driver.path()[-3:] == ["outer", "end", "p"]


def test_an_error_the_inner_scope_does_not_catch_goes_up() -> None:
    driver = _nested(inner_catch="e2", outer_catch="e1")
    driver.throw_error("work", "E1")
    assert driver.path()[-2:] == ["outer_handled", "p"]
    terminated = [e.element_id for e in driver.history("element.terminated")]
    assert terminated == ["work", "inner", "outer"]


def test_a_catch_all_boundary_catches_any_code() -> None:
    driver = _nested(inner_catch=None, outer_catch=None)
    driver.throw_error("work", "WHATEVER")
    assert driver.path()[-2:] == ["outer_handled", "p"]


def test_terminate_end_event_in_a_sub_process_ends_only_that_sub_process() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        '<bpmn:subProcess id="sub"><bpmn:startEvent id="s_start"/>'
        '<bpmn:parallelGateway id="s_fork"/>'
        + service_task("inside")
        + '<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + '<bpmn:endEvent id="s_end"/>'
        + chain("s_start", "s_fork", "stop", prefix="sf")
        + chain("s_fork", "inside", "s_end", prefix="sg")
        + "</bpmn:subProcess>"
        + service_task("outside")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>'
        + chain("start", "fork", "sub", "join", "end")
        + chain("fork", "outside", "join", prefix="g")
    )
    driver = Driver(definition)
    assert driver.waiting == ["outside"]
    assert "sub" in driver.path()
    assert [e.element_id for e in driver.history("element.terminated")] == ["inside"]
    driver.complete_job("outside")
    assert driver.status == "completed"


def test_multi_instance_call_activity_starts_one_child_per_item() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:callActivity id="call"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="ship"/></bpmn:extensionElements>'
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="=parcels" inputElement="parcel"'
        ' outputCollection="labels" outputElement="=label"/>'
        "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:callActivity>"
        '<bpmn:endEvent id="end"/>' + chain("start", "call", "end")
    )
    driver = Driver(definition, {"parcels": ["p1", "p2"]})
    starts = driver.last(StartChildInstance)
    assert [s.variables["parcel"] for s in starts] == ["p1", "p2"]
    for start in reversed(starts):
        label = "L-" + start.variables["parcel"]
        driver.apply(ChildInstanceCompleted(start.element_instance_key, {"label": label}))
    assert driver.status == "completed"
    assert driver.variables["labels"] == ["L-p1", "L-p2"]


def test_cancel_closes_every_timer_and_subscription() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + service_task("work")
        + '<bpmn:boundaryEvent id="late" attachedToRef="work"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
        '<bpmn:boundaryEvent id="stop" attachedToRef="work">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="end"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>'
        + chain("start", "work", "end")
        + chain("late", "a", prefix="x")
        + chain("stop", "b", prefix="y"),
        extra=message("m", "stop", "=id"),
    )
    driver = Driver(definition, {"id": "1"})
    timer = driver.timer("late")
    sub = driver.subscription("stop")
    driver.apply(CancelInstance())
    assert CancelTimer(timer.timer_key) in driver.effects
    assert CloseSubscription(sub.subscription_key) in driver.effects
    assert driver.timers == {}
    assert driver.subscriptions == {}
    assert driver.jobs == {}
    assert driver.status == "terminated"
