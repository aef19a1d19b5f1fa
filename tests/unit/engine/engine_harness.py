"""Drives the engine through scenarios: BPMN snippets in, commands applied, effects tracked."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any, TypeVar

from stead.engine import InstanceState, Step, apply_command, start_instance
from stead.engine.commands import (
    Command,
    CompleteJob,
    CompleteUserTask,
    CorrelateMessage,
    FireTimer,
    ResolveIncident,
    ThrowError,
)
from stead.engine.effects import (
    CancelJob,
    CancelTimer,
    CancelUserTask,
    CloseSubscription,
    CreateJob,
    CreateUserTask,
    Effect,
    HistoryEvent,
    OpenSubscription,
    RaiseIncident,
    ResolveIncidentEffect,
    ScheduleTimer,
)
from stead.model import ProcessDefinition, parse_bpmn

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' id="defs" targetNamespace="http://bpmn.io/schema/bpmn">\n'
)

E = TypeVar("E")


def bpmn(body: str, *, extra: str = "", process_id: str = "p") -> ProcessDefinition:
    """Parse one process whose flow nodes and sequence flows are ``body``; ``extra`` holds
    root elements such as ``bpmn:message`` and ``bpmn:error``."""
    xml = (
        _HEADER
        + extra
        + f'<bpmn:process id="{process_id}" isExecutable="true">\n'
        + body
        + "\n</bpmn:process>\n</bpmn:definitions>\n"
    )
    definitions = parse_bpmn(xml.encode())
    return next(d for d in definitions if d.process_id == process_id)


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}"/>'
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def chain(*ids: str, prefix: str = "f") -> str:
    """Sequence flows linking ``ids`` one after the other."""
    return "\n".join(flow(f"{prefix}_{a}_{b}", a, b) for a, b in itertools.pairwise(ids))


def service_task(task_id: str, job_type: str = "work", inner: str = "", attrs: str = "") -> str:
    return (
        f'<bpmn:serviceTask id="{task_id}" {attrs}><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="{job_type}"/>{inner}'
        f"</bpmn:extensionElements></bpmn:serviceTask>"
    )


def script_task(task_id: str, expression: str, result: str, inner: str = "") -> str:
    return (
        f'<bpmn:scriptTask id="{task_id}"><bpmn:extensionElements>'
        f'<zeebe:script expression="{expression}" resultVariable="{result}"/>{inner}'
        f"</bpmn:extensionElements></bpmn:scriptTask>"
    )


def message(message_id: str, name: str, key: str | None = None) -> str:
    if key is None:
        return f'<bpmn:message id="{message_id}" name="{name}"/>'
    return (
        f'<bpmn:message id="{message_id}" name="{name}"><bpmn:extensionElements>'
        f'<zeebe:subscription correlationKey="{key}"/></bpmn:extensionElements></bpmn:message>'
    )


def roundtrip(state: InstanceState) -> InstanceState:
    """The state as the store would give it back: through JSON text."""
    return InstanceState.from_json(json.loads(json.dumps(state.to_json())))


class Driver:
    """One instance under test; tracks the jobs, tasks, timers, subscriptions and incidents
    the engine opened (and closed) so tests can act on them by element id."""

    def __init__(
        self,
        definition: ProcessDefinition,
        variables: dict[str, Any] | None = None,
        *,
        now: dt.datetime = NOW,
        start_event_id: str | None = None,
    ) -> None:
        self.definition = definition
        self.now = now
        self.all_effects: list[Effect] = []
        self.commands: list[tuple[Command, dt.datetime]] = []
        self.jobs: dict[int, CreateJob] = {}
        self.tasks: dict[int, CreateUserTask] = {}
        self.timers: dict[int, ScheduleTimer] = {}
        self.subscriptions: dict[int, OpenSubscription] = {}
        self.incidents: dict[int, RaiseIncident] = {}
        step = start_instance(
            definition, variables=variables or {}, now=now, start_event_id=start_event_id
        )
        self._take(step)

    # -- bookkeeping -----------------------------------------------------------------------

    def _take(self, step: Step) -> tuple[Effect, ...]:
        self.state = roundtrip(step.state)
        self.effects = step.effects
        self.all_effects.extend(step.effects)
        for effect in step.effects:
            match effect:
                case CreateJob():
                    self.jobs[effect.job_key] = effect
                case CancelJob():
                    del self.jobs[effect.job_key]
                case CreateUserTask():
                    self.tasks[effect.task_key] = effect
                case CancelUserTask():
                    del self.tasks[effect.task_key]
                case ScheduleTimer():
                    self.timers[effect.timer_key] = effect
                case CancelTimer():
                    del self.timers[effect.timer_key]
                case OpenSubscription():
                    self.subscriptions[effect.subscription_key] = effect
                case CloseSubscription():
                    del self.subscriptions[effect.subscription_key]
                case RaiseIncident():
                    self.incidents[effect.incident_key] = effect
                case ResolveIncidentEffect():
                    del self.incidents[effect.incident_key]
        return step.effects

    def apply(self, command: Command, *, now: dt.datetime | None = None) -> tuple[Effect, ...]:
        if now is not None:
            self.now = now
        self.commands.append((command, self.now))
        return self._take(apply_command(self.definition, self.state, command, now=self.now))

    # -- what a user would look at ---------------------------------------------------------

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def variables(self) -> dict[str, Any]:
        return self.state.variables

    @property
    def waiting(self) -> list[str]:
        return sorted(w.element_id for w in self.state.waiting)

    def last(self, kind: type[E]) -> list[E]:
        return [e for e in self.effects if isinstance(e, kind)]

    def history(self, event: str | None = None) -> list[HistoryEvent]:
        return [
            e
            for e in self.all_effects
            if isinstance(e, HistoryEvent) and (event is None or e.event == event)
        ]

    def path(self) -> list[str]:
        """Element ids in the order they completed."""
        return [str(e.element_id) for e in self.history("element.completed")]

    def _one(self, found: list[E], what: str) -> E:
        assert len(found) == 1, f"expected one {what}, found {found}"
        return found[0]

    def job(self, element_id: str) -> CreateJob:
        return self._one([j for j in self.jobs.values() if j.element_id == element_id], "job")

    def task(self, element_id: str) -> CreateUserTask:
        return self._one([t for t in self.tasks.values() if t.element_id == element_id], "task")

    def timer(self, element_id: str) -> ScheduleTimer:
        found = [t for t in self.timers.values() if t.element_id == element_id]
        return self._one(found, "timer")

    def subscription(self, element_id: str) -> OpenSubscription:
        found = [s for s in self.subscriptions.values() if s.element_id == element_id]
        return self._one(found, "subscription")

    def incident(self) -> RaiseIncident:
        return self._one(list(self.incidents.values()), "incident")

    # -- acting ----------------------------------------------------------------------------

    def complete_job(self, element_id: str, variables: dict[str, Any] | None = None) -> None:
        job = self.job(element_id)
        del self.jobs[job.job_key]
        self.apply(CompleteJob(job.job_key, variables or {}))

    def throw_error(
        self, element_id: str, code: str, variables: dict[str, Any] | None = None
    ) -> None:
        job = self.job(element_id)
        del self.jobs[job.job_key]
        self.apply(ThrowError(job.job_key, code, "worker gave up", variables or {}))

    def complete_task(self, element_id: str, variables: dict[str, Any] | None = None) -> None:
        task = self.task(element_id)
        del self.tasks[task.task_key]
        self.apply(CompleteUserTask(task.task_key, variables or {}, actor="alice"))

    def fire(self, element_id: str) -> None:
        timer = self.timer(element_id)
        del self.timers[timer.timer_key]
        self.apply(FireTimer(timer.timer_key), now=max(self.now, timer.due))

    def correlate(self, element_id: str, variables: dict[str, Any] | None = None) -> None:
        sub = self.subscription(element_id)
        self.apply(CorrelateMessage(sub.subscription_key, sub.message_name, variables or {}))

    def resolve(self) -> None:
        self.apply(ResolveIncident(self.incident().incident_key))
