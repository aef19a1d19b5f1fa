"""Steps every activation shares: input mappings and the events an instance opens on entry.

Every activation first evaluates everything that can fail (input mappings, the timers and
correlation keys of boundary events and event sub-processes, the element's own expressions)
and only then emits effects, so a failed activation leaves nothing half-open behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stead.engine.effects import OpenSubscription, ScheduleTimer
from stead.engine.expressions import evaluate_correlation_key, evaluate_json, evaluate_string
from stead.engine.state import ElementInstance, SubscriptionRecord, TimerRecord
from stead.engine.timer_due import plan_timer
from stead.engine.variables import Layered, assign_path, set_local, split_target, visible_variables
from stead.model.graph import Element, ElementType, EventType

if TYPE_CHECKING:
    from stead.engine.run import Run

__all__ = [
    "EventPlan",
    "apply_input_mappings",
    "event_sub_process_starts",
    "hosts_boundary_events",
    "input_data",
    "open_plans",
    "plan_events",
]

JsonObject = dict[str, Any]
# ("timer", element_id, TimerPlan) or ("message", element_id, name, correlation key, interrupting)
EventPlan = tuple[Any, ...]


def apply_input_mappings(run: Run, inst: ElementInstance, element: Element) -> JsonObject | None:
    """Evaluate the input mappings into local variables of ``inst``; returns them."""
    if not element.input_mappings:
        return None
    outer = visible_variables(run.state, inst)
    produced: JsonObject = {}
    for mapping in element.input_mappings:
        context = Layered(produced, outer) if produced else outer
        value = evaluate_json(
            mapping.source, context, element.id, f"input mapping '{mapping.target}'"
        )
        name, path = split_target(mapping.target)
        produced[name] = assign_path(produced.get(name), path, value) if path else value
    for name, value in produced.items():
        set_local(inst, name, value)
    return produced


def hosts_boundary_events(inst: ElementInstance, element: Element) -> bool:
    """Boundary events attach to the multi-instance body, not to the inner instances."""
    return bool(element.boundary_events) and (element.multi_instance is None or inst.body)


def plan_events(
    run: Run, inst: ElementInstance, event_ids: tuple[str, ...] | list[str]
) -> list[EventPlan]:
    """Evaluate the timers and message subscriptions of the catch events ``event_ids`` (in the
    context of ``inst``, which will own them)."""
    plans: list[EventPlan] = []
    context = visible_variables(run.state, inst)
    for event_id in event_ids:
        event = run.elements[event_id]
        if event.timer is not None:
            repeating = (
                not event.interrupting and event.type is not ElementType.INTERMEDIATE_CATCH_EVENT
            )
            plans.append(
                (
                    "timer",
                    event_id,
                    plan_timer(event.timer, context, event_id, run.now, repeating=repeating),
                )
            )
        elif event.message is not None:
            name = evaluate_string(event.message.name, context, event_id, "message name")
            key = evaluate_correlation_key(event.message.correlation_key, context, event_id)
            plans.append(("message", event_id, name, key, event.interrupting))
    return plans


def open_plans(run: Run, owner: ElementInstance, plans: list[EventPlan]) -> None:
    state = run.state
    for plan in plans:
        key = state.new_key()
        if owner.owned is None:
            owner.owned = [key]
        else:
            owner.owned.append(key)
        if plan[0] == "timer":
            timer = plan[2]
            state.timers[key] = TimerRecord(
                key, owner.key, plan[1], timer.due, timer.cycle, timer.remaining
            )
            run.emit(ScheduleTimer(key, owner.key, plan[1], timer.due))
        else:
            state.subscriptions[key] = SubscriptionRecord(key, owner.key, plan[1], plan[2], plan[3])
            run.emit(OpenSubscription(key, owner.key, plan[1], plan[2], plan[3], plan[4]))


def event_sub_process_starts(run: Run, scope_id: str) -> list[str]:
    """The start events of the timer and message event sub-processes of a scope."""
    starts: list[str] = []
    scopes = run.definition.scopes
    for sub_id in scopes[scope_id].event_sub_processes:
        for start_id in scopes[sub_id].start_events:
            if run.elements[start_id].event_type in (EventType.TIMER, EventType.MESSAGE):
                starts.append(start_id)
    return starts


def input_data(produced: JsonObject | None) -> JsonObject | None:
    """History data for an activation: the input that crossed the element's boundary."""
    return {"input": produced} if produced else None
