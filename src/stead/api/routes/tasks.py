"""User tasks as the caller may see them (assigned to it, offered to it or its groups; every
task with ``tasks:all``): list, get, claim, unclaim, assign, complete, and the task's form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from stead.api.models import AssignTaskRequest, CompleteRequest
from stead.api.problems import PROBLEM_RESPONSES, ProblemError
from stead.api.routes.common import CommandsDep, TaskWorker
from stead.commands import ConflictError
from stead.commands.resources import TaskForm, UserTask

__all__ = ["router"]

router = APIRouter(prefix="/api/user-tasks", tags=["user tasks"], responses=PROBLEM_RESPONSES)
TaskId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", summary="List user tasks the caller may see", response_model=list[UserTask])
def list_tasks(
    caller: TaskWorker,
    commands: CommandsDep,
    assignee: Annotated[str | None, Query(max_length=255)] = None,
    candidate_group: Annotated[str | None, Query(alias="candidateGroup", max_length=255)] = None,
    candidate_user: Annotated[str | None, Query(alias="candidateUser", max_length=255)] = None,
    process_id: Annotated[str | None, Query(alias="processId", max_length=255)] = None,
    instance_id: Annotated[str | None, Query(alias="processInstanceId", max_length=64)] = None,
    state: Annotated[
        str, Query(pattern="^(created|completed|cancelled|all)$", description="all: any state")
    ] = "created",
    due_before: Annotated[dt.datetime | None, Query(alias="dueBefore")] = None,
    after_id: Annotated[int, Query(alias="afterId", ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[UserTask]:
    if due_before is not None and due_before.tzinfo is None:
        due_before = due_before.replace(tzinfo=dt.UTC)
    query = {
        "assignee": assignee,
        "candidate_group": candidate_group,
        "candidate_user": candidate_user,
        "process_id": process_id,
        "instance_id": instance_id,
        "state": None if state == "all" else state,
        "due_before": due_before,
        "after_id": after_id,
    }
    return commands.visible_tasks(caller, query, limit)


@router.get("/{task_id}", summary="One user task", response_model=UserTask)
def get_task(caller: TaskWorker, commands: CommandsDep, task_id: TaskId) -> UserTask:
    return commands.visible_task(caller, task_id)


@router.get("/{task_id}/form", summary="The task's form schema", response_model=TaskForm)
def get_task_form(caller: TaskWorker, commands: CommandsDep, task_id: TaskId) -> TaskForm:
    return commands.task_form(commands.visible_task(caller, task_id))


@router.post("/{task_id}/claim", summary="Take the task (refused when held by another)")
def claim_task(caller: TaskWorker, commands: CommandsDep, task_id: TaskId) -> UserTask:
    commands.visible_task(caller, task_id)
    return commands.claim_task(task_id, caller.name)


@router.post("/{task_id}/unclaim", summary="Give the task back")
def unclaim_task(caller: TaskWorker, commands: CommandsDep, task_id: TaskId) -> UserTask:
    task = commands.visible_task(caller, task_id)
    if task.assignee not in (None, caller.name) and not caller.may("tasks:all"):
        raise ProblemError(403, f"user task {task_id} is assigned to {task.assignee}")
    return commands.unclaim_task(task_id, actor=caller.name)


@router.post("/{task_id}/assignment", summary="Assign the task to anyone (or no one)")
def assign_task(
    caller: TaskWorker,
    commands: CommandsDep,
    task_id: TaskId,
    body: AssignTaskRequest,
) -> UserTask:
    task = commands.visible_task(caller, task_id)
    if not caller.may("tasks:all") and (
        body.assignee not in (None, caller.name) or task.assignee not in (None, caller.name)
    ):
        raise ProblemError(403, "only the tasks:all permission assigns tasks of or to others")
    return commands.assign_task(task_id, body.assignee, actor=caller.name)


@router.post("/{task_id}/completion", summary="Complete the task with variables")
def complete_task(
    caller: TaskWorker,
    commands: CommandsDep,
    task_id: TaskId,
    body: CompleteRequest,
) -> UserTask:
    task = commands.visible_task(caller, task_id)
    if task.assignee not in (None, caller.name) and not caller.may("tasks:all"):
        raise ConflictError(f"user task {task_id} is assigned to {task.assignee}")
    return commands.complete_task(task_id, body.variables, actor=caller.name)
