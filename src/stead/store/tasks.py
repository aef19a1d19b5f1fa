"""SQL for user tasks: create, cancel, complete, assignment, and the filtered task list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from stead.store.schema import user_tasks

__all__ = ["TaskFilter", "by_key", "cancel", "insert", "list_tasks", "update"]

Row = sa.Row[Any]


_INSERT = sa.insert(user_tasks)


def insert(conn: sa.Connection, values: dict[str, Any]) -> None:
    conn.execute(_INSERT, values)


def by_key(conn: sa.Connection, key: int, *, for_update: bool = False) -> Row | None:
    query = sa.select(user_tasks).where(user_tasks.c.key == key)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).first()


def by_engine_key(conn: sa.Connection, instance_id: str, engine_key: int) -> Row | None:
    query = sa.select(user_tasks).where(
        user_tasks.c.instance_id == instance_id, user_tasks.c.engine_key == engine_key
    )
    return conn.execute(query).first()


def update(conn: sa.Connection, key: int, **values: Any) -> None:
    conn.execute(sa.update(user_tasks).where(user_tasks.c.key == key).values(**values))


def cancel(conn: sa.Connection, instance_id: str, engine_key: int) -> None:
    conn.execute(
        sa.update(user_tasks)
        .where(
            user_tasks.c.instance_id == instance_id,
            user_tasks.c.engine_key == engine_key,
            user_tasks.c.state == "created",
        )
        .values(state="cancelled")
    )


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Which tasks to list; None matches everything. ``candidate_group``/``candidate_user``
    match tasks offered to that group/user."""

    state: str | None = "created"
    assignee: str | None = None
    candidate_group: str | None = None
    candidate_user: str | None = None
    process_id: str | None = None
    instance_id: str | None = None
    due_before: dt.datetime | None = None


def _contains(conn: sa.Connection, column: sa.Column[Any], value: str) -> sa.ColumnElement[bool]:
    # Candidate lists are JSON arrays of strings.
    if conn.dialect.name == "postgresql":
        return column.op("?")(sa.literal(value))
    each = sa.func.json_each(column).table_valued("value")
    return sa.select(each.c.value).where(each.c.value == value).exists()


def list_tasks(
    conn: sa.Connection, tenant: str, where: TaskFilter, *, after_key: int = 0, limit: int = 100
) -> list[Row]:
    query = sa.select(user_tasks).where(
        user_tasks.c.tenant_id == tenant, user_tasks.c.key > after_key
    )
    if where.state is not None:
        query = query.where(user_tasks.c.state == where.state)
    if where.assignee is not None:
        query = query.where(user_tasks.c.assignee == where.assignee)
    if where.candidate_group is not None:
        query = query.where(_contains(conn, user_tasks.c.candidate_groups, where.candidate_group))
    if where.candidate_user is not None:
        query = query.where(_contains(conn, user_tasks.c.candidate_users, where.candidate_user))
    if where.process_id is not None:
        query = query.where(user_tasks.c.process_id == where.process_id)
    if where.instance_id is not None:
        query = query.where(user_tasks.c.instance_id == where.instance_id)
    if where.due_before is not None:
        query = query.where(user_tasks.c.due_at < where.due_before)
    return list(conn.execute(query.order_by(user_tasks.c.key).limit(limit)))
