"""Effects: what the engine asks the runtime to do, as plain data.

The engine never performs I/O. Each command returns the instance's new state plus a tuple of
effects; the runtime writes them in the same transaction as the state (jobs, timers, message
subscriptions, user tasks, incidents, history rows) or acts on them after commit (starting a
called process, notifying a parent instance).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CancelChildInstance",
    "CancelJob",
    "CancelTimer",
    "CancelUserTask",
    "CloseSubscription",
    "CreateJob",
    "CreateUserTask",
    "Effect",
    "HistoryEvent",
    "InstanceCompleted",
    "InstanceTerminated",
    "OpenSubscription",
    "RaiseIncident",
    "ResolveIncidentEffect",
    "ScheduleTimer",
    "StartChildInstance",
    "ThrowUncaughtError",
]

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CreateJob:
    """Work for an external or in-process worker (service and send tasks)."""

    job_key: int
    element_instance_key: int
    element_id: str
    job_type: str
    retries: int
    variables: JsonObject  # the variables visible to the task, after input mappings
    headers: dict[str, str] = field(default_factory=dict)
    retry_policy: tuple[float, float, float, bool] | None = None  # see model.graph.RetryPolicy


@dataclass(frozen=True, slots=True)
class CancelJob:
    job_key: int


@dataclass(frozen=True, slots=True)
class CreateUserTask:
    task_key: int
    element_instance_key: int
    element_id: str
    name: str | None
    assignee: str | None
    candidate_groups: tuple[str, ...]
    candidate_users: tuple[str, ...]
    form_key: str | None
    due_date: dt.datetime | None
    follow_up_date: dt.datetime | None
    variables: JsonObject
    priority: int = 50  # zeebe:priorityDefinition, 0 (lowest) to 100


@dataclass(frozen=True, slots=True)
class CancelUserTask:
    task_key: int


@dataclass(frozen=True, slots=True)
class ScheduleTimer:
    """Fire ``FireTimer(timer_key)`` at ``due``."""

    timer_key: int
    element_instance_key: int
    element_id: str
    due: dt.datetime


@dataclass(frozen=True, slots=True)
class CancelTimer:
    timer_key: int


@dataclass(frozen=True, slots=True)
class OpenSubscription:
    """Wait for a message ``message_name`` with ``correlation_key``; buffered messages that match
    are correlated at once by the runtime."""

    subscription_key: int
    element_instance_key: int
    element_id: str
    message_name: str
    correlation_key: str
    interrupting: bool = True


@dataclass(frozen=True, slots=True)
class CloseSubscription:
    subscription_key: int


@dataclass(frozen=True, slots=True)
class RaiseIncident:
    """A step cannot go on without an operator (expression failed, no flow matched, uncaught
    error, retries exhausted is the runtime's own)."""

    incident_key: int
    element_instance_key: int
    element_id: str
    kind: str  # e.g. "expression", "condition", "unhandled-error", "called-process"
    message: str


@dataclass(frozen=True, slots=True)
class ResolveIncidentEffect:
    incident_key: int


@dataclass(frozen=True, slots=True)
class StartChildInstance:
    """A call activity starts ``process_id`` (latest version) with ``variables``; the runtime
    later sends ``ChildInstanceCompleted``/``ChildInstanceTerminated`` back."""

    element_instance_key: int
    element_id: str
    process_id: str
    variables: JsonObject


@dataclass(frozen=True, slots=True)
class CancelChildInstance:
    element_instance_key: int


@dataclass(frozen=True, slots=True)
class ThrowUncaughtError:
    """Reserved for errors that leave the instance (propagation to a calling parent)."""

    error_code: str
    message: str
    variables: JsonObject


@dataclass(frozen=True, slots=True)
class InstanceCompleted:
    variables: JsonObject


@dataclass(frozen=True, slots=True)
class InstanceTerminated:
    reason: str


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One append-only audit row: what happened, to which element, caused by whom, with the
    input and output that crossed the element's boundary."""

    event: str  # e.g. "element.activated", "element.completed", "element.terminated",
    # "job.created", "task.created", "task.completed", "variables.changed", "incident.raised"
    element_id: str | None
    element_instance_key: int | None
    actor: str = "engine"
    data: JsonObject = field(default_factory=dict)


Effect = (
    CreateJob
    | CancelJob
    | CreateUserTask
    | CancelUserTask
    | ScheduleTimer
    | CancelTimer
    | OpenSubscription
    | CloseSubscription
    | RaiseIncident
    | ResolveIncidentEffect
    | StartChildInstance
    | CancelChildInstance
    | ThrowUncaughtError
    | InstanceCompleted
    | InstanceTerminated
    | HistoryEvent
)
