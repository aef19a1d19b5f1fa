"""SQL for deployed process definitions: versions by content hash, lookups, start events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.schema import definitions, message_start_subscriptions, timers

__all__ = [
    "by_key",
    "by_version",
    "insert_version",
    "latest",
    "latest_head",
    "latest_versions",
    "replace_start_events",
]

Row = sa.Row[Any]


def latest(conn: sa.Connection, tenant: str, process_id: str) -> Row | None:
    """The newest version of a process, or None when it was never deployed."""
    query = (
        sa.select(definitions)
        .where(definitions.c.tenant_id == tenant, definitions.c.process_id == process_id)
        .order_by(definitions.c.version.desc())
        .limit(1)
    )
    return conn.execute(query).first()


_LATEST_HEAD = (
    sa.select(definitions.c.key, definitions.c.process_id, definitions.c.version)
    .where(
        definitions.c.tenant_id == sa.bindparam("tenant"),
        definitions.c.process_id == sa.bindparam("process_id"),
    )
    .order_by(definitions.c.version.desc())
    .limit(1)
)


def latest_head(conn: sa.Connection, tenant: str, process_id: str) -> Row | None:
    """Key, process id and version of the newest version (not its source): what starting an
    instance needs."""
    return conn.execute(_LATEST_HEAD, {"tenant": tenant, "process_id": process_id}).first()


def by_version(conn: sa.Connection, tenant: str, process_id: str, version: int) -> Row | None:
    query = sa.select(definitions).where(
        definitions.c.tenant_id == tenant,
        definitions.c.process_id == process_id,
        definitions.c.version == version,
    )
    return conn.execute(query).first()


_BY_KEY = sa.select(definitions).where(definitions.c.key == sa.bindparam("definition_key"))


def by_key(conn: sa.Connection, key: int) -> Row | None:
    return conn.execute(_BY_KEY, {"definition_key": key}).first()


def latest_versions(conn: sa.Connection, tenant: str) -> list[Row]:
    """The newest version of every deployed process, by process id."""
    newest = (
        sa.select(definitions.c.process_id, sa.func.max(definitions.c.version).label("version"))
        .where(definitions.c.tenant_id == tenant)
        .group_by(definitions.c.process_id)
        .subquery()
    )
    query = (
        sa.select(definitions)
        .join(
            newest,
            sa.and_(
                definitions.c.process_id == newest.c.process_id,
                definitions.c.version == newest.c.version,
            ),
        )
        .where(definitions.c.tenant_id == tenant)
        .order_by(definitions.c.process_id)
    )
    return list(conn.execute(query))


def insert_version(
    conn: sa.Connection,
    *,
    tenant: str,
    process_id: str,
    version: int,
    name: str | None,
    content_hash: str,
    resource_name: str,
    source: str,
    now: dt.datetime,
) -> int:
    """Store a new version; a concurrent deploy of the same version fails on the unique key."""
    statement = (
        sa.insert(definitions)
        .values(
            tenant_id=tenant,
            process_id=process_id,
            version=version,
            name=name,
            content_hash=content_hash,
            resource_name=resource_name,
            source=source,
            deployed_at=now,
        )
        .returning(definitions.c.key)
    )
    return int(conn.execute(statement).scalar_one())


def replace_start_events(
    conn: sa.Connection,
    *,
    tenant: str,
    process_id: str,
    definition_key: int,
    message_starts: list[tuple[str, str]],
    timer_starts: list[tuple[str, dict[str, Any], dt.datetime]],
    now: dt.datetime,
) -> None:
    """Only the newest version of a process is started by messages and timers: drop the older
    versions' start subscriptions and timers, then open the new version's.

    ``message_starts`` are (element id, message name); ``timer_starts`` are (element id,
    schedule, first due time).
    """
    conn.execute(
        sa.delete(message_start_subscriptions).where(
            message_start_subscriptions.c.tenant_id == tenant,
            message_start_subscriptions.c.process_id == process_id,
        )
    )
    old_versions = sa.select(definitions.c.key).where(
        definitions.c.tenant_id == tenant, definitions.c.process_id == process_id
    )
    conn.execute(sa.delete(timers).where(timers.c.definition_key.in_(old_versions)))
    if message_starts:
        conn.execute(
            sa.insert(message_start_subscriptions),
            [
                {
                    "tenant_id": tenant,
                    "definition_key": definition_key,
                    "process_id": process_id,
                    "element_id": element_id,
                    "message_name": name,
                }
                for element_id, name in message_starts
            ],
        )
    if timer_starts:
        conn.execute(
            sa.insert(timers),
            [
                {
                    "tenant_id": tenant,
                    "definition_key": definition_key,
                    "element_id": element_id,
                    "schedule": schedule,
                    "due_at": due,
                    "created_at": now,
                }
                for element_id, schedule, due in timer_starts
            ],
        )
