"""Immutable process definitions: the executable graph a BPMN model compiles to.

The parser (``stead.model.bpmn``) builds these from BPMN XML with the Camunda 8 ``zeebe:``
vocabulary; the engine only ever reads them. Every value a modeller can write as FEEL is an
:class:`Expression`, compiled once when the model is parsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from stead.feel import CompiledExpression

__all__ = [
    "CalledElement",
    "Element",
    "ElementType",
    "ErrorDefinition",
    "EventType",
    "Expression",
    "MessageDefinition",
    "MultiInstance",
    "ProcessDefinition",
    "RetryPolicy",
    "Scope",
    "ScriptDefinition",
    "SequenceFlow",
    "TaskDefinition",
    "TimerDefinition",
    "UserTaskDefinition",
    "VariableMapping",
]


@dataclass(frozen=True, slots=True)
class Expression:
    """A value from the model: a FEEL expression when written with a leading ``=``,
    otherwise a static string. ``compiled`` is None for static values."""

    source: str
    compiled: CompiledExpression | None = None

    @property
    def is_static(self) -> bool:
        return self.compiled is None


class ElementType(StrEnum):
    """The BPMN element types Stead executes (BPMN XML local names)."""

    START_EVENT = "startEvent"
    END_EVENT = "endEvent"
    INTERMEDIATE_CATCH_EVENT = "intermediateCatchEvent"
    INTERMEDIATE_THROW_EVENT = "intermediateThrowEvent"
    BOUNDARY_EVENT = "boundaryEvent"
    SERVICE_TASK = "serviceTask"
    SEND_TASK = "sendTask"
    USER_TASK = "userTask"
    SCRIPT_TASK = "scriptTask"
    RECEIVE_TASK = "receiveTask"
    MANUAL_TASK = "manualTask"
    TASK = "task"
    CALL_ACTIVITY = "callActivity"
    BUSINESS_RULE_TASK = "businessRuleTask"
    EXCLUSIVE_GATEWAY = "exclusiveGateway"
    PARALLEL_GATEWAY = "parallelGateway"
    INCLUSIVE_GATEWAY = "inclusiveGateway"
    EVENT_BASED_GATEWAY = "eventBasedGateway"
    SUB_PROCESS = "subProcess"


class EventType(StrEnum):
    """The event definition an event element carries (NONE when it has none)."""

    NONE = "none"
    MESSAGE = "message"
    TIMER = "timer"
    ERROR = "error"
    TERMINATE = "terminate"


@dataclass(frozen=True, slots=True)
class TimerDefinition:
    """``timeDate``, ``timeDuration`` or ``timeCycle`` (ISO 8601, cron on start events, or FEEL)."""

    kind: Literal["date", "duration", "cycle"]
    value: Expression


@dataclass(frozen=True, slots=True)
class MessageDefinition:
    """A message to wait for: its name and (except on start events) the correlation key."""

    name: Expression
    correlation_key: Expression | None = None


@dataclass(frozen=True, slots=True)
class ErrorDefinition:
    """On a catch event, the error code caught (None: every error); on an end event, the
    code thrown."""

    error_code: Expression | None = None


@dataclass(frozen=True, slots=True)
class VariableMapping:
    """One ``zeebe:input`` or ``zeebe:output``: evaluate ``source``, assign it to ``target``
    (a variable name, or a dotted path into a context)."""

    source: Expression
    target: str


@dataclass(frozen=True, slots=True)
class TaskDefinition:
    """``zeebe:taskDefinition``: the job type workers subscribe to and the retry count."""

    job_type: Expression
    retries: Expression


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Stead's retry backoff for jobs (``stead:retryPolicy``): the delay before attempt n is
    ``min(max_interval, initial_interval * backoff_rate ** (n - 1))`` seconds, drawn uniformly
    from zero to that when ``jitter`` is on (full jitter)."""

    initial_interval: float = 1.0
    backoff_rate: float = 2.0
    max_interval: float = 300.0
    jitter: bool = True


@dataclass(frozen=True, slots=True)
class UserTaskDefinition:
    """``zeebe:userTask`` with its assignment, form and schedule."""

    assignee: Expression | None = None
    candidate_groups: Expression | None = None
    candidate_users: Expression | None = None
    form_key: str | None = None
    form_id: str | None = None
    due_date: Expression | None = None
    follow_up_date: Expression | None = None
    priority: Expression | None = None  # ``zeebe:priorityDefinition``: 0 to 100


@dataclass(frozen=True, slots=True)
class ScriptDefinition:
    """``zeebe:script``: a FEEL expression whose value is stored in ``result_variable``."""

    expression: Expression
    result_variable: str


@dataclass(frozen=True, slots=True)
class CalledElement:
    """``zeebe:calledElement``: the process a call activity starts and how variables flow."""

    process_id: Expression
    propagate_all_child_variables: bool = True
    propagate_all_parent_variables: bool = True


@dataclass(frozen=True, slots=True)
class MultiInstance:
    """``multiInstanceLoopCharacteristics`` with ``zeebe:loopCharacteristics``."""

    sequential: bool
    input_collection: Expression
    input_element: str | None = None
    output_collection: str | None = None
    output_element: Expression | None = None
    completion_condition: Expression | None = None


@dataclass(frozen=True, slots=True)
class SequenceFlow:
    """A sequence flow; ``condition`` only on flows leaving exclusive/inclusive gateways."""

    id: str
    source_id: str
    target_id: str
    name: str | None = None
    condition: Expression | None = None


@dataclass(frozen=True, slots=True)
class Element:
    """One flow node. Which optional parts are set depends on ``type`` and ``event_type``."""

    id: str
    type: ElementType
    parent_id: str  # the enclosing process or sub-process
    name: str | None = None
    incoming: tuple[str, ...] = ()  # sequence flow ids
    outgoing: tuple[str, ...] = ()
    default_flow: str | None = None
    event_type: EventType = EventType.NONE
    timer: TimerDefinition | None = None
    message: MessageDefinition | None = None
    error: ErrorDefinition | None = None
    attached_to: str | None = None  # boundary events: the activity they sit on
    interrupting: bool = True  # boundary events and event sub-process start events
    boundary_events: tuple[str, ...] = ()  # activities: ids of attached boundary events
    task: TaskDefinition | None = None
    retry_policy: RetryPolicy | None = None
    headers: tuple[tuple[str, str], ...] = ()
    user_task: UserTaskDefinition | None = None
    script: ScriptDefinition | None = None
    called_element: CalledElement | None = None
    multi_instance: MultiInstance | None = None
    input_mappings: tuple[VariableMapping, ...] = ()
    output_mappings: tuple[VariableMapping, ...] = ()
    triggered_by_event: bool = False  # sub-processes: an event sub-process
    # events: zeebe:properties as (name, value) pairs in document order (e.g. connector settings)
    properties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Scope:
    """A process or sub-process: what starts inside it and what it contains.

    An event sub-process's scope has no none start event: its single entry in ``start_events``
    is the message, timer or error start event that triggers it.
    """

    id: str
    none_start_event: str | None
    start_events: tuple[str, ...]  # all start events directly inside (not in event sub-processes)
    event_sub_processes: tuple[str, ...]
    elements: tuple[str, ...]  # ids of the flow nodes directly inside


@dataclass(frozen=True, slots=True)
class ProcessDefinition:
    """One executable process, as parsed and validated from a BPMN file."""

    process_id: str
    name: str | None
    elements: Mapping[str, Element]
    flows: Mapping[str, SequenceFlow]
    scopes: Mapping[str, Scope]  # keyed by process id or sub-process id
    # sha256 of the source document as this process sees it (without the file's other
    # processes): a new version only when something that concerns this process changed.
    content_hash: str = ""
    document_hash: str = ""  # sha256 of the whole source document
    extras: Mapping[str, str] = field(default_factory=dict)

    def element(self, element_id: str) -> Element:
        return self.elements[element_id]

    def flow(self, flow_id: str) -> SequenceFlow:
        return self.flows[flow_id]

    def outgoing_flows(self, element_id: str) -> tuple[SequenceFlow, ...]:
        """The sequence flows leaving an element, in document order."""
        return tuple(self.flows[flow_id] for flow_id in self.elements[element_id].outgoing)

    def start_events_of(self, event_type: EventType) -> tuple[Element, ...]:
        """The process-level start events of one kind (e.g. every timer start event, which the
        runtime schedules when the definition is deployed)."""
        scope = self.scopes[self.process_id]
        return tuple(
            self.elements[element_id]
            for element_id in scope.start_events
            if self.elements[element_id].event_type is event_type
        )
