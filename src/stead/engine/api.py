"""The engine's entry points: start an instance, apply a command; both return a :class:`Step`.

Both are pure: the given state is never changed (a command works on a copy), nothing is read
from the clock or the outside, and every key comes from the instance's own counter, so the
same commands applied to the same start give the same states and effects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from stead.engine import triggers
from stead.engine.commands import (
    CancelInstance,
    ChildInstanceCompleted,
    ChildInstanceTerminated,
    ChildInstanceThrewError,
    Command,
    CompleteJob,
    CompleteUserTask,
    CorrelateMessage,
    FireTimer,
    ResolveIncident,
    SetVariables,
    ThrowError,
)
from stead.engine.effects import Effect, InstanceTerminated, ThrowUncaughtError
from stead.engine.expressions import StepFailed
from stead.engine.run import Run
from stead.engine.state import ElementInstance, InstanceState
from stead.engine.tasks import complete_call_activity
from stead.engine.variables import propagate, set_local, visible_variables
from stead.model.graph import ProcessDefinition

__all__ = ["CommandRejected", "Step", "apply_command", "job_variables", "start_instance"]

JsonObject = dict[str, Any]
RejectionReason = Literal["not-found", "conflict", "invalid"]


class CommandRejected(Exception):
    """A command that does not apply to the instance: ``reason`` is "not-found" (no such job,
    task, timer, subscription, incident or element instance), "conflict" (the instance or the
    element is not in a state that accepts it) or "invalid" (malformed)."""

    def __init__(self, reason: RejectionReason, message: str) -> None:
        super().__init__(message)
        self.reason: RejectionReason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class Step:
    """The instance's state after a start or command, and what the runtime must do."""

    state: InstanceState
    effects: tuple[Effect, ...]


def start_instance(
    definition: ProcessDefinition,
    *,
    variables: JsonObject,
    now: dt.datetime,
    start_event_id: str | None = None,
    trigger: str = "none",
    actor: str = "engine",
) -> Step:
    """Start an instance at the none start event, or at the given message or timer start
    event, and run it until every token waits."""
    scope = definition.scopes[definition.process_id]
    if start_event_id is None:
        start_event_id = scope.none_start_event
        if start_event_id is None:
            raise CommandRejected(
                "invalid", f"Process '{definition.process_id}' has no none start event"
            )
    elif start_event_id not in scope.start_events:
        raise CommandRejected(
            "invalid",
            f"'{start_event_id}' is not a start event of process '{definition.process_id}'",
        )
    if not isinstance(variables, dict):
        raise CommandRejected("invalid", "The variables of a new instance must be an object")
    state = InstanceState(definition.process_id)
    run = Run(definition, state, now, actor)
    root = run.new_instance(definition.process_id, None)
    state.root_key = root.key
    root.variables = dict(variables)
    root.triggered = {"startEvent": start_event_id, "trigger": trigger}
    run.queue_activation(root)
    run.drain()
    return Step(state, tuple(run.effects))


def apply_command(
    definition: ProcessDefinition, state: InstanceState, command: Command, *, now: dt.datetime
) -> Step:
    """Apply ``command`` to a copy of ``state`` and run until every token waits; raises
    :class:`CommandRejected` when the command does not apply."""
    if state.process_id != definition.process_id:
        raise CommandRejected(
            "invalid",
            f"The instance runs process '{state.process_id}', not '{definition.process_id}'",
        )
    if state.status != "active":
        raise CommandRejected("conflict", f"The process instance is already {state.status}")
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise CommandRejected("invalid", f"Unknown command {type(command).__name__}")
    run = Run(definition, state.copy(), now, getattr(command, "actor", "engine"))
    handler(run, command)
    run.drain()
    return Step(run.state, tuple(run.effects))


# -- command handlers ----------------------------------------------------------------------


def job_variables(state: InstanceState, job_key: int) -> JsonObject:
    """The variables the job's task sees now: its local variables (input mappings) over those
    of every enclosing scope. Workers get these when they activate the job, so variables an
    operator changed after the job was created reach the next attempt."""
    owner_key = state.jobs.get(job_key)
    owner = state.instances.get(owner_key) if owner_key is not None else None
    if owner is None:
        raise CommandRejected("not-found", f"no open job {job_key} in this instance")
    return dict(visible_variables(state, owner))


def _check_variables(variables: Any) -> JsonObject:
    if not isinstance(variables, dict):
        raise CommandRejected("invalid", "Variables must be a JSON object")
    return variables


def _completing(run: Run, inst: ElementInstance, step: Callable[[], None]) -> None:
    try:
        step()
    except StepFailed as failure:
        run.fail_step(inst, "complete", failure)


def _job_owner(run: Run, job_key: int) -> ElementInstance:
    owner_key = run.state.jobs.pop(job_key, None)
    if owner_key is None:
        raise CommandRejected(
            "not-found", f"No job with key {job_key} is active in this process instance"
        )
    inst = run.state.instances[owner_key]
    inst.job_key = None
    inst.wait = None
    return inst


def _complete_job(run: Run, command: CompleteJob) -> None:
    variables = _check_variables(command.variables)
    inst = _job_owner(run, command.job_key)
    run.history("job.completed", inst, {"jobKey": command.job_key, "variables": variables})
    _completing(run, inst, lambda: run.complete(inst, variables))


def _throw_error(run: Run, command: ThrowError) -> None:
    variables = _check_variables(command.variables)
    inst = _job_owner(run, command.job_key)
    run.history(
        "job.error-thrown",
        inst,
        {"jobKey": command.job_key, "errorCode": command.error_code, "message": command.message},
    )
    if not triggers.throw_error(run, inst, command.error_code, command.message, variables):
        run.emit(ThrowUncaughtError(command.error_code, command.message, variables))
        detail = f": {command.message}" if command.message else ""
        run.raise_incident(
            inst,
            "job",
            "unhandled-error",
            f"The job of '{inst.element_id}' threw the error '{command.error_code}'{detail}, "
            "and no error boundary event or error event sub-process catches it",
        )


def _complete_user_task(run: Run, command: CompleteUserTask) -> None:
    variables = _check_variables(command.variables)
    owner_key = run.state.tasks.pop(command.task_key, None)
    if owner_key is None:
        raise CommandRejected(
            "not-found", f"No user task with key {command.task_key} is open in this instance"
        )
    inst = run.state.instances[owner_key]
    inst.task_key = None
    inst.wait = None
    run.history("task.completed", inst, {"taskKey": command.task_key, "variables": variables})
    _completing(run, inst, lambda: run.complete(inst, variables))


def _fire_timer(run: Run, command: FireTimer) -> None:
    record = run.state.timers.get(command.timer_key)
    if record is None:
        raise CommandRejected(
            "not-found", f"No timer with key {command.timer_key} is scheduled in this instance"
        )
    owner = run.state.instances[record.owner_key]
    _completing(run, owner, lambda: triggers.fire_timer(run, record))


def _correlate_message(run: Run, command: CorrelateMessage) -> None:
    variables = _check_variables(command.variables)
    record = run.state.subscriptions.get(command.subscription_key)
    if record is None:
        raise CommandRejected(
            "not-found",
            f"No message subscription with key {command.subscription_key} is open in this instance",
        )
    if record.message_name != command.message_name:
        raise CommandRejected(
            "invalid",
            f"Subscription {command.subscription_key} waits for message "
            f"'{record.message_name}', not '{command.message_name}'",
        )
    owner = run.state.instances[record.owner_key]
    _completing(
        run, owner, lambda: triggers.correlate_message(run, command.subscription_key, variables)
    )


def _waiting_call_activity(run: Run, key: int) -> ElementInstance:
    inst = run.state.instances.get(key)
    if inst is None:
        raise CommandRejected("not-found", f"No element instance with key {key} is active")
    if inst.wait != "call-activity":
        raise CommandRejected(
            "conflict", f"Element instance {key} ('{inst.element_id}') awaits no called process"
        )
    return inst


def _child_completed(run: Run, command: ChildInstanceCompleted) -> None:
    variables = _check_variables(command.variables)
    inst = _waiting_call_activity(run, command.element_instance_key)
    run.history("called-process.completed", inst, {"variables": variables})
    _completing(run, inst, lambda: complete_call_activity(run, inst, variables))


def _child_terminated(run: Run, command: ChildInstanceTerminated) -> None:
    inst = _waiting_call_activity(run, command.element_instance_key)
    inst.wait = None
    run.raise_incident(
        inst,
        "call",
        "called-process",
        f"The process instance called by '{inst.element_id}' was terminated; resolving this "
        "incident starts it again",
    )


def _child_threw_error(run: Run, command: ChildInstanceThrewError) -> None:
    variables = _check_variables(command.variables)
    inst = _waiting_call_activity(run, command.element_instance_key)
    data = {"errorCode": command.error_code, "message": command.message}
    if not triggers.throw_error(run, inst, command.error_code, command.message, variables):
        run.history("called-process.error-uncaught", inst, data)


def _resolve_incident(run: Run, command: ResolveIncident) -> None:
    record = run.state.incidents.get(command.incident_key)
    if record is None:
        raise CommandRejected(
            "not-found", f"No open incident with key {command.incident_key} in this instance"
        )
    run.resolve_incident(record)


def _set_variables(run: Run, command: SetVariables) -> None:
    variables = _check_variables(command.variables)
    state = run.state
    key = state.root_key if command.element_instance_key is None else command.element_instance_key
    inst = state.instances.get(key)
    if inst is None:
        raise CommandRejected("not-found", f"No element instance with key {key} is active")
    for name, value in variables.items():
        if command.local:
            set_local(inst, name, value)
        else:
            propagate(state, inst, name, value)
    run.history("variables.changed", inst, {"variables": variables, "local": command.local})


def _cancel_instance(run: Run, command: CancelInstance) -> None:
    state = run.state
    root = state.instances[state.root_key]
    run.terminate_children(root)
    run.release(root)
    state.status = "terminated"
    run.history("element.terminated", root)
    run.emit(InstanceTerminated(f"cancelled by {command.actor}"))


_HANDLERS: dict[type, Callable[[Run, Any], None]] = {
    CompleteJob: _complete_job,
    ThrowError: _throw_error,
    CompleteUserTask: _complete_user_task,
    FireTimer: _fire_timer,
    CorrelateMessage: _correlate_message,
    ChildInstanceCompleted: _child_completed,
    ChildInstanceTerminated: _child_terminated,
    ChildInstanceThrewError: _child_threw_error,
    ResolveIncident: _resolve_incident,
    SetVariables: _set_variables,
    CancelInstance: _cancel_instance,
}
