"""Checks over a linked process graph: start events per scope, gateway rules, boundary and
event sub-process shapes."""

from __future__ import annotations

from collections import Counter

from stead.model.context import ReadContext
from stead.model.graph import Element, ElementType, EventType
from stead.model.link import LinkedGraph
from stead.model.nodes import GraphDraft

__all__ = ["check_graph"]

_CONDITIONAL_GATEWAYS = frozenset({ElementType.EXCLUSIVE_GATEWAY, ElementType.INCLUSIVE_GATEWAY})


def check_graph(ctx: ReadContext, draft: GraphDraft, graph: LinkedGraph) -> None:
    """Records a problem for every rule ``graph`` breaks."""
    _check_process_starts(ctx, draft.process_id, graph)
    for scope_id in graph.scopes:
        if scope_id != draft.process_id:
            _check_sub_process(ctx, graph, graph.elements[scope_id])
    for element in graph.elements.values():
        _check_flow_ends(ctx, element)
        if element.type in _CONDITIONAL_GATEWAYS:
            _check_conditional_gateway(ctx, draft, graph, element)
        elif element.type is ElementType.EVENT_BASED_GATEWAY:
            _check_event_based_gateway(ctx, graph, element)
        if element.boundary_events:
            _check_error_boundaries(ctx, graph, element)
    for flow in graph.flows.values():
        source = graph.elements[flow.source_id]
        if flow.id in draft.conditioned_flows and source.type not in _CONDITIONAL_GATEWAYS:
            ctx.problem(
                flow.id,
                "a condition is only allowed on a flow leaving an exclusive or inclusive gateway",
            )


def _check_process_starts(ctx: ReadContext, process_id: str, graph: LinkedGraph) -> None:
    starts = [graph.elements[i] for i in graph.scopes[process_id].start_events]
    none_starts = [start for start in starts if start.event_type is EventType.NONE]
    if len(none_starts) > 1:
        ids = ", ".join(start.id for start in none_starts)
        ctx.problem(process_id, f"the process has more than one none start event ({ids})")
    if not starts:
        ctx.problem(process_id, "the process has no start event (none, message or timer)")
    names = Counter(
        start.message.name.source
        for start in starts
        if start.event_type is EventType.MESSAGE and start.message is not None
    )
    for name, count in names.items():
        if count > 1:
            ctx.problem(process_id, f"{count} message start events wait for message {name!r}")


def _check_sub_process(ctx: ReadContext, graph: LinkedGraph, sub_process: Element) -> None:
    starts = graph.scopes[sub_process.id].start_events
    if sub_process.triggered_by_event:
        if sub_process.incoming or sub_process.outgoing:
            ctx.problem(sub_process.id, "an event sub-process cannot have sequence flows")
        if sub_process.boundary_events:
            ctx.problem(sub_process.id, "an event sub-process cannot have boundary events")
        if len(starts) != 1:
            ctx.problem(
                sub_process.id,
                "an event sub-process needs exactly one (message, timer or "
                f"error) start event, it has {len(starts)}",
            )
        return
    if len(starts) != 1:
        ctx.problem(
            sub_process.id,
            f"a sub-process needs exactly one none start event, it has {len(starts)} start events",
        )


def _check_flow_ends(ctx: ReadContext, element: Element) -> None:
    if element.type is ElementType.START_EVENT and element.incoming:
        ctx.problem(element.id, "a start event cannot have incoming sequence flows")
    elif element.type is ElementType.END_EVENT and element.outgoing:
        ctx.problem(element.id, "an end event cannot have outgoing sequence flows")
    elif element.type is ElementType.BOUNDARY_EVENT:
        if element.incoming:
            ctx.problem(element.id, "a boundary event cannot have incoming sequence flows")
        if not element.outgoing:
            ctx.problem(element.id, "a boundary event needs an outgoing sequence flow")


def _check_conditional_gateway(
    ctx: ReadContext, draft: GraphDraft, graph: LinkedGraph, gateway: Element
) -> None:
    default = gateway.default_flow
    if default is not None:
        if default not in gateway.outgoing:
            ctx.problem(
                gateway.id, f"the default flow {default!r} is not an outgoing flow of the gateway"
            )
        elif default in draft.conditioned_flows:
            ctx.problem(gateway.id, f"the default flow {default!r} must not have a condition")
    if len(gateway.outgoing) < 2:
        return
    for flow_id in gateway.outgoing:
        if flow_id != default and flow_id not in draft.conditioned_flows:
            ctx.problem(
                flow_id,
                f"the flow leaves {gateway.type.value} {gateway.id!r} without a condition; "
                "give it a condition or make it the gateway's default flow",
            )


def _check_event_based_gateway(ctx: ReadContext, graph: LinkedGraph, gateway: Element) -> None:
    if len(gateway.outgoing) < 2:
        ctx.problem(gateway.id, "an event-based gateway needs at least two outgoing flows")
    for flow_id in gateway.outgoing:
        target = graph.elements[graph.flows[flow_id].target_id]
        waits = target.type is ElementType.RECEIVE_TASK or (
            target.type is ElementType.INTERMEDIATE_CATCH_EVENT
            and target.event_type in (EventType.MESSAGE, EventType.TIMER)
        )
        if not waits:
            ctx.problem(
                gateway.id,
                f"the event-based gateway leads to {target.id!r}, a {target.type.value}; "
                "it may only lead to message or timer catch events and receive tasks",
            )
        elif len(target.incoming) > 1:
            ctx.problem(
                target.id, "an event after an event-based gateway cannot have other incoming flows"
            )


def _check_error_boundaries(ctx: ReadContext, graph: LinkedGraph, activity: Element) -> None:
    codes: Counter[str | None] = Counter()
    for boundary_id in activity.boundary_events:
        boundary = graph.elements[boundary_id]
        if boundary.event_type is EventType.ERROR and boundary.error is not None:
            caught = boundary.error.error_code
            codes[None if caught is None else caught.source] += 1
    for code, count in codes.items():
        if count > 1:
            what = "every error" if code is None else f"error {code!r}"
            ctx.problem(activity.id, f"{count} boundary events catch {what}")
