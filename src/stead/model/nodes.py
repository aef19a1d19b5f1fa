"""Walking a process and its sub-processes: every flow node and sequence flow read into a draft
graph, and every BPMN construct Stead cannot execute refused by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stead.model.activities import read_multi_instance, read_task
from stead.model.context import ReadContext
from stead.model.events import EventPlace, read_event
from stead.model.extensions import read_extensions
from stead.model.graph import Element, ElementType, Expression, SequenceFlow
from stead.model.xmldoc import BPMN, XmlElement, local_name, namespace_of, qualified

__all__ = ["MAX_SUB_PROCESS_DEPTH", "GraphDraft", "read_scope"]

# Sub-processes nest this deep at most; deeper models are refused instead of exhausting the stack.
MAX_SUB_PROCESS_DEPTH = 50

_FLOW_NODES = {element_type.value: element_type for element_type in ElementType}

_TASKS = frozenset(
    {
        ElementType.SERVICE_TASK,
        ElementType.SEND_TASK,
        ElementType.USER_TASK,
        ElementType.SCRIPT_TASK,
        ElementType.RECEIVE_TASK,
        ElementType.MANUAL_TASK,
        ElementType.TASK,
        ElementType.CALL_ACTIVITY,
    }
)

_GATEWAYS = frozenset(
    {
        ElementType.EXCLUSIVE_GATEWAY,
        ElementType.PARALLEL_GATEWAY,
        ElementType.INCLUSIVE_GATEWAY,
        ElementType.EVENT_BASED_GATEWAY,
    }
)

# Children of a process or sub-process that document the model without changing how it runs,
# or that the sub-process's own readers handle (its loop).
_DOCUMENTING = frozenset(
    {
        "documentation",
        "extensionElements",
        "laneSet",
        "textAnnotation",
        "association",
        "group",
        "dataObject",
        "dataObjectReference",
        "dataStoreReference",
        "property",
        "ioSpecification",
        "incoming",
        "outgoing",
        "multiInstanceLoopCharacteristics",
        "standardLoopCharacteristics",
    }
)

_REFUSED = {
    "complexGateway": "complex gateways are not supported by Stead",
    "transaction": "transactions are not supported by Stead",
    "adHocSubProcess": "ad-hoc sub-processes are not supported by Stead",
    "callChoreography": "choreographies are not executable",
    "subChoreography": "choreographies are not executable",
    "choreographyTask": "choreographies are not executable",
    "implicitThrowEvent": "implicit throw events are not supported by Stead",
}

_BUSINESS_RULE_REFUSAL = (
    "business rule tasks are not supported yet: Stead cannot evaluate decision tables (DMN)"
)

# Children a flow node may have besides what its reader looks at; data associations and
# specifications are documentation in the Camunda 8 vocabulary (variables flow by ioMapping).
_NODE_CHILDREN = frozenset(
    {
        "documentation",
        "extensionElements",
        "incoming",
        "outgoing",
        "multiInstanceLoopCharacteristics",
        "standardLoopCharacteristics",
        "ioSpecification",
        "dataInputAssociation",
        "dataOutputAssociation",
        "property",
        "dataInput",
        "dataOutput",
        "inputSet",
        "outputSet",
        "eventDefinitionRef",
    }
)

_NODE_CHILD_REFUSALS = {
    "script": "an inline bpmn:script is not supported; give a FEEL expression in zeebe:script",
    "potentialOwner": "BPMN resource assignment is not supported; use zeebe:assignmentDefinition",
    "humanPerformer": "BPMN resource assignment is not supported; use zeebe:assignmentDefinition",
    "performer": "BPMN resource assignment is not supported; use zeebe:assignmentDefinition",
}


@dataclass
class GraphDraft:
    """What reading one process yields before the graph is linked and checked."""

    process_id: str
    elements: dict[str, Element] = field(default_factory=dict)
    flows: dict[str, SequenceFlow] = field(default_factory=dict)
    flow_scopes: dict[str, str] = field(default_factory=dict)  # flow id -> enclosing scope id
    conditioned_flows: set[str] = field(default_factory=set)  # have a condition, valid or not
    refused: set[str] = field(default_factory=set)  # ids of refused elements (already reported)
    scope_members: dict[str, list[str]] = field(default_factory=dict)


def read_scope(
    ctx: ReadContext,
    draft: GraphDraft,
    xml: XmlElement,
    scope_id: str,
    *,
    depth: int = 0,
    event_sub_process: bool = False,
) -> None:
    """Reads every child of the process or sub-process ``xml`` into ``draft``."""
    draft.scope_members.setdefault(scope_id, [])
    for child in xml:
        if namespace_of(child.tag) != BPMN:
            continue
        name = local_name(child.tag)
        if name == "sequenceFlow":
            _read_flow(ctx, draft, child, scope_id)
        elif name in _FLOW_NODES:
            _read_node(ctx, draft, child, _FLOW_NODES[name], scope_id, depth, event_sub_process)
        elif name in _DOCUMENTING:
            continue
        else:
            element_id = child.get("id")
            ctx.problem(element_id, _REFUSED.get(name, f"bpmn:{name} is not supported by Stead"))
            if element_id:
                draft.refused.add(element_id)


def _read_flow(ctx: ReadContext, draft: GraphDraft, xml: XmlElement, scope_id: str) -> None:
    flow_id = _element_id(ctx, draft, xml, "sequence flow")
    if flow_id is None:
        return
    source = (xml.get("sourceRef") or "").strip()
    target = (xml.get("targetRef") or "").strip()
    if not source or not target:
        ctx.problem(flow_id, "the sequence flow needs both sourceRef and targetRef")
        return
    condition: Expression | None = None
    condition_xml = xml.find(qualified(BPMN, "conditionExpression"))
    if condition_xml is not None and (condition_xml.text or "").strip():
        draft.conditioned_flows.add(flow_id)
        condition = ctx.expression(
            (condition_xml.text or "").strip(),
            element_id=flow_id,
            attribute="conditionExpression",
            feel=True,
        )
    draft.flows[flow_id] = SequenceFlow(flow_id, source, target, _name(xml), condition)
    draft.flow_scopes[flow_id] = scope_id


def _read_node(
    ctx: ReadContext,
    draft: GraphDraft,
    xml: XmlElement,
    element_type: ElementType,
    scope_id: str,
    depth: int,
    in_event_sub_process: bool,
) -> None:
    element_id = _element_id(ctx, draft, xml, element_type.value)
    if element_id is None:
        return
    if element_type is ElementType.BUSINESS_RULE_TASK:
        ctx.problem(element_id, _BUSINESS_RULE_REFUSAL)
        draft.refused.add(element_id)
        return
    if element_type is not ElementType.SUB_PROCESS:
        _check_node_children(ctx, xml, element_id)
    if (xml.get("isForCompensation") or "").strip().lower() == "true":
        ctx.problem(element_id, "compensation activities are not supported by Stead")
    fields: dict[str, Any] = {}
    if element_type is ElementType.START_EVENT:
        fields = read_event(
            ctx, xml, element_id, _start_place(draft, scope_id, in_event_sub_process)
        )
    elif element_type is ElementType.END_EVENT:
        fields = read_event(ctx, xml, element_id, EventPlace.END)
    elif element_type is ElementType.INTERMEDIATE_CATCH_EVENT:
        fields = read_event(ctx, xml, element_id, EventPlace.CATCH)
    elif element_type is ElementType.INTERMEDIATE_THROW_EVENT:
        fields = read_event(ctx, xml, element_id, EventPlace.THROW)
    elif element_type is ElementType.BOUNDARY_EVENT:
        fields = read_event(ctx, xml, element_id, EventPlace.BOUNDARY)
    elif element_type in _GATEWAYS:
        fields = _gateway_fields(ctx, xml, element_id, element_type)
    else:
        fields = read_task(ctx, xml, element_id, element_type)
    if element_type in _TASKS or element_type is ElementType.SUB_PROCESS:
        fields["multi_instance"] = read_multi_instance(ctx, xml, element_id)
    elif _has_loop(xml):
        ctx.problem(element_id, f"a {element_type.value} cannot have a loop")
    triggered = False
    if element_type is ElementType.SUB_PROCESS:
        triggered = ctx.boolean(xml, "triggeredByEvent", default=False, element_id=element_id)
        if triggered and fields.get("multi_instance") is not None:
            ctx.problem(element_id, "an event sub-process cannot be multi-instance")
    draft.elements[element_id] = Element(
        id=element_id,
        type=element_type,
        parent_id=scope_id,
        name=_name(xml),
        triggered_by_event=triggered,
        **fields,
    )
    draft.scope_members[scope_id].append(element_id)
    if element_type is ElementType.SUB_PROCESS:
        if depth >= MAX_SUB_PROCESS_DEPTH:
            ctx.problem(
                element_id, f"sub-processes are nested more than {MAX_SUB_PROCESS_DEPTH} deep"
            )
            return
        read_scope(ctx, draft, xml, element_id, depth=depth + 1, event_sub_process=triggered)


def _check_node_children(ctx: ReadContext, xml: XmlElement, element_id: str) -> None:
    """Refuses BPMN children that would change how the node runs and that no reader handles."""
    for child in xml:
        if namespace_of(child.tag) != BPMN:
            continue
        name = local_name(child.tag)
        if name in _NODE_CHILDREN or name.endswith("EventDefinition"):
            continue
        ctx.problem(
            element_id, _NODE_CHILD_REFUSALS.get(name, f"bpmn:{name} is not supported here")
        )


def _start_place(draft: GraphDraft, scope_id: str, in_event_sub_process: bool) -> EventPlace:
    if in_event_sub_process:
        return EventPlace.EVENT_SUB_PROCESS_START
    if scope_id == draft.process_id:
        return EventPlace.PROCESS_START
    return EventPlace.SUB_PROCESS_START


def _gateway_fields(
    ctx: ReadContext, xml: XmlElement, element_id: str, element_type: ElementType
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    default = (xml.get("default") or "").strip()
    if default:
        if element_type in (ElementType.EXCLUSIVE_GATEWAY, ElementType.INCLUSIVE_GATEWAY):
            fields["default_flow"] = default
        else:
            ctx.problem(element_id, f"a {element_type.value} cannot have a default flow")
    if element_type is ElementType.EVENT_BASED_GATEWAY:
        if (xml.get("instantiate") or "").strip().lower() == "true":
            ctx.problem(element_id, "event-based gateways that start a process are not supported")
        gateway_type = (xml.get("eventGatewayType") or "Exclusive").strip()
        if gateway_type != "Exclusive":
            ctx.problem(element_id, "only exclusive event-based gateways are supported")
    read_extensions(ctx, xml, element_id, allowed=frozenset(), kind=element_type.value)
    return fields


def _has_loop(xml: XmlElement) -> bool:
    return any(
        xml.find(qualified(BPMN, name)) is not None
        for name in ("multiInstanceLoopCharacteristics", "standardLoopCharacteristics")
    )


def _element_id(ctx: ReadContext, draft: GraphDraft, xml: XmlElement, kind: str) -> str | None:
    element_id = (xml.get("id") or "").strip()
    if not element_id:
        ctx.problem(None, f"a {kind} in process {draft.process_id!r} has no id")
        return None
    if element_id in draft.elements or element_id in draft.flows or element_id == draft.process_id:
        ctx.problem(element_id, "the id is used by more than one element")
        return None
    return element_id


def _name(xml: XmlElement) -> str | None:
    name = (xml.get("name") or "").strip()
    return name or None
