"""Commands: what can happen to a running process instance, as plain data.

The runtime loads an instance's state, hands the engine one command with the current time,
and stores the new state together with the effects the engine returns (``stead.engine.effects``),
in one transaction. Keys (``job_key``, ``task_key``, ...) are the integer keys the engine gave
those things in its effects; they are unique within one process instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CancelInstance",
    "ChildInstanceCompleted",
    "ChildInstanceTerminated",
    "ChildInstanceThrewError",
    "Command",
    "CompleteJob",
    "CompleteUserTask",
    "CorrelateMessage",
    "FireTimer",
    "ResolveIncident",
    "SetVariables",
    "ThrowError",
]

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CompleteJob:
    """A worker finished the job of a service/send task; ``variables`` are its result."""

    job_key: int
    variables: JsonObject = field(default_factory=dict)
    actor: str = "worker"


@dataclass(frozen=True, slots=True)
class ThrowError:
    """A worker threw a BPMN error from a job; a matching error catch event handles it,
    otherwise the engine raises an incident."""

    job_key: int
    error_code: str
    message: str = ""
    variables: JsonObject = field(default_factory=dict)
    actor: str = "worker"


@dataclass(frozen=True, slots=True)
class CompleteUserTask:
    """A person completed a user task; ``variables`` are the form's result."""

    task_key: int
    variables: JsonObject = field(default_factory=dict)
    actor: str = "user"


@dataclass(frozen=True, slots=True)
class FireTimer:
    """A timer the engine scheduled is due."""

    timer_key: int


@dataclass(frozen=True, slots=True)
class CorrelateMessage:
    """A published message matched a subscription the engine opened."""

    subscription_key: int
    message_name: str
    variables: JsonObject = field(default_factory=dict)
    actor: str = "engine"


@dataclass(frozen=True, slots=True)
class ChildInstanceCompleted:
    """The instance started by a call activity completed with these variables."""

    element_instance_key: int
    variables: JsonObject = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChildInstanceTerminated:
    """The instance started by a call activity was cancelled or terminated."""

    element_instance_key: int


@dataclass(frozen=True, slots=True)
class ChildInstanceThrewError:
    """The instance started by a call activity threw a BPMN error nothing in it catches (its
    ``ThrowUncaughtError`` effect): the call activity throws it on in the calling instance.
    When something there catches it, the call activity ends and the child is cancelled;
    otherwise nothing changes and the child's own incident stays the place to resolve it."""

    element_instance_key: int
    error_code: str
    message: str = ""
    variables: JsonObject = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ResolveIncident:
    """An operator resolved an incident the engine raised: the engine retries the step that
    failed (re-evaluating its expressions against the current variables)."""

    incident_key: int
    actor: str = "operator"


@dataclass(frozen=True, slots=True)
class SetVariables:
    """Set variables in a scope (None: the process instance's root scope)."""

    variables: JsonObject
    element_instance_key: int | None = None
    local: bool = False
    actor: str = "operator"


@dataclass(frozen=True, slots=True)
class CancelInstance:
    """Terminate the whole instance (and its call-activity children)."""

    actor: str = "operator"


Command = (
    CompleteJob
    | ThrowError
    | CompleteUserTask
    | FireTimer
    | CorrelateMessage
    | ChildInstanceCompleted
    | ChildInstanceTerminated
    | ChildInstanceThrewError
    | ResolveIncident
    | SetVariables
    | CancelInstance
)
