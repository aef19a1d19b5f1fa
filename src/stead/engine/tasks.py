"""Tasks: jobs for service and send tasks, user tasks, scripts, receive tasks, call activities."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from stead.engine.effects import CreateJob, CreateUserTask, StartChildInstance
from stead.engine.entry import (
    apply_input_mappings,
    hosts_boundary_events,
    input_data,
    open_plans,
    plan_events,
)
from stead.engine.expressions import (
    StepFailed,
    evaluate_integer,
    evaluate_json,
    evaluate_optional_string,
    evaluate_raw,
    evaluate_string,
    evaluate_string_list,
)
from stead.engine.state import ElementInstance
from stead.engine.variables import propagate, set_local, visible_variables
from stead.feel.wide_temporal import InvalidTemporal, WideDateTime
from stead.model.graph import Element, ElementType, Expression
from stead.model.timers import TimerValueError, parse_date

if TYPE_CHECKING:
    from stead.engine.run import Run

__all__ = [
    "activate_job_element",
    "activate_task",
    "complete_call_activity",
    "create_job",
    "start_child",
]

JsonObject = dict[str, Any]


def activate_task(run: Run, inst: ElementInstance, element: Element) -> None:
    produced = apply_input_mappings(run, inst, element)
    kind = element.type
    plans = (
        plan_events(run, inst, element.boundary_events)
        if hosts_boundary_events(inst, element) and kind is not ElementType.SCRIPT_TASK
        else []
    )
    if kind is ElementType.SCRIPT_TASK:
        # Completes at once: its boundary timers and subscriptions could never fire.
        result = _evaluate_script(run, inst, element)
        run.activated(inst, input_data(produced))
        run.complete(inst, result)
    elif kind is ElementType.USER_TASK:
        task = _user_task(run, inst, element)
        run.activated(inst, input_data(produced))
        inst.task_key = task.task_key
        inst.wait = "user-task"
        run.state.tasks[task.task_key] = inst.key
        run.emit(task)
        run.history("task.created", inst, {"taskKey": task.task_key, "assignee": task.assignee})
        open_plans(run, inst, plans)
    elif kind is ElementType.RECEIVE_TASK:
        own = plan_events(run, inst, [element.id])
        run.activated(inst, input_data(produced))
        open_plans(run, inst, own + plans)
        inst.wait = "message"
    elif kind is ElementType.CALL_ACTIVITY:
        start = _child_start(run, inst, element)
        run.activated(inst, input_data(produced))
        inst.wait = "call-activity"
        run.emit(start)
        open_plans(run, inst, plans)
    elif element.task is not None:
        job = _job(run, inst, element)
        run.activated(inst, input_data(produced))
        _emit_job(run, inst, job)
        open_plans(run, inst, plans)
    elif kind in (ElementType.SERVICE_TASK, ElementType.SEND_TASK):
        raise StepFailed("invalid-model", f"Task '{element.id}' has no job type")
    else:
        run.activated(inst, input_data(produced))
        run.complete(inst)


def activate_job_element(
    run: Run, inst: ElementInstance, element: Element, produced: JsonObject | None
) -> None:
    """Message end and intermediate throw events behave like send tasks: a job does the work."""
    job = _job(run, inst, element)
    run.activated(inst, input_data(produced))
    _emit_job(run, inst, job)


def create_job(run: Run, inst: ElementInstance, element: Element) -> None:
    """Create the element's job again (after an incident on it was resolved)."""
    _emit_job(run, inst, _job(run, inst, element))


def start_child(run: Run, inst: ElementInstance, element: Element) -> None:
    """Start the called process again (after an incident on it was resolved)."""
    start = _child_start(run, inst, element)
    inst.wait = "call-activity"
    run.emit(start)


def _job(run: Run, inst: ElementInstance, element: Element) -> CreateJob:
    assert element.task is not None
    context = visible_variables(run.state, inst)
    job_type = evaluate_string(element.task.job_type, context, element.id, "job type")
    retries = evaluate_integer(element.task.retries, context, element.id, "job retries")
    policy = element.retry_policy
    return CreateJob(
        job_key=run.state.new_key(),
        element_instance_key=inst.key,
        element_id=element.id,
        job_type=job_type,
        retries=retries,
        variables=dict(context),
        headers=dict(element.headers),
        retry_policy=None
        if policy is None
        else (policy.initial_interval, policy.backoff_rate, policy.max_interval, policy.jitter),
    )


def _emit_job(run: Run, inst: ElementInstance, job: CreateJob) -> None:
    inst.job_key = job.job_key
    inst.wait = "job"
    run.state.jobs[job.job_key] = inst.key
    run.emit(job)
    run.history("job.created", inst, {"jobKey": job.job_key, "jobType": job.job_type})


def _evaluate_script(run: Run, inst: ElementInstance, element: Element) -> JsonObject | None:
    script = element.script
    if script is None:
        return None
    context = visible_variables(run.state, inst)
    value = evaluate_json(script.expression, context, element.id, "script")
    return {script.result_variable: value}


def _date(
    expression: Expression | None, context: Any, element_id: str, what: str
) -> dt.datetime | None:
    if expression is None:
        return None
    value = evaluate_raw(expression, context, element_id, what)
    if value is None:
        return None
    if isinstance(value, WideDateTime):
        # FEEL keeps years beyond 9999 and nanoseconds; a due date needs a Python datetime.
        try:
            value = value.to_python()
        except InvalidTemporal as exc:
            raise StepFailed("expression", f"Element '{element_id}': {what}: {exc}") from exc
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, str):
        try:
            return parse_date(value).astimezone(dt.UTC)
        except TimerValueError as exc:
            raise StepFailed("expression", f"Element '{element_id}': {what}: {exc}") from exc
    raise StepFailed(
        "expression",
        f"Element '{element_id}': the {what} expression '{expression.source}' must give a "
        "date and time",
    )


def _user_task(run: Run, inst: ElementInstance, element: Element) -> CreateUserTask:
    spec = element.user_task
    context = visible_variables(run.state, inst)
    eid = element.id
    assignee: str | None = None
    groups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    form: str | None = None
    due: dt.datetime | None = None
    follow_up: dt.datetime | None = None
    priority = 50
    if spec is not None:
        assignee = evaluate_optional_string(spec.assignee, context, eid, "assignee")
        groups = evaluate_string_list(spec.candidate_groups, context, eid, "candidate groups")
        users = evaluate_string_list(spec.candidate_users, context, eid, "candidate users")
        form = spec.form_key if spec.form_key is not None else spec.form_id
        due = _date(spec.due_date, context, eid, "due date")
        follow_up = _date(spec.follow_up_date, context, eid, "follow-up date")
        if spec.priority is not None:
            priority = evaluate_integer(spec.priority, context, eid, "priority")
            if not 0 <= priority <= 100:
                raise StepFailed(
                    "expression",
                    f"Element '{eid}': the priority must be from 0 to 100, but was {priority}",
                )
    return CreateUserTask(
        task_key=run.state.new_key(),
        element_instance_key=inst.key,
        element_id=eid,
        name=element.name,
        assignee=assignee or None,
        candidate_groups=groups,
        candidate_users=users,
        form_key=form,
        due_date=due,
        follow_up_date=follow_up,
        variables=dict(context),
        priority=priority,
    )


def _child_start(run: Run, inst: ElementInstance, element: Element) -> StartChildInstance:
    called = element.called_element
    if called is None:
        raise StepFailed("invalid-model", f"Call activity '{element.id}' names no process")
    context = visible_variables(run.state, inst)
    process_id = evaluate_string(called.process_id, context, element.id, "called process id")
    if called.propagate_all_parent_variables:
        variables = dict(context)
    else:
        variables = dict(inst.variables or {})
    return StartChildInstance(inst.key, element.id, process_id, variables)


def complete_call_activity(run: Run, inst: ElementInstance, child_variables: JsonObject) -> None:
    """The called instance completed: hand its variables back as the call activity's output
    (all of them unless ``propagateAllChildVariables`` is off; output mappings pick more)."""
    element = run.elements[inst.element_id]
    called = element.called_element
    propagate_all = called is None or called.propagate_all_child_variables
    inst.wait = None
    if element.output_mappings:
        for name, value in child_variables.items():
            set_local(inst, name, value)
        if propagate_all:
            parent = run.state.instances[inst.parent_key]  # type: ignore[index]
            for name, value in child_variables.items():
                propagate(run.state, parent, name, value)
        run.complete(inst)
    else:
        run.complete(inst, child_variables if propagate_all else None)
