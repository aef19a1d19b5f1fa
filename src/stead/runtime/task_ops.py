"""User task operations inside a unit of work: claim, unclaim, assign, complete."""

from __future__ import annotations

from typing import Any

from stead.engine import commands as c
from stead.runtime.errors import ConflictError, NotFoundError
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import UserTask
from stead.store import tasks

__all__ = ["assign", "complete", "open_task"]


def open_task(uow: UnitOfWork, task_id: int) -> Any:
    task = tasks.by_key(uow.conn, task_id, for_update=True)
    if task is None or task.tenant_id != uow.tenant:
        raise NotFoundError(f"no user task {task_id}")
    if task.state != "created":
        raise ConflictError(f"user task {task_id} is {task.state}")
    return task


def _reload(uow: UnitOfWork, task_id: int) -> UserTask:
    row = tasks.by_key(uow.conn, task_id)
    assert row is not None
    return UserTask.from_row(row)


def assign(
    uow: UnitOfWork, task_id: int, assignee: str | None, *, actor: str, only_if_free: bool
) -> UserTask:
    """Set (or with None clear) the assignee. ``only_if_free``: a claim, refused when somebody
    else holds the task."""
    task = open_task(uow, task_id)
    if only_if_free and task.assignee not in (None, assignee):
        raise ConflictError(f"user task {task_id} is already claimed by {task.assignee}")
    tasks.update(uow.conn, task.key, assignee=assignee)
    uow.record(
        task.instance_id,
        "task.assigned" if assignee else "task.unassigned",
        task.element_id,
        task.element_instance_key,
        actor,
        {"taskId": task.key, "assignee": assignee, "previous": task.assignee},
    )
    return _reload(uow, task_id)


def complete(uow: UnitOfWork, task_id: int, variables: dict[str, Any], actor: str) -> UserTask:
    task = open_task(uow, task_id)
    uow.apply(task.instance_id, c.CompleteUserTask(task.engine_key, variables, actor=actor))
    tasks.update(uow.conn, task.key, state="completed", completed_by=actor, completed_at=uow.now)
    return _reload(uow, task_id)
