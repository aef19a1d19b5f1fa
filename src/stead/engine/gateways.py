"""Gateways: choosing outgoing flows (exclusive, inclusive, parallel) and racing events.

Joins happen before a gateway is activated (``Run.take_flows`` collects the arriving tokens);
here a gateway only decides where its token goes next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stead.engine.entry import open_plans, plan_events
from stead.engine.expressions import StepFailed, evaluate_boolean
from stead.engine.state import ElementInstance
from stead.engine.variables import visible_variables
from stead.model.graph import Element, ElementType

if TYPE_CHECKING:
    from stead.engine.run import Run

__all__ = ["activate_gateway"]


def activate_gateway(run: Run, inst: ElementInstance, element: Element) -> None:
    kind = element.type
    if kind is ElementType.EVENT_BASED_GATEWAY:
        targets = [run.flows[flow_id].target_id for flow_id in element.outgoing]
        plans = plan_events(run, inst, targets)
        run.activated(inst)
        open_plans(run, inst, plans)
        inst.wait = "event"
        return
    if kind is ElementType.PARALLEL_GATEWAY or not element.outgoing:
        run.activated(inst)
        run.complete(inst)
        return
    chosen = _choose_flows(run, inst, element, first_only=kind is ElementType.EXCLUSIVE_GATEWAY)
    run.activated(inst, {"taken": chosen})
    inst.take = chosen
    run.complete(inst)


def _choose_flows(
    run: Run, inst: ElementInstance, element: Element, *, first_only: bool
) -> list[str]:
    context = visible_variables(run.state, inst)
    chosen: list[str] = []
    for flow_id in element.outgoing:
        if flow_id == element.default_flow:
            continue
        condition = run.flows[flow_id].condition
        if condition is None or evaluate_boolean(
            condition, context, element.id, f"condition of sequence flow '{flow_id}'"
        ):
            chosen.append(flow_id)
            if first_only:
                break
    if chosen:
        return chosen
    if element.default_flow is not None:
        return [element.default_flow]
    raise StepFailed(
        "condition",
        f"Gateway '{element.id}': no condition of its outgoing sequence flows is true and it "
        "has no default flow",
    )
