"""SQL for the job queue: create, lease (activate), complete, fail with backoff, lease expiry.

Activation claims rows in one ``UPDATE ... WHERE key IN (SELECT ... FOR UPDATE SKIP LOCKED)
RETURNING``: on PostgreSQL concurrent workers skip each other's rows; on SQLite the clause is
dropped and the single write lock makes the claim exclusive. A job whose lease expired is
activatable again, so a crashed worker's jobs are taken over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.bulk import BulkInsert, BulkStatement, FastQuery
from stead.store.schema import instances, jobs

__all__ = [
    "activate",
    "by_engine_key",
    "by_key",
    "extend_lease",
    "insert",
    "release_expired_leases",
    "reschedule",
    "set_state",
]

Row = sa.Row[Any]

ACTIVATED_COLUMNS = (
    jobs.c.key,
    jobs.c.instance_id,
    jobs.c.engine_key,
    jobs.c.element_instance_key,
    jobs.c.element_id,
    jobs.c.type,
    jobs.c.retries,
    jobs.c.attempts,
    jobs.c.variables,
    jobs.c.headers,
    jobs.c.lease_owner,
    jobs.c.lease_expires_at,
)


_INSERT = BulkInsert(
    jobs,
    (
        "tenant_id",
        "instance_id",
        "engine_key",
        "element_instance_key",
        "element_id",
        "type",
        "state",
        "retries",
        "due_at",
        "variables",
        "headers",
        "retry_policy",
        "created_at",
    ),
)
_BY_KEY = FastQuery(sa.select(jobs).where(jobs.c.key == sa.bindparam("job_key")))
# What completing, failing or throwing from a job reads; not its variables or headers.
_BY_KEY_FOR_UPDATE = FastQuery(
    sa.select(*(column for column in jobs.c if column.name not in ("variables", "headers")))
    .where(jobs.c.key == sa.bindparam("job_key"))
    .with_for_update()
)


def insert(conn: sa.Connection, values: dict[str, Any]) -> None:
    _INSERT.execute(conn, [values])


def by_key(conn: sa.Connection, key: int, *, for_update: bool = False) -> Row | None:
    """A job's row; ``for_update`` locks it and leaves out its variables and headers."""
    query = _BY_KEY_FOR_UPDATE if for_update else _BY_KEY
    row: Row | None = query.first(conn, {"job_key": key})
    return row


def by_engine_key(conn: sa.Connection, instance_id: str, engine_key: int) -> Row | None:
    query = sa.select(jobs).where(
        jobs.c.instance_id == instance_id, jobs.c.engine_key == engine_key
    )
    return conn.execute(query).first()


# Built once: activation is the hottest statement a worker runs. Jobs whose lease ran out and
# due jobs are claimed by two statements, so that each walks its own index in order and stops
# after ``max_jobs`` rows: one statement with both conditions OR-ed made SQLite gather every
# due job of the type and sort them all, on every fetch, however long the backlog.
_NOW = sa.bindparam("now", type_=jobs.c.due_at.type)


def _activation(claimable: sa.ColumnElement[bool], order: tuple[Any, ...]) -> FastQuery:
    chosen = (
        sa.select(jobs.c.key)
        .where(
            jobs.c.tenant_id == sa.bindparam("tenant"),
            jobs.c.type == sa.bindparam("job_type"),
            claimable,
        )
        .order_by(*order)
        .limit(sa.bindparam("max_jobs", type_=sa.Integer()))
        .with_for_update(skip_locked=True)
    )
    return FastQuery(
        sa.update(jobs)
        .where(jobs.c.key.in_(chosen.scalar_subquery()))
        .values(
            state="activated",
            lease_owner=sa.bindparam("worker"),
            lease_expires_at=sa.bindparam("lease_until", type_=jobs.c.lease_expires_at.type),
            attempts=jobs.c.attempts + 1,
        )
        .returning(*ACTIVATED_COLUMNS)
    )


_ACTIVATE_EXPIRED = _activation(
    sa.and_(jobs.c.state == "activated", jobs.c.lease_expires_at <= _NOW),
    (jobs.c.lease_expires_at, jobs.c.key),
)
_ACTIVATE_DUE = _activation(
    sa.and_(jobs.c.state == "activatable", jobs.c.due_at <= _NOW), (jobs.c.due_at, jobs.c.key)
)


def activate(
    conn: sa.Connection,
    *,
    tenant: str,
    job_type: str,
    worker: str,
    max_jobs: int,
    lease_until: dt.datetime,
    now: dt.datetime,
) -> list[Row]:
    """Lease up to ``max_jobs`` jobs of ``job_type`` to ``worker`` until ``lease_until``: jobs
    whose lease ran out first (they have waited longest), then due jobs, oldest first."""
    params = {
        "tenant": tenant,
        "job_type": job_type,
        "now": now,
        "max_jobs": max_jobs,
        "worker": worker,
        "lease_until": lease_until,
    }
    rows: list[Row] = _ACTIVATE_EXPIRED.all(conn, params)
    if len(rows) < max_jobs:
        params["max_jobs"] = max_jobs - len(rows)
        rows.extend(_ACTIVATE_DUE.all(conn, params))
    rows.sort(key=lambda row: row.key)
    return rows


_OWNING_INSTANCES = sa.select(
    instances.c.id, instances.c.process_id, instances.c.definition_version, instances.c.state
).where(instances.c.id.in_(sa.bindparam("instance_ids", expanding=True)))


def owning_instances(conn: sa.Connection, instance_ids: set[str]) -> dict[str, Row]:
    """Process id, definition version and engine state of each instance, for activated jobs:
    their metadata and the variables their tasks see at activation."""
    if not instance_ids:
        return {}
    rows = conn.execute(_OWNING_INSTANCES, {"instance_ids": sorted(instance_ids)})
    return {row.id: row for row in rows}


_SET_STATE = BulkStatement(
    sa.update(jobs)
    .where(jobs.c.key == sa.bindparam("job_key"))
    .values(state=sa.bindparam("new_state"), lease_owner=None, lease_expires_at=None)
)


def set_state(conn: sa.Connection, key: int, state: str, **values: Any) -> None:
    """Move a job to ``state`` (and set any other columns given), releasing its lease."""
    if not values:
        _SET_STATE.execute(conn, [{"job_key": key, "new_state": state}])
        return
    conn.execute(
        sa.update(jobs)
        .where(jobs.c.key == key)
        .values(state=state, lease_owner=None, lease_expires_at=None, **values)
    )


def cancel(conn: sa.Connection, instance_id: str, engine_key: int) -> int | None:
    """Cancel an instance's job (its activity ended another way); returns the job's key."""
    statement = (
        sa.update(jobs)
        .where(
            jobs.c.instance_id == instance_id,
            jobs.c.engine_key == engine_key,
            jobs.c.state.in_(("activatable", "activated", "failed")),
        )
        .values(state="cancelled", lease_owner=None, lease_expires_at=None)
        .returning(jobs.c.key)
    )
    return conn.execute(statement).scalar_one_or_none()


def reschedule(
    conn: sa.Connection, key: int, *, retries: int, due_at: dt.datetime, error: str | None
) -> None:
    """A failed attempt with retries left: activatable again at ``due_at``."""
    set_state(conn, key, "activatable", retries=retries, due_at=due_at, last_error=error)


def extend_lease(conn: sa.Connection, key: int, lease_until: dt.datetime) -> bool:
    statement = (
        sa.update(jobs)
        .where(jobs.c.key == key, jobs.c.state == "activated")
        .values(lease_expires_at=lease_until)
    )
    return conn.execute(statement).rowcount == 1


def release_expired_leases(conn: sa.Connection, now: dt.datetime) -> int:
    """Make jobs whose worker stopped renewing them visible as activatable again."""
    statement = (
        sa.update(jobs)
        .where(jobs.c.state == "activated", jobs.c.lease_expires_at <= now)
        .values(state="activatable", lease_owner=None, lease_expires_at=None, due_at=now)
    )
    return int(conn.execute(statement).rowcount)


def list_jobs(
    conn: sa.Connection,
    tenant: str,
    *,
    instance_id: str | None = None,
    state: str | None = None,
    job_type: str | None = None,
    limit: int = 100,
) -> list[Row]:
    query = sa.select(jobs).where(jobs.c.tenant_id == tenant)
    if instance_id is not None:
        query = query.where(jobs.c.instance_id == instance_id)
    if state is not None:
        query = query.where(jobs.c.state == state)
    if job_type is not None:
        query = query.where(jobs.c.type == job_type)
    return list(conn.execute(query.order_by(jobs.c.key).limit(limit)))
