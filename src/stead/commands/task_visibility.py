"""Which user tasks a user may see: those assigned to them, offered to them or to one of their
groups; with the ``tasks:all`` permission every task. Tasks a user may not see are reported
as not existing, so ids reveal nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from stead.commands.resources import UserTask
from stead.runtime.errors import NotFoundError

__all__ = ["TaskQuery", "Viewer", "may_see", "visible_task", "visible_tasks"]

TaskQuery = dict[str, Any]  # filters of a task list, named as Commands.tasks names them
TaskLister = Callable[..., list[UserTask]]  # Commands.tasks


class Viewer(Protocol):
    """Who asks: an authenticated user (``stead.auth.Principal`` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def groups(self) -> Sequence[str]: ...

    def may(self, permission: str) -> bool: ...


def may_see(viewer: Viewer, task: UserTask) -> bool:
    return (
        viewer.may("tasks:all")
        or task.assignee == viewer.name
        or viewer.name in task.candidate_users
        or any(group in task.candidate_groups for group in viewer.groups)
    )


def visible_task(viewer: Viewer, task: UserTask) -> UserTask:
    if not may_see(viewer, task):
        raise NotFoundError(f"no user task {task.id}")  # do not reveal that it exists
    return task


def visible_tasks(
    viewer: Viewer, list_tasks: TaskLister, query: TaskQuery, limit: int
) -> list[UserTask]:
    """The tasks ``query`` finds that ``viewer`` may see, by id, at most ``limit``."""
    if viewer.may("tasks:all"):
        return list_tasks(**query, limit=limit)
    # One query per way a task can reach the viewer, merged by id.
    ways: list[tuple[str, str]] = [("assignee", viewer.name), ("candidate_user", viewer.name)]
    ways += [("candidate_group", group) for group in viewer.groups]
    found: dict[int, UserTask] = {}
    for name, value in ways:
        if query.get(name) not in (None, value):
            continue  # the viewer's own filter excludes this way
        for task in list_tasks(**{**query, name: value}, limit=limit):
            found[task.id] = task
    return [found[key] for key in sorted(found)][:limit]
