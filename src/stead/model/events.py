"""Reading BPMN events: which event definitions each kind of event may carry, and their timer,
message and error details."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from stead.model import timers
from stead.model.context import ReadContext
from stead.model.extensions import JOB_EXTENSIONS, read_extensions
from stead.model.graph import (
    ErrorDefinition,
    EventType,
    Expression,
    MessageDefinition,
    TimerDefinition,
)
from stead.model.xmldoc import BPMN, XmlElement, local_name, namespace_of

__all__ = ["EventPlace", "read_event"]


class EventPlace(StrEnum):
    """Where an event sits; it decides which event definitions are allowed."""

    PROCESS_START = "start event"
    SUB_PROCESS_START = "sub-process start event"
    EVENT_SUB_PROCESS_START = "event sub-process start event"
    END = "end event"
    CATCH = "intermediate catch event"
    THROW = "intermediate throw event"
    BOUNDARY = "boundary event"


_DEFINITION_KINDS = {
    "messageEventDefinition": EventType.MESSAGE,
    "timerEventDefinition": EventType.TIMER,
    "errorEventDefinition": EventType.ERROR,
    "terminateEventDefinition": EventType.TERMINATE,
}

_UNSUPPORTED_KINDS = {
    "signalEventDefinition": "signal",
    "escalationEventDefinition": "escalation",
    "compensateEventDefinition": "compensation",
    "conditionalEventDefinition": "conditional",
    "linkEventDefinition": "link",
    "cancelEventDefinition": "cancel",
}

_ALLOWED: dict[EventPlace, frozenset[EventType]] = {
    EventPlace.PROCESS_START: frozenset({EventType.NONE, EventType.MESSAGE, EventType.TIMER}),
    EventPlace.SUB_PROCESS_START: frozenset({EventType.NONE}),
    EventPlace.EVENT_SUB_PROCESS_START: frozenset(
        {EventType.MESSAGE, EventType.TIMER, EventType.ERROR}
    ),
    EventPlace.END: frozenset(
        {EventType.NONE, EventType.ERROR, EventType.TERMINATE, EventType.MESSAGE}
    ),
    EventPlace.CATCH: frozenset({EventType.MESSAGE, EventType.TIMER}),
    EventPlace.THROW: frozenset({EventType.NONE, EventType.MESSAGE}),
    EventPlace.BOUNDARY: frozenset({EventType.MESSAGE, EventType.TIMER, EventType.ERROR}),
}

# Which timer kinds each place accepts (cycles only where the event does not interrupt).
_TIMER_KINDS: dict[EventPlace, tuple[timers.TimerKind, ...]] = {
    EventPlace.PROCESS_START: ("date", "cycle"),
    EventPlace.EVENT_SUB_PROCESS_START: ("date", "duration", "cycle"),
    EventPlace.CATCH: ("date", "duration"),
    EventPlace.BOUNDARY: ("date", "duration", "cycle"),
}

_TIMER_TAGS: dict[str, timers.TimerKind] = {
    "timeDate": "date",
    "timeDuration": "duration",
    "timeCycle": "cycle",
}


def read_event(
    ctx: ReadContext, xml: XmlElement, element_id: str, place: EventPlace
) -> dict[str, Any]:
    """The :class:`~stead.model.graph.Element` fields of an event at ``place``."""
    fields: dict[str, Any] = {}
    event_type, definition = _event_definition(ctx, xml, element_id, place)
    fields["event_type"] = event_type
    interrupting = True
    if place is EventPlace.BOUNDARY:
        interrupting = ctx.boolean(xml, "cancelActivity", default=True, element_id=element_id)
        attached = (xml.get("attachedToRef") or "").strip()
        if not attached:
            ctx.problem(element_id, "the boundary event is not attached to an activity")
        fields["attached_to"] = attached or None
    elif place is EventPlace.EVENT_SUB_PROCESS_START:
        interrupting = ctx.boolean(xml, "isInterrupting", default=True, element_id=element_id)
    fields["interrupting"] = interrupting
    if (xml.get("parallelMultiple") or "").strip().lower() == "true":
        ctx.problem(element_id, "parallel multiple events are not supported")

    if definition is not None and event_type is EventType.TIMER:
        fields["timer"] = _timer(ctx, definition, element_id, place, interrupting)
    elif definition is not None and event_type is EventType.MESSAGE:
        fields["message"] = _message(ctx, definition, element_id, place)
    elif definition is not None and event_type is EventType.ERROR:
        fields["error"] = _error(ctx, definition, element_id, place, interrupting)

    # Message end and throw events are jobs, like send tasks: a worker sends the message.
    job_based = place in (EventPlace.END, EventPlace.THROW) and event_type is EventType.MESSAGE
    allowed = JOB_EXTENSIONS if job_based else frozenset({"ioMapping"})
    if place is EventPlace.PROCESS_START and event_type is EventType.NONE:
        allowed = allowed | {"formDefinition"}
    outputs_only = place in (
        EventPlace.PROCESS_START,
        EventPlace.EVENT_SUB_PROCESS_START,
        EventPlace.BOUNDARY,
    )
    found = read_extensions(
        ctx, xml, element_id, allowed=allowed, kind=place.value, outputs_only=outputs_only
    )
    if job_based and found.task is None and "taskDefinition" not in found.present:
        ctx.problem(
            element_id, f"a message {place.value} needs a job type (zeebe:taskDefinition type)"
        )
    fields.update(
        task=found.task,
        headers=found.headers,
        retry_policy=found.retry_policy,
        input_mappings=found.inputs,
        output_mappings=found.outputs,
        properties=found.properties,
    )
    return fields


def _event_definition(
    ctx: ReadContext, xml: XmlElement, element_id: str, place: EventPlace
) -> tuple[EventType, XmlElement | None]:
    """The event's single event definition, or NONE; every other case is a problem."""
    found: list[tuple[EventType, XmlElement]] = []
    for child in xml:
        if namespace_of(child.tag) != BPMN:
            continue
        name = local_name(child.tag)
        if name in _DEFINITION_KINDS:
            found.append((_DEFINITION_KINDS[name], child))
        elif name in _UNSUPPORTED_KINDS:
            ctx.problem(element_id, f"{_UNSUPPORTED_KINDS[name]} events are not supported by Stead")
            return EventType.NONE, None
        elif name == "eventDefinitionRef":
            ctx.problem(
                element_id, "shared event definitions (eventDefinitionRef) are not supported"
            )
            return EventType.NONE, None
    if len(found) > 1:
        ctx.problem(element_id, "an event with several event definitions is not supported")
        return EventType.NONE, None
    event_type, definition = found[0] if found else (EventType.NONE, None)
    if event_type not in _ALLOWED[place]:
        allowed = ", ".join(sorted(kind.value for kind in _ALLOWED[place]))
        ctx.problem(
            element_id,
            f"{event_type.value} {place.value}s are not supported (allowed: {allowed})",
        )
        return EventType.NONE, None
    return event_type, definition


def _timer(
    ctx: ReadContext,
    definition: XmlElement,
    element_id: str,
    place: EventPlace,
    interrupting: bool,
) -> TimerDefinition | None:
    values = [
        (_TIMER_TAGS[local_name(child.tag)], (child.text or "").strip())
        for child in definition
        if namespace_of(child.tag) == BPMN and local_name(child.tag) in _TIMER_TAGS
    ]
    if len(values) != 1 or not values[0][1]:
        ctx.problem(element_id, "a timer needs exactly one timeDate, timeDuration or timeCycle")
        return None
    kind, text = values[0]
    allowed = _TIMER_KINDS[place]
    if place is not EventPlace.PROCESS_START and interrupting:
        allowed = tuple(k for k in allowed if k != "cycle")
    if kind not in allowed:
        qualifier = "an interrupting " if kind == "cycle" and interrupting else "a "
        ctx.problem(element_id, f"a time {kind} is not allowed on {qualifier}{place.value}")
        return None
    attribute = f"time{kind.capitalize()}"
    value = ctx.expression(text, element_id=element_id, attribute=attribute)
    if value is None:
        return None
    if value.is_static:
        try:
            timers.parse_timer_value(kind, text)
        except timers.TimerValueError as error:
            ctx.problem(element_id, f"{attribute}: {error}")
            return None
    return TimerDefinition(kind, value)


def _message(
    ctx: ReadContext, definition: XmlElement, element_id: str, place: EventPlace
) -> MessageDefinition | None:
    if place in (EventPlace.END, EventPlace.THROW):
        # A message throw is a job: the worker sends the message, so no reference is needed.
        ref = (definition.get("messageRef") or "").strip()
        return ctx.messages.get(ref) if ref else None
    return resolve_message(ctx, definition, element_id, start=place is EventPlace.PROCESS_START)


def resolve_message(
    ctx: ReadContext, xml: XmlElement, element_id: str, *, start: bool
) -> MessageDefinition | None:
    """The message ``xml`` refers to with ``messageRef``, checked for a name and (except for
    process start events) a correlation key."""
    ref = (xml.get("messageRef") or "").strip()
    if not ref:
        ctx.problem(element_id, "no message is referenced (messageRef)")
        return None
    message = ctx.messages.get(ref)
    if message is None:
        ctx.problem(element_id, f"the referenced message {ref!r} does not exist")
        return None
    if not message.name.source:
        ctx.problem(element_id, f"the referenced message {ref!r} has no name")
        return None
    if start:
        if not message.name.is_static:
            ctx.problem(element_id, "a message start event needs a static message name, not FEEL")
        return MessageDefinition(message.name)
    if message.correlation_key is None:
        ctx.problem(
            element_id,
            f"waiting for message {message.name.source!r} needs a correlation key "
            f"(zeebe:subscription correlationKey on message {ref!r})",
        )
        return None
    return message


def _error(
    ctx: ReadContext,
    definition: XmlElement,
    element_id: str,
    place: EventPlace,
    interrupting: bool,
) -> ErrorDefinition | None:
    ref = (definition.get("errorRef") or "").strip()
    error = ctx.errors.get(ref) if ref else None
    if ref and error is None:
        ctx.problem(element_id, f"the referenced error {ref!r} does not exist")
        return None
    code: Expression | None = None if error is None else error.code
    if place is EventPlace.END:
        if code is None:
            ctx.problem(element_id, "an error end event needs an error with an errorCode")
            return None
        return ErrorDefinition(code)
    if not interrupting:
        ctx.problem(element_id, f"an error {place.value} must be interrupting")
    if code is not None and not code.is_static:
        ctx.problem(element_id, "a caught error code must be static text, not FEEL")
        return None
    return ErrorDefinition(code)
