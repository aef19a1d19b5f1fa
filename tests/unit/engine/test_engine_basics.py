"""The engine's contract: straight-through runs, purity, rejections, history, replay."""

from __future__ import annotations

import pytest
from engine_harness import NOW, Driver, bpmn, chain, roundtrip, script_task, service_task

from stead.engine import CommandRejected, InstanceState, apply_command, start_instance
from stead.engine.commands import (
    CancelInstance,
    CompleteJob,
    CompleteUserTask,
    FireTimer,
    ResolveIncident,
    SetVariables,
)
from stead.engine.effects import (
    CancelJob,
    CreateJob,
    HistoryEvent,
    InstanceCompleted,
    InstanceTerminated,
)

TEN_SCRIPTS = bpmn(
    '<bpmn:startEvent id="start"/>'
    + "".join(script_task(f"s{i}", "=x + 1", "x") for i in range(10))
    + '<bpmn:endEvent id="end"/>'
    + chain("start", *(f"s{i}" for i in range(10)), "end")
)

ONE_JOB = bpmn(
    '<bpmn:startEvent id="start"/>'
    + service_task("charge", "payment")
    + '<bpmn:endEvent id="end"/>'
    + chain("start", "charge", "end")
)


def test_straight_through_instance_completes_in_one_step() -> None:
    step = start_instance(TEN_SCRIPTS, variables={"x": 0}, now=NOW)
    assert step.state.status == "completed"
    assert step.state.variables == {"x": 10}
    assert step.state.waiting == []
    assert step.effects[-1] == InstanceCompleted({"x": 10})


def test_history_records_each_element_with_its_output() -> None:
    step = start_instance(TEN_SCRIPTS, variables={"x": 0}, now=NOW)
    completed = [e for e in step.effects if isinstance(e, HistoryEvent)]
    completed = [e for e in completed if e.event == "element.completed"]
    assert [e.element_id for e in completed] == [
        "start",
        *(f"s{i}" for i in range(10)),
        "end",
        "p",
    ]
    assert completed[3].data == {"output": {"x": 3}}
    assert all(e.actor == "engine" for e in completed)


def test_instance_waits_at_a_service_task_and_completes_with_job_result() -> None:
    driver = Driver(ONE_JOB, {"amount": 30})
    assert driver.status == "active"
    assert driver.waiting == ["charge"]
    [waiting] = driver.state.waiting
    assert waiting.kind == "job"
    assert waiting.since == NOW
    job = driver.job("charge")
    assert job.job_type == "payment"
    assert job.variables == {"amount": 30}
    driver.complete_job("charge", {"receipt": "r-1"})
    assert driver.status == "completed"
    assert driver.variables == {"amount": 30, "receipt": "r-1"}
    [done] = driver.history("job.completed")
    assert done.actor == "worker"
    assert done.data["variables"] == {"receipt": "r-1"}


def test_apply_command_leaves_the_given_state_unchanged() -> None:
    step = start_instance(ONE_JOB, variables={"amount": 30}, now=NOW)
    before = step.state.to_json()
    [job] = [e for e in step.effects if isinstance(e, CreateJob)]
    after = apply_command(ONE_JOB, step.state, CompleteJob(job.job_key, {"r": 1}), now=NOW)
    assert step.state.to_json() == before
    assert after.state.status == "completed"


def test_state_survives_json_round_trip() -> None:
    step = start_instance(ONE_JOB, variables={"amount": 30, "nested": {"a": [1, 2]}}, now=NOW)
    again = roundtrip(step.state)
    assert again.to_json() == step.state.to_json()
    assert again.waiting == step.state.waiting


def test_unknown_state_format_is_refused() -> None:
    data = start_instance(ONE_JOB, variables={}, now=NOW).state.to_json()
    data["format"] = 99
    with pytest.raises(ValueError, match="format"):
        InstanceState.from_json(data)


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (CompleteJob(9999), "not-found"),
        (CompleteUserTask(9999), "not-found"),
        (FireTimer(9999), "not-found"),
        (ResolveIncident(9999), "not-found"),
        (SetVariables({"a": 1}, element_instance_key=9999), "not-found"),
        (CompleteJob(3, variables=[1, 2]), "invalid"),  # type: ignore[arg-type]
    ],
)
def test_commands_for_unknown_things_are_rejected(command: object, reason: str) -> None:
    step = start_instance(ONE_JOB, variables={}, now=NOW)
    with pytest.raises(CommandRejected) as caught:
        apply_command(ONE_JOB, step.state, command, now=NOW)  # type: ignore[arg-type]
    assert caught.value.reason == reason


def test_completing_a_job_twice_is_rejected() -> None:
    step = start_instance(ONE_JOB, variables={}, now=NOW)
    [job] = [e for e in step.effects if isinstance(e, CreateJob)]
    done = apply_command(ONE_JOB, step.state, CompleteJob(job.job_key), now=NOW)
    with pytest.raises(CommandRejected) as caught:
        apply_command(ONE_JOB, done.state, CompleteJob(job.job_key), now=NOW)
    assert caught.value.reason == "conflict"
    assert "completed" in str(caught.value)


def test_cancel_terminates_everything_and_cancels_the_job() -> None:
    driver = Driver(ONE_JOB)
    job = driver.job("charge")
    driver.apply(CancelInstance(actor="bob"))
    assert driver.status == "terminated"
    assert driver.waiting == []
    assert CancelJob(job.job_key) in driver.effects
    assert isinstance(driver.effects[-1], InstanceTerminated)
    terminated = driver.history("element.terminated")
    assert [e.element_id for e in terminated] == ["charge", "p"]
    assert {e.actor for e in terminated} == {"bob"}


def test_set_variables_changes_root_and_is_recorded() -> None:
    driver = Driver(ONE_JOB, {"a": 1})
    driver.apply(SetVariables({"a": 2, "b": 3}, actor="ops"))
    assert driver.variables == {"a": 2, "b": 3}
    [changed] = driver.history("variables.changed")
    assert changed.actor == "ops"


def test_replaying_recorded_commands_gives_identical_states_and_effects() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + service_task("a")
        + service_task("b")
        + '<bpmn:parallelGateway id="join"/>'
        + script_task("sum", "=ra + rb", "total")
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "fork", "a", "join", "sum", "end")
        + chain("fork", "b", "join", prefix="g")
    )
    driver = Driver(definition, {"n": 1})
    driver.complete_job("b", {"rb": 2})
    driver.complete_job("a", {"ra": 5})
    assert driver.variables["total"] == 7
    replay_effects = list(start_instance(definition, variables={"n": 1}, now=NOW).effects)
    state = start_instance(definition, variables={"n": 1}, now=NOW).state
    for command, now in driver.commands:
        step = apply_command(definition, state, command, now=now)
        state = step.state
        replay_effects.extend(step.effects)
    assert replay_effects == driver.all_effects
    assert state.to_json() == driver.state.to_json()


def test_start_at_unknown_start_event_is_rejected() -> None:
    with pytest.raises(CommandRejected) as caught:
        start_instance(ONE_JOB, variables={}, now=NOW, start_event_id="nope")
    assert caught.value.reason == "invalid"


def test_start_at_a_message_start_event() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:startEvent id="by_message"><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:startEvent>"
        + script_task("greet", "=&quot;hello &quot; + name", "greeting")
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "greet", "end")
        + chain("by_message", "greet", prefix="m"),
        extra='<bpmn:message id="m" name="signup"/>',
    )
    step = start_instance(
        definition,
        variables={"name": "ada"},
        now=NOW,
        start_event_id="by_message",
        trigger="message",
    )
    assert step.state.variables["greeting"] == "hello ada"
    completed = [
        e.element_id
        for e in step.effects
        if isinstance(e, HistoryEvent) and e.event == "element.completed"
    ]
    assert completed[0] == "by_message"


def test_message_for_another_name_is_rejected() -> None:
    from stead.engine.commands import CorrelateMessage
    from stead.engine.effects import OpenSubscription

    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:receiveTask id="r" messageRef="m"/>'
        '<bpmn:endEvent id="end"/>' + chain("start", "r", "end"),
        extra='<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=id"/></bpmn:extensionElements></bpmn:message>',
    )
    step = start_instance(definition, variables={"id": "1"}, now=NOW)
    [sub] = [e for e in step.effects if isinstance(e, OpenSubscription)]
    with pytest.raises(CommandRejected) as caught:
        apply_command(
            definition, step.state, CorrelateMessage(sub.subscription_key, "other"), now=NOW
        )
    assert caught.value.reason == "invalid"


def test_straight_through_instance_costs_well_under_a_millisecond() -> None:
    import time

    start_instance(TEN_SCRIPTS, variables={"x": 0}, now=NOW)  # warm caches
    runs = 200
    began = time.process_time()
    for _ in range(runs):
        start_instance(TEN_SCRIPTS, variables={"x": 0}, now=NOW)
    per_instance = (time.process_time() - began) / runs
    # The target is 0.5 ms on a quiet machine; the bound leaves room for a busy one.
    assert per_instance < 0.0015
