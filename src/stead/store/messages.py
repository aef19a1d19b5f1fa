"""SQL for messages: open subscriptions of instances, message start events of the newest
definitions, and published messages buffered for their time-to-live.

A buffered message is consumed by the first subscription that matches it (``correlated_at``
set); the row stays until it expires so that a second publish with the same message id is
recognised as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from stead.store.schema import buffered_messages, message_start_subscriptions, message_subscriptions

__all__ = [
    "buffer",
    "close_subscription",
    "delete_expired",
    "find_duplicate",
    "mark_correlated",
    "matching_subscriptions",
    "open_subscription",
    "start_subscriptions",
    "take_buffered",
]

Row = sa.Row[Any]


_OPEN_SUBSCRIPTION = sa.insert(message_subscriptions)


def open_subscription(conn: sa.Connection, values: dict[str, Any]) -> None:
    conn.execute(_OPEN_SUBSCRIPTION, values)


def close_subscription(conn: sa.Connection, instance_id: str, engine_key: int) -> None:
    conn.execute(
        sa.delete(message_subscriptions).where(
            message_subscriptions.c.instance_id == instance_id,
            message_subscriptions.c.engine_key == engine_key,
        )
    )


def matching_subscriptions(
    conn: sa.Connection, tenant: str, name: str, correlation_key: str
) -> list[Row]:
    """Open subscriptions for this message, oldest first."""
    query = (
        sa.select(message_subscriptions)
        .where(
            message_subscriptions.c.tenant_id == tenant,
            message_subscriptions.c.message_name == name,
            message_subscriptions.c.correlation_key == correlation_key,
        )
        .order_by(message_subscriptions.c.key)
    )
    return list(conn.execute(query))


def start_subscriptions(
    conn: sa.Connection, tenant: str, *, name: str | None = None, process_id: str | None = None
) -> list[Row]:
    """The message start events that listen now (each process's newest version): for the
    message ``name``, or of the process ``process_id``."""
    query = sa.select(message_start_subscriptions).where(
        message_start_subscriptions.c.tenant_id == tenant
    )
    if name is not None:
        query = query.where(message_start_subscriptions.c.message_name == name)
    if process_id is not None:
        query = query.where(message_start_subscriptions.c.process_id == process_id)
    return list(conn.execute(query.order_by(message_start_subscriptions.c.key)))


def delete_expired(conn: sa.Connection, now: dt.datetime, *, message_id: str | None = None) -> int:
    statement = sa.delete(buffered_messages).where(buffered_messages.c.expires_at <= now)
    if message_id is not None:
        statement = statement.where(buffered_messages.c.message_id == message_id)
    return int(conn.execute(statement).rowcount)


def find_duplicate(conn: sa.Connection, tenant: str, message_id: str) -> Row | None:
    query = sa.select(buffered_messages).where(
        buffered_messages.c.tenant_id == tenant, buffered_messages.c.message_id == message_id
    )
    return conn.execute(query).first()


def buffer(conn: sa.Connection, values: dict[str, Any]) -> int:
    statement = sa.insert(buffered_messages).values(**values).returning(buffered_messages.c.key)
    return int(conn.execute(statement).scalar_one())


def take_buffered(
    conn: sa.Connection, tenant: str, name: str, correlation_key: str, now: dt.datetime
) -> Row | None:
    """The oldest unconsumed, unexpired message matching a subscription that just opened."""
    query = (
        sa.select(buffered_messages)
        .where(
            buffered_messages.c.tenant_id == tenant,
            buffered_messages.c.name == name,
            buffered_messages.c.correlation_key == correlation_key,
            buffered_messages.c.correlated_at.is_(None),
            buffered_messages.c.expires_at > now,
        )
        .order_by(buffered_messages.c.key)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return conn.execute(query).first()


def mark_correlated(conn: sa.Connection, key: int, now: dt.datetime) -> None:
    conn.execute(
        sa.update(buffered_messages).where(buffered_messages.c.key == key).values(correlated_at=now)
    )


def unmark_correlated(conn: sa.Connection, key: int) -> None:
    conn.execute(
        sa.update(buffered_messages)
        .where(buffered_messages.c.key == key)
        .values(correlated_at=None)
    )


def subscriptions_of(conn: sa.Connection, instance_id: str) -> list[Row]:
    query = sa.select(message_subscriptions).where(
        message_subscriptions.c.instance_id == instance_id
    )
    return list(conn.execute(query))


def lock_correlation(conn: sa.Connection, tenant: str, name: str, correlation_key: str) -> None:
    """Serialise, per message name and correlation key, publishing against subscriptions
    opening: without it, on PostgreSQL a message and a subscription committed at the same time
    could each miss the other. (SQLite has a single writer already.)"""
    if conn.dialect.name == "postgresql":
        key = json.dumps([tenant, name, correlation_key])
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))
