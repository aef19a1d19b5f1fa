"""SQL for timers: instance timers the engine scheduled and timer start events of the newest
definition versions, both as rows with a due time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.bulk import BulkInsert, BulkStatement
from stead.store.schema import timers

__all__ = [
    "delete",
    "due_keys",
    "insert",
    "next_due_at",
    "remove",
    "remove_many",
    "reschedule",
    "take",
    "take_due",
]

Row = sa.Row[Any]


_INSERT = BulkInsert(
    timers,
    (
        "tenant_id",
        "instance_id",
        "engine_key",
        "element_instance_key",
        "element_id",
        "due_at",
        "created_at",
    ),
)


def insert(conn: sa.Connection, values: dict[str, Any]) -> None:
    _INSERT.execute(conn, [values])


def delete(conn: sa.Connection, instance_id: str, engine_key: int) -> None:
    conn.execute(
        sa.delete(timers).where(
            timers.c.instance_id == instance_id, timers.c.engine_key == engine_key
        )
    )


def due_keys(conn: sa.Connection, now: dt.datetime, limit: int) -> list[int]:
    query = (
        sa.select(timers.c.key).where(timers.c.due_at <= now).order_by(timers.c.due_at).limit(limit)
    )
    return [int(key) for key in conn.execute(query).scalars()]


def take(conn: sa.Connection, key: int, now: dt.datetime) -> Row | None:
    """Lock a due timer for firing in this transaction; None if another process has it (or
    fired it already). The caller deletes or reschedules it in the same transaction."""
    query = (
        sa.select(timers)
        .where(timers.c.key == key, timers.c.due_at <= now)
        .with_for_update(skip_locked=True)
    )
    return conn.execute(query).first()


def take_due(conn: sa.Connection, now: dt.datetime, limit: int) -> list[Row]:
    """Lock up to ``limit`` due timers, earliest first, skipping ones another process holds."""
    query = (
        sa.select(timers)
        .where(timers.c.due_at <= now)
        .order_by(timers.c.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(conn.execute(query))


def postpone(conn: sa.Connection, key: int, due_at: dt.datetime) -> None:
    conn.execute(sa.update(timers).where(timers.c.key == key).values(due_at=due_at))


_REMOVE = BulkStatement(sa.delete(timers).where(timers.c.key == sa.bindparam("timer_key")))


def remove(conn: sa.Connection, key: int) -> None:
    _REMOVE.execute(conn, [{"timer_key": key}])


def remove_many(conn: sa.Connection, keys: list[int]) -> None:
    if keys:
        _REMOVE.execute(conn, [{"timer_key": key} for key in keys])


def reschedule(
    conn: sa.Connection, key: int, due_at: dt.datetime, schedule: dict[str, Any]
) -> None:
    conn.execute(
        sa.update(timers).where(timers.c.key == key).values(due_at=due_at, schedule=schedule)
    )


def next_due_at(conn: sa.Connection) -> dt.datetime | None:
    """When the earliest timer is due, so the timer loop can sleep until then."""
    value = conn.execute(sa.select(sa.func.min(timers.c.due_at))).scalar_one_or_none()
    if value is None:
        return None
    # Aggregates bypass the column type on SQLite: convert the raw text here.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def for_instance(conn: sa.Connection, instance_id: str) -> list[Row]:
    return list(conn.execute(sa.select(timers).where(timers.c.instance_id == instance_id)))
