"""The engine's state of one process instance, and its stable JSON form.

An instance is a tree of live element instances: the root is the process itself, scopes
(sub-processes, multi-instance bodies) hold children, and every element instance has an integer
key from the instance's own counter. Finished element instances are removed; the history
effects keep their record. Timers, message subscriptions, jobs, user tasks and incidents the
engine created are indexed by key so commands can find what they refer to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ElementInstance",
    "IncidentRecord",
    "InstanceState",
    "InstanceStatus",
    "SubscriptionRecord",
    "TimerRecord",
    "WaitingElement",
]

InstanceStatus = Literal["active", "completed", "terminated"]
JsonObject = dict[str, Any]

STATE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class WaitingElement:
    """Where a token rests: the element, its instance key, what it waits for and since when.

    ``kind`` is one of "job", "user-task", "timer", "message", "event", "call-activity",
    "incident"."""

    element_id: str
    element_instance_key: int
    kind: str
    since: dt.datetime


@dataclass(slots=True)
class ElementInstance:
    """One live element instance (a token, or a scope holding tokens)."""

    key: int
    element_id: str
    parent_key: int | None
    since: str  # ISO 8601 time of activation (kept as text: parsed only when asked for)
    wait: str | None = None  # what the token waits for (WaitingElement.kind); None: moving
    variables: JsonObject | None = None  # local variables of this scope
    children: list[int] | None = None  # live child instances (scopes only)
    owned: list[int] | None = None  # timers and subscriptions this instance opened
    job_key: int | None = None
    task_key: int | None = None
    incident_key: int | None = None
    body: bool = False  # the multi-instance body (its children are the inner instances)
    mi: JsonObject | None = None  # body bookkeeping: collection, next, completed, terminated
    joins: dict[str, list[str]] | None = None  # scope: flows that arrived at a join gateway
    take: list[str] | None = None  # gateway: the outgoing flows chosen
    triggered: JsonObject | None = None  # event: variables of the trigger that started it

    def copy(self) -> ElementInstance:
        return ElementInstance(
            self.key,
            self.element_id,
            self.parent_key,
            self.since,
            self.wait,
            None if self.variables is None else dict(self.variables),
            None if self.children is None else list(self.children),
            None if self.owned is None else list(self.owned),
            self.job_key,
            self.task_key,
            self.incident_key,
            self.body,
            None if self.mi is None else _copy_mi(self.mi),
            None if self.joins is None else {k: list(v) for k, v in self.joins.items()},
            None if self.take is None else list(self.take),
            self.triggered,
        )

    def to_json(self) -> JsonObject:
        out: JsonObject = {
            "key": self.key,
            "elementId": self.element_id,
            "parent": self.parent_key,
            "since": self.since,
        }
        for name, value in (
            ("wait", self.wait),
            ("variables", self.variables),
            ("children", self.children),
            ("owned", self.owned),
            ("jobKey", self.job_key),
            ("taskKey", self.task_key),
            ("incidentKey", self.incident_key),
            ("mi", self.mi),
            ("joins", self.joins),
            ("take", self.take),
            ("triggered", self.triggered),
        ):
            if value is not None:
                out[name] = value
        if self.body:
            out["body"] = True
        return out

    @staticmethod
    def from_json(data: JsonObject) -> ElementInstance:
        inst = ElementInstance(data["key"], data["elementId"], data["parent"], data["since"])
        if len(data) > 4:
            get = data.get
            inst.wait = get("wait")
            inst.variables = get("variables")
            inst.children = get("children")
            inst.owned = get("owned")
            inst.job_key = get("jobKey")
            inst.task_key = get("taskKey")
            inst.incident_key = get("incidentKey")
            inst.body = get("body", False)
            inst.mi = get("mi")
            inst.joins = get("joins")
            inst.take = get("take")
            inst.triggered = get("triggered")
        return inst


def _copy_mi(mi: JsonObject) -> JsonObject:
    copied = dict(mi)
    copied["outputs"] = list(mi.get("outputs", ()))
    return copied


@dataclass(frozen=True, slots=True)
class TimerRecord:
    """A scheduled timer: the instance that owns it and the event element it triggers.

    ``cycle`` is the evaluated cycle text of a repeating timer and ``remaining`` how many more
    times it fires after this one (None: forever)."""

    key: int
    owner_key: int
    element_id: str
    due: dt.datetime
    cycle: str | None = None
    remaining: int | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    """An open message subscription: the instance that owns it and the event it triggers."""

    key: int
    owner_key: int
    element_id: str
    message_name: str
    correlation_key: str


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """An open incident and the step to retry when it is resolved ("activate", "complete",
    "job")."""

    key: int
    element_instance_key: int
    element_id: str
    kind: str
    message: str
    step: str


class InstanceState:
    """The state of one process instance. Read ``status``, ``variables`` and ``waiting``;
    everything else is the engine's own and may change shape between versions (``to_json``
    carries a format number)."""

    __slots__ = (
        "incidents",
        "instances",
        "jobs",
        "next_key",
        "process_id",
        "root_key",
        "status",
        "subscriptions",
        "tasks",
        "timers",
    )

    def __init__(self, process_id: str) -> None:
        self.process_id = process_id
        self.status: InstanceStatus = "active"
        self.next_key = 1
        self.root_key = 0
        self.instances: dict[int, ElementInstance] = {}
        self.timers: dict[int, TimerRecord] = {}
        self.subscriptions: dict[int, SubscriptionRecord] = {}
        self.incidents: dict[int, IncidentRecord] = {}
        self.jobs: dict[int, int] = {}  # job key -> element instance key
        self.tasks: dict[int, int] = {}  # user task key -> element instance key

    @property
    def variables(self) -> JsonObject:
        """The root scope's variables (the process instance's variables; the root element
        instance stays in the state after the instance ended, so they remain readable)."""
        root = self.instances.get(self.root_key)
        if root is None or root.variables is None:
            return {}
        return root.variables

    @property
    def waiting(self) -> list[WaitingElement]:
        """Where tokens rest, in key order."""
        return [
            WaitingElement(
                inst.element_id, inst.key, inst.wait, dt.datetime.fromisoformat(inst.since)
            )
            for inst in self.instances.values()
            if inst.wait is not None
        ]

    def new_key(self) -> int:
        key = self.next_key
        self.next_key = key + 1
        return key

    def copy(self) -> InstanceState:
        """A copy that commands can change without touching this one (values of variables are
        shared: the engine never changes a JSON value in place)."""
        other = InstanceState(self.process_id)
        other.status = self.status
        other.next_key = self.next_key
        other.root_key = self.root_key
        other.instances = {key: inst.copy() for key, inst in self.instances.items()}
        other.timers = dict(self.timers)
        other.subscriptions = dict(self.subscriptions)
        other.incidents = dict(self.incidents)
        other.jobs = dict(self.jobs)
        other.tasks = dict(self.tasks)
        return other

    def to_json(self) -> JsonObject:
        return {
            "format": STATE_FORMAT,
            "processId": self.process_id,
            "status": self.status,
            "nextKey": self.next_key,
            "rootKey": self.root_key,
            "instances": [inst.to_json() for inst in self.instances.values()],
            "timers": [
                {
                    "key": t.key,
                    "owner": t.owner_key,
                    "elementId": t.element_id,
                    "due": t.due.isoformat(),
                    "cycle": t.cycle,
                    "remaining": t.remaining,
                }
                for t in self.timers.values()
            ],
            "subscriptions": [
                {
                    "key": s.key,
                    "owner": s.owner_key,
                    "elementId": s.element_id,
                    "messageName": s.message_name,
                    "correlationKey": s.correlation_key,
                }
                for s in self.subscriptions.values()
            ],
            "incidents": [
                {
                    "key": i.key,
                    "elementInstanceKey": i.element_instance_key,
                    "elementId": i.element_id,
                    "kind": i.kind,
                    "message": i.message,
                    "step": i.step,
                }
                for i in self.incidents.values()
            ],
            "jobs": [[job, owner] for job, owner in self.jobs.items()],
            "tasks": [[task, owner] for task, owner in self.tasks.items()],
        }

    @staticmethod
    def from_json(data: JsonObject) -> InstanceState:
        if data.get("format") != STATE_FORMAT:
            raise ValueError(f"unsupported instance state format {data.get('format')!r}")
        state = InstanceState(data["processId"])
        state.status = data["status"]
        state.next_key = data["nextKey"]
        state.root_key = data["rootKey"]
        for item in data["instances"]:
            inst = ElementInstance.from_json(item)
            state.instances[inst.key] = inst
        for t in data["timers"]:
            state.timers[t["key"]] = TimerRecord(
                t["key"],
                t["owner"],
                t["elementId"],
                dt.datetime.fromisoformat(t["due"]),
                t["cycle"],
                t["remaining"],
            )
        for s in data["subscriptions"]:
            state.subscriptions[s["key"]] = SubscriptionRecord(
                s["key"], s["owner"], s["elementId"], s["messageName"], s["correlationKey"]
            )
        for i in data["incidents"]:
            state.incidents[i["key"]] = IncidentRecord(
                i["key"],
                i["elementInstanceKey"],
                i["elementId"],
                i["kind"],
                i["message"],
                i["step"],
            )
        state.jobs = {int(job): int(owner) for job, owner in data["jobs"]}
        state.tasks = {int(task): int(owner) for task, owner in data["tasks"]}
        return state
