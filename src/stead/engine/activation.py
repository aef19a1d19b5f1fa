"""Activating element instances: which element type does what when a token arrives.

Scopes (the process, sub-processes) open their event sub-processes and start their start
event; events and pass-through tasks complete at once; tasks and gateways live in their own
modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from stead.engine import gateways, multi_instance, tasks
from stead.engine.effects import ThrowUncaughtError
from stead.engine.entry import (
    apply_input_mappings,
    event_sub_process_starts,
    hosts_boundary_events,
    input_data,
    open_plans,
    plan_events,
)
from stead.engine.expressions import StepFailed, evaluate_string
from stead.engine.state import ElementInstance
from stead.engine.variables import visible_variables
from stead.model.graph import Element, ElementType, EventType

if TYPE_CHECKING:
    from stead.engine.run import Run

__all__ = ["activate"]

JsonObject = dict[str, Any]


def activate(run: Run, inst: ElementInstance) -> None:
    if inst.parent_key is None:
        _activate_process(run, inst)
        return
    element = run.elements[inst.element_id]
    if inst.body:
        multi_instance.activate_body(run, inst, element)
        return
    _HANDLERS[element.type](run, inst, element)


# -- scopes ------------------------------------------------------------------------------


def _activate_process(run: Run, root: ElementInstance) -> None:
    scope = run.definition.scopes[run.definition.process_id]
    plans = plan_events(run, root, event_sub_process_starts(run, scope.id))
    assert root.triggered is not None
    start_id = root.triggered["startEvent"]
    run.activated(root, {"input": dict(root.variables or {}), "trigger": root.triggered["trigger"]})
    open_plans(run, root, plans)
    root.children = []
    run.start_element(start_id, root)


def _activate_sub_process(run: Run, inst: ElementInstance, element: Element) -> None:
    produced = apply_input_mappings(run, inst, element)
    scopes = run.definition.scopes
    triggered = inst.triggered
    event_ids: list[str] = []
    if hosts_boundary_events(inst, element):
        event_ids.extend(element.boundary_events)
    event_ids.extend(event_sub_process_starts(run, element.id))
    plans = plan_events(run, inst, event_ids)
    if triggered is not None:
        start_id = triggered["startEvent"]
    else:
        start_id = scopes[element.id].none_start_event
        if start_id is None:
            raise StepFailed("invalid-model", f"Sub-process '{element.id}' has no none start event")
    run.activated(inst, input_data(produced))
    open_plans(run, inst, plans)
    inst.children = []
    start = run.start_element(start_id, inst)
    if triggered is not None:
        start.triggered = triggered.get("variables") or {}


# -- events ------------------------------------------------------------------------------


def _activate_start_event(run: Run, inst: ElementInstance, element: Element) -> None:
    run.activated(inst)
    run.complete(inst, inst.triggered)


def _activate_boundary_event(run: Run, inst: ElementInstance, element: Element) -> None:
    run.activated(inst)
    run.complete(inst, inst.triggered)


def _activate_end_event(run: Run, inst: ElementInstance, element: Element) -> None:
    from stead.engine import triggers

    produced = apply_input_mappings(run, inst, element)
    if element.task is not None:
        tasks.activate_job_element(run, inst, element, produced)
        return
    if element.event_type is EventType.ERROR:
        code_expression = element.error.error_code if element.error else None
        code = ""
        if code_expression is not None:
            context = visible_variables(run.state, inst)
            code = evaluate_string(code_expression, context, element.id, "error code")
        run.activated(inst, input_data(produced))
        if not triggers.throw_error(run, inst, code, "", {}):
            run.emit(ThrowUncaughtError(code, "", {}))
            raise StepFailed(
                "unhandled-error",
                f"Error end event '{element.id}' threw the error '{code}', and no error "
                "boundary event or error event sub-process catches it",
            )
        return
    run.activated(inst, input_data(produced))
    if element.event_type is EventType.TERMINATE:
        scope = run.state.instances[inst.parent_key]  # type: ignore[index]
        run.terminate_children(scope, keep=inst.key)
    run.complete(inst)


def _activate_intermediate_throw(run: Run, inst: ElementInstance, element: Element) -> None:
    produced = apply_input_mappings(run, inst, element)
    if element.task is not None:
        tasks.activate_job_element(run, inst, element, produced)
        return
    run.activated(inst, input_data(produced))
    run.complete(inst)


def _activate_intermediate_catch(run: Run, inst: ElementInstance, element: Element) -> None:
    produced = apply_input_mappings(run, inst, element)
    if inst.triggered is not None:
        # Chosen by an event-based gateway: the event already happened.
        run.activated(inst, input_data(produced))
        run.complete(inst, inst.triggered)
        return
    plans = plan_events(run, inst, [element.id])
    run.activated(inst, input_data(produced))
    open_plans(run, inst, plans)
    inst.wait = "timer" if element.event_type is EventType.TIMER else "message"


def _activate_pass_through(run: Run, inst: ElementInstance, element: Element) -> None:
    # Completes at once: boundary timers and subscriptions could never fire.
    produced = apply_input_mappings(run, inst, element)
    run.activated(inst, input_data(produced))
    run.complete(inst)


_Handler = Callable[["Run", ElementInstance, Element], None]

_HANDLERS: dict[ElementType, _Handler] = {
    ElementType.START_EVENT: _activate_start_event,
    ElementType.END_EVENT: _activate_end_event,
    ElementType.BOUNDARY_EVENT: _activate_boundary_event,
    ElementType.INTERMEDIATE_THROW_EVENT: _activate_intermediate_throw,
    ElementType.INTERMEDIATE_CATCH_EVENT: _activate_intermediate_catch,
    ElementType.SUB_PROCESS: _activate_sub_process,
    ElementType.MANUAL_TASK: _activate_pass_through,
    ElementType.TASK: _activate_pass_through,
    ElementType.SERVICE_TASK: tasks.activate_task,
    ElementType.SEND_TASK: tasks.activate_task,
    ElementType.BUSINESS_RULE_TASK: tasks.activate_task,
    ElementType.USER_TASK: tasks.activate_task,
    ElementType.SCRIPT_TASK: tasks.activate_task,
    ElementType.RECEIVE_TASK: tasks.activate_task,
    ElementType.CALL_ACTIVITY: tasks.activate_task,
    ElementType.EXCLUSIVE_GATEWAY: gateways.activate_gateway,
    ElementType.PARALLEL_GATEWAY: gateways.activate_gateway,
    ElementType.INCLUSIVE_GATEWAY: gateways.activate_gateway,
    ElementType.EVENT_BASED_GATEWAY: gateways.activate_gateway,
}
