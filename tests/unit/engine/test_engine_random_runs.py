"""Random sequences of commands against a model with most element kinds: the engine never
fails, never leaks a job, task, timer or subscription, and replays identically."""

from __future__ import annotations

from typing import Any

from engine_harness import NOW, Driver, bpmn, chain, flow, message, service_task
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stead.engine import apply_command, start_instance
from stead.engine.commands import CancelInstance, CompleteJob, SetVariables, ThrowError

MODEL = bpmn(
    '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
    # Branch 1: a job guarded by a timer and an error boundary.
    + service_task("charge", "payment")
    + '<bpmn:boundaryEvent id="slow" attachedToRef="charge" cancelActivity="false">'
    "<bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle>"
    "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    '<bpmn:boundaryEvent id="declined" attachedToRef="charge">'
    '<bpmn:errorEventDefinition errorRef="e"/></bpmn:boundaryEvent>'
    '<bpmn:endEvent id="reminded"/><bpmn:endEvent id="refused"/>'
    # Branch 2: a user task, then a decision that may loop back.
    '<bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask/>'
    "</bpmn:extensionElements></bpmn:userTask>"
    '<bpmn:exclusiveGateway id="ok" default="accept"/>'
    # Branch 3: a parallel multi-instance job per item inside a sub-process with a message.
    '<bpmn:subProcess id="pack"><bpmn:startEvent id="p_start"/>'
    '<bpmn:serviceTask id="item"><bpmn:extensionElements><zeebe:taskDefinition type="pack"/>'
    "</bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
    '<zeebe:loopCharacteristics inputCollection="=items" inputElement="it"/>'
    "</bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>"
    '<bpmn:intermediateCatchEvent id="picked"><bpmn:messageEventDefinition messageRef="m"/>'
    '</bpmn:intermediateCatchEvent><bpmn:endEvent id="p_end"/>'
    + chain("p_start", "item", "picked", "p_end", prefix="pf")
    + "</bpmn:subProcess>"
    + '<bpmn:inclusiveGateway id="join_all"/><bpmn:endEvent id="end"/>'
    + chain("start", "fork", "charge", "join_all")
    + chain("slow", "reminded", prefix="s")
    + chain("declined", "refused", prefix="d")
    + chain("fork", "review", "ok", prefix="r")
    + flow("again", "ok", "review", "=redo = true")
    + flow("accept", "ok", "join_all")
    + chain("fork", "pack", "join_all", prefix="k")
    + flow("done", "join_all", "end"),
    extra=message("m", "picked", "=orderId") + '<bpmn:error id="e" errorCode="DECLINED"/>',
)


def _actions(driver: Driver) -> list[tuple[str, Any]]:
    actions: list[tuple[str, Any]] = []
    actions += [("job", j) for j in sorted(driver.jobs)]
    actions += [("task", t) for t in sorted(driver.tasks)]
    actions += [("timer", t) for t in sorted(driver.timers)]
    actions += [("message", s) for s in sorted(driver.subscriptions)]
    actions += [("resolve", i) for i in sorted(driver.incidents)]
    actions += [("redo", True), ("redo", False), ("redo", "maybe"), ("cancel", None)]
    return actions


def _act(driver: Driver, kind: str, target: Any, flip: bool) -> None:
    if kind == "job":
        job = driver.jobs[target]
        del driver.jobs[target]
        if flip and job.element_id == "charge":
            driver.apply(ThrowError(target, "DECLINED"))
        else:
            # Inner multi-instance jobs share their element id: complete this very job.
            driver.apply(CompleteJob(target, {}))
    elif kind == "task":
        driver.complete_task(driver.tasks[target].element_id, {"redo": True} if flip else {})
    elif kind == "timer":
        driver.fire(driver.timers[target].element_id)
    elif kind == "message":
        driver.correlate(driver.subscriptions[target].element_id, {"picked": True})
    elif kind == "resolve":
        driver.resolve()
    elif kind == "redo":
        driver.apply(SetVariables({"redo": target}))
    else:
        driver.apply(CancelInstance())


def _check_bookkeeping(driver: Driver) -> None:
    state = driver.state
    assert set(driver.jobs) == set(state.jobs)
    assert set(driver.tasks) == set(state.tasks)
    assert set(driver.timers) == set(state.timers)
    assert set(driver.subscriptions) == set(state.subscriptions)
    assert set(driver.incidents) == set(state.incidents)
    if driver.status != "active":
        assert driver.jobs == {}
        assert driver.tasks == {}
        assert driver.timers == {}
        assert driver.subscriptions == {}
        assert driver.incidents == {}
        assert state.waiting == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_command_sequences_keep_the_instance_consistent(data: st.DataObject) -> None:
    items = data.draw(st.lists(st.integers(0, 9), max_size=3))
    driver = Driver(MODEL, {"items": items, "orderId": "o-1", "redo": False})
    for _ in range(data.draw(st.integers(0, 25))):
        if driver.status != "active":
            break
        kind, target = data.draw(st.sampled_from(_actions(driver)))
        _act(driver, kind, target, data.draw(st.booleans()))
        _check_bookkeeping(driver)

    replayed = start_instance(
        MODEL, variables={"items": items, "orderId": "o-1", "redo": False}, now=NOW
    )
    state, effects = replayed.state, list(replayed.effects)
    for command, now in driver.commands:
        step = apply_command(MODEL, state, command, now=now)
        state, effects = step.state, effects + list(step.effects)
    assert effects == driver.all_effects
    assert state.to_json() == driver.state.to_json()
