"""Linking a draft graph: incoming and outgoing flows, boundary attachments and scopes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from stead.model.context import ReadContext
from stead.model.graph import Element, ElementType, EventType, Scope, SequenceFlow
from stead.model.nodes import GraphDraft

__all__ = ["ACTIVITIES", "LinkedGraph", "link_draft"]

# Elements boundary events may be attached to.
ACTIVITIES = frozenset(
    {
        ElementType.SERVICE_TASK,
        ElementType.SEND_TASK,
        ElementType.USER_TASK,
        ElementType.SCRIPT_TASK,
        ElementType.RECEIVE_TASK,
        ElementType.MANUAL_TASK,
        ElementType.TASK,
        ElementType.CALL_ACTIVITY,
        ElementType.SUB_PROCESS,
    }
)


@dataclass(frozen=True, slots=True)
class LinkedGraph:
    """The elements with their flows and attachments filled in, plus the scopes."""

    elements: dict[str, Element]
    flows: dict[str, SequenceFlow]
    scopes: dict[str, Scope]


def link_draft(ctx: ReadContext, draft: GraphDraft) -> LinkedGraph:
    """Links ``draft``; flows and attachments that point nowhere or across scopes are problems
    and are left out."""
    elements = draft.elements
    incoming: dict[str, list[str]] = {element_id: [] for element_id in elements}
    outgoing: dict[str, list[str]] = {element_id: [] for element_id in elements}
    flows: dict[str, SequenceFlow] = {}
    for flow in draft.flows.values():
        if _flow_is_sound(ctx, draft, flow):
            flows[flow.id] = flow
            outgoing[flow.source_id].append(flow.id)
            incoming[flow.target_id].append(flow.id)

    attached: dict[str, list[str]] = {element_id: [] for element_id in elements}
    for element in elements.values():
        if (
            element.type is ElementType.BOUNDARY_EVENT
            and element.attached_to is not None
            and _attachment_is_sound(ctx, draft, element)
        ):
            attached[element.attached_to].append(element.id)

    linked = {
        element_id: replace(
            element,
            incoming=tuple(incoming[element_id]),
            outgoing=tuple(outgoing[element_id]),
            boundary_events=tuple(attached[element_id]),
        )
        for element_id, element in elements.items()
    }
    scopes = {
        scope_id: _scope(scope_id, members, linked)
        for scope_id, members in draft.scope_members.items()
    }
    return LinkedGraph(linked, flows, scopes)


def _flow_is_sound(ctx: ReadContext, draft: GraphDraft, flow: SequenceFlow) -> bool:
    sound = True
    for role, element_id in (("source", flow.source_id), ("target", flow.target_id)):
        if element_id in draft.refused:
            sound = False  # the refused element was reported; its flows add nothing
        elif element_id not in draft.elements:
            ctx.problem(flow.id, f"the sequence flow's {role} {element_id!r} does not exist")
            sound = False
    if not sound:
        return False
    scope = draft.flow_scopes[flow.id]
    for element_id in (flow.source_id, flow.target_id):
        if draft.elements[element_id].parent_id != scope:
            ctx.problem(
                flow.id,
                f"the sequence flow connects {element_id!r}, which is not in the same "
                f"process or sub-process as the flow",
            )
            sound = False
    return sound


def _attachment_is_sound(ctx: ReadContext, draft: GraphDraft, boundary: Element) -> bool:
    host_id = boundary.attached_to
    host = draft.elements.get(host_id or "")
    if host is None and host_id in draft.refused:
        return False
    if host is None:
        ctx.problem(
            boundary.id, f"the boundary event is attached to {host_id!r}, which does not exist"
        )
        return False
    if host.type not in ACTIVITIES or host.triggered_by_event:
        ctx.problem(
            boundary.id,
            f"the boundary event is attached to {host.id!r}, a {host.type.value}; "
            "boundary events belong on activities",
        )
        return False
    if host.parent_id != boundary.parent_id:
        ctx.problem(boundary.id, f"the boundary event and {host.id!r} are in different scopes")
        return False
    return True


def _scope(scope_id: str, members: list[str], elements: dict[str, Element]) -> Scope:
    starts = tuple(
        element_id
        for element_id in members
        if element_id in elements and elements[element_id].type is ElementType.START_EVENT
    )
    none_start = next(
        (element_id for element_id in starts if elements[element_id].event_type is EventType.NONE),
        None,
    )
    event_sub_processes = tuple(
        element_id
        for element_id in members
        if element_id in elements and elements[element_id].triggered_by_event
    )
    return Scope(
        id=scope_id,
        none_start_event=none_start,
        start_events=starts,
        event_sub_processes=event_sub_processes,
        elements=tuple(element_id for element_id in members if element_id in elements),
    )
