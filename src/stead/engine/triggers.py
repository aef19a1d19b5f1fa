"""Events that happen to a waiting instance: timers firing, messages arriving, errors thrown.

A timer or subscription is owned by the element instance that opened it and names the event
element it triggers: an intermediate catch event or receive task (owned by itself), an event
after an event-based gateway (owned by the gateway), a boundary event (owned by the activity)
or the start event of an event sub-process (owned by the enclosing scope).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stead.engine.effects import CloseSubscription, ScheduleTimer
from stead.engine.state import ElementInstance, TimerRecord
from stead.engine.timer_due import following_due
from stead.model.graph import Element, ElementType, EventType

if TYPE_CHECKING:
    from stead.engine.run import Run

__all__ = ["correlate_message", "fire_timer", "throw_error"]

JsonObject = dict[str, Any]


def fire_timer(run: Run, record: TimerRecord) -> None:
    state = run.state
    del state.timers[record.key]
    owner = state.instances[record.owner_key]
    assert owner.owned is not None
    owner.owned.remove(record.key)
    following = None
    if record.cycle is not None and record.remaining != 0:
        following = following_due(record.cycle, record.due, record.remaining, run.now)
    if following is not None:
        key = state.new_key()
        due, remaining = following
        state.timers[key] = TimerRecord(
            key, owner.key, record.element_id, due, record.cycle, remaining
        )
        owner.owned.append(key)
        run.emit(ScheduleTimer(key, owner.key, record.element_id, due))
    run.history("timer.fired", owner, {"timerKey": record.key, "eventId": record.element_id})
    _trigger(run, owner, run.elements[record.element_id], {})


def correlate_message(run: Run, subscription_key: int, variables: JsonObject) -> None:
    state = run.state
    record = state.subscriptions[subscription_key]
    owner = state.instances[record.owner_key]
    event = run.elements[record.element_id]
    keeps_open = not event.interrupting and event.type in (
        ElementType.BOUNDARY_EVENT,
        ElementType.START_EVENT,
    )
    if not keeps_open:
        del state.subscriptions[subscription_key]
        assert owner.owned is not None
        owner.owned.remove(subscription_key)
        run.emit(CloseSubscription(subscription_key))
    run.history(
        "message.correlated",
        owner,
        {"subscriptionKey": subscription_key, "eventId": event.id, "variables": variables},
    )
    _trigger(run, owner, event, variables)


def _trigger(run: Run, owner: ElementInstance, event: Element, variables: JsonObject) -> None:
    kind = event.type
    if kind is ElementType.BOUNDARY_EVENT:
        _trigger_boundary(run, owner, event, variables)
    elif kind is ElementType.START_EVENT:
        _trigger_event_sub_process(run, owner, event, variables)
    elif owner.element_id != event.id:
        _trigger_after_event_gateway(run, owner, event, variables)
    else:
        # An intermediate catch event or a receive task waiting for this very event.
        owner.wait = None
        if owner.owned:
            run.close_owned(owner)
        run.complete(owner, variables)


def _trigger_boundary(
    run: Run, activity: ElementInstance, event: Element, variables: JsonObject
) -> None:
    scope = run.state.instances[activity.parent_key]  # type: ignore[index]
    if event.interrupting:
        run.terminate(activity)
    inst = run.new_instance(event.id, scope)
    inst.triggered = variables
    run.queue_activation(inst)


def _trigger_event_sub_process(
    run: Run, scope: ElementInstance, start: Element, variables: JsonObject
) -> None:
    if start.interrupting:
        # The scope is interrupted: its tokens end and its other event sub-processes close.
        run.terminate_children(scope)
        run.close_event_sub_process_starts(scope)
    sub = run.new_instance(start.parent_id, scope)
    sub.triggered = {"startEvent": start.id, "variables": variables}
    run.queue_activation(sub)


def _trigger_after_event_gateway(
    run: Run, gateway: ElementInstance, event: Element, variables: JsonObject
) -> None:
    if gateway.owned:
        run.close_owned(gateway)
    gateway.wait = None
    flow_id = next(
        f for f in run.elements[gateway.element_id].outgoing if run.flows[f].target_id == event.id
    )
    gateway.take = [flow_id]
    scope = run.state.instances[gateway.parent_key]  # type: ignore[index]
    run.history("element.completed", gateway, {"output": {"event": event.id}})
    run.state.instances.pop(gateway.key)
    assert scope.children is not None
    scope.children.remove(gateway.key)
    inst = run.new_instance(event.id, scope)
    inst.triggered = variables
    run.queue_activation(inst)


# -- errors ------------------------------------------------------------------------------


def _matching_error_event(
    run: Run, event_ids: list[str] | tuple[str, ...], code: str
) -> str | None:
    """The event among ``event_ids`` catching ``code``: an exact match before a catch-all."""
    catch_all = None
    for event_id in event_ids:
        event = run.elements[event_id]
        if event.event_type is not EventType.ERROR:
            continue
        expected = event.error.error_code if event.error else None
        if expected is None or expected.source == "":
            catch_all = catch_all or event_id
        elif expected.source == code:
            return event_id
    return catch_all


def throw_error(
    run: Run, thrower: ElementInstance, code: str, message: str, variables: JsonObject
) -> bool:
    """Throw the BPMN error ``code`` from ``thrower``: the innermost error boundary event or
    error event sub-process up the scope chain catches it. Returns False when none does."""
    instances = run.state.instances
    scopes = run.definition.scopes
    inst = thrower
    while True:
        if inst.parent_key is not None:
            element = run.elements[inst.element_id]
            if element.boundary_events and (element.multi_instance is None or inst.body):
                caught = _matching_error_event(run, element.boundary_events, code)
                if caught is not None:
                    run.history(
                        "error.caught", inst, {"errorCode": code, "message": message, "by": caught}
                    )
                    _trigger_boundary(run, inst, run.elements[caught], variables)
                    return True
        parent_key = inst.parent_key
        if parent_key is None:
            return False
        parent = instances[parent_key]
        if not parent.body:
            scope_id = parent.element_id
            starts = [
                start_id
                for sub_id in scopes[scope_id].event_sub_processes
                if sub_id != inst.element_id
                for start_id in scopes[sub_id].start_events
            ]
            caught = _matching_error_event(run, starts, code)
            if caught is not None:
                run.history(
                    "error.caught", parent, {"errorCode": code, "message": message, "by": caught}
                )
                _trigger_event_sub_process(run, parent, run.elements[caught], variables)
                return True
        inst = parent
