"""SQL for incidents: raised by the engine (expression, condition, unhandled error) or by the
runtime (a job out of retries, a called process missing), resolved by an operator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.bulk import BulkStatement
from stead.store.schema import incidents

__all__ = [
    "by_key",
    "insert",
    "list_incidents",
    "open_of_instance",
    "resolve",
    "resolve_all_open",
    "resolve_all_open_many",
    "resolve_by_engine_key",
    "resolve_for_job",
]

Row = sa.Row[Any]


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    statement = sa.insert(incidents).values(state="open", **values).returning(incidents.c.key)
    return int(conn.execute(statement).scalar_one())


def by_key(conn: sa.Connection, key: int, *, for_update: bool = False) -> Row | None:
    query = sa.select(incidents).where(incidents.c.key == key)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).first()


def resolve(conn: sa.Connection, key: int, *, actor: str, now: dt.datetime) -> None:
    conn.execute(
        sa.update(incidents)
        .where(incidents.c.key == key, incidents.c.state == "open")
        .values(state="resolved", resolved_at=now, resolved_by=actor)
    )


def resolve_by_engine_key(
    conn: sa.Connection, instance_id: str, engine_key: int, *, actor: str, now: dt.datetime
) -> None:
    conn.execute(
        sa.update(incidents)
        .where(
            incidents.c.instance_id == instance_id,
            incidents.c.engine_key == engine_key,
            incidents.c.state == "open",
        )
        .values(state="resolved", resolved_at=now, resolved_by=actor)
    )


def resolve_for_job(conn: sa.Connection, job_key: int, *, actor: str, now: dt.datetime) -> None:
    """The job was cancelled (its activity ended another way): its incident is moot."""
    conn.execute(
        sa.update(incidents)
        .where(incidents.c.job_key == job_key, incidents.c.state == "open")
        .values(state="resolved", resolved_at=now, resolved_by=actor)
    )


_RESOLVE_ALL_OPEN = BulkStatement(
    sa.update(incidents)
    .where(
        incidents.c.instance_id == sa.bindparam("owner_instance_id"), incidents.c.state == "open"
    )
    .values(
        state="resolved",
        resolved_at=sa.bindparam("resolved_at", type_=incidents.c.resolved_at.type),
        resolved_by=sa.bindparam("resolved_by"),
    )
)


def resolve_all_open(
    conn: sa.Connection, instance_id: str, *, actor: str, now: dt.datetime
) -> None:
    """An ended instance has nothing left to resolve."""
    params = {"owner_instance_id": instance_id, "resolved_at": now, "resolved_by": actor}
    _RESOLVE_ALL_OPEN.execute(conn, [params])


_OPEN_OF_INSTANCE = (
    sa.select(incidents)
    .where(
        incidents.c.tenant_id == sa.bindparam("tenant"),
        incidents.c.instance_id == sa.bindparam("owner_instance_id"),
        incidents.c.state == "open",
    )
    .order_by(incidents.c.key)
)


def resolve_all_open_many(
    conn: sa.Connection, instance_ids: list[str], *, actor: str, now: dt.datetime
) -> None:
    """:func:`resolve_all_open` for several ended instances, in one statement."""
    params = [
        {"owner_instance_id": instance_id, "resolved_at": now, "resolved_by": actor}
        for instance_id in instance_ids
    ]
    _RESOLVE_ALL_OPEN.execute(conn, params)


def open_of_instance(conn: sa.Connection, tenant: str, instance_id: str) -> list[Row]:
    """An instance's open incidents, oldest first."""
    params = {"tenant": tenant, "owner_instance_id": instance_id}
    return list(conn.execute(_OPEN_OF_INSTANCE, params))


def list_incidents(
    conn: sa.Connection,
    tenant: str,
    *,
    instance_id: str | None = None,
    state: str | None = "open",
    after_key: int = 0,
    limit: int = 100,
) -> list[Row]:
    query = sa.select(incidents).where(incidents.c.tenant_id == tenant, incidents.c.key > after_key)
    if instance_id is not None:
        query = query.where(incidents.c.instance_id == instance_id)
    if state is not None:
        query = query.where(incidents.c.state == state)
    return list(conn.execute(query.order_by(incidents.c.key).limit(limit)))
