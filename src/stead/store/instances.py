"""SQL for process instances: insert, load with version, optimistic update, waiting tokens,
and the filtered, cursor-paginated listing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from stead.store.bulk import BulkInsert, BulkStatement, FastQuery
from stead.store.errors import ConcurrencyConflictError
from stead.store.schema import incidents, instances, waiting_tokens

__all__ = [
    "InstanceFilter",
    "StateUpdate",
    "active_started_by",
    "children_of",
    "find_by_idempotency_key",
    "insert",
    "insert_waiting",
    "list_page",
    "load",
    "load_many",
    "replace_waiting",
    "replace_waiting_many",
    "update_state",
    "update_states",
    "waiting_of",
    "waiting_summary",
]

Row = sa.Row[Any]


# The hot path's statements are built once: SQLAlchemy then reuses their cache keys.
_INSERT = BulkInsert(
    instances,
    (
        "id",
        "tenant_id",
        "definition_key",
        "process_id",
        "definition_version",
        "version",
        "status",
        "state",
        "variables",
        "business_key",
        "idempotency_key",
        "parent_instance_id",
        "parent_element_instance_key",
        "started_at",
        "updated_at",
        "ended_at",
        "start_correlation_key",
    ),
)
_LOAD = FastQuery(sa.select(instances).where(instances.c.id == sa.bindparam("instance_id")))
# What a unit of work loads to apply a command: not the copy of the root variables.
_LOAD_FOR_COMMAND = FastQuery(
    sa.select(*(column for column in instances.c if column.name != "variables")).where(
        instances.c.id == sa.bindparam("instance_id")
    )
)
_UPDATE_STATE = BulkStatement(
    sa.update(instances)
    .where(
        instances.c.id == sa.bindparam("instance_id"),
        instances.c.version == sa.bindparam("expected_version"),
    )
    .values(
        version=sa.bindparam("new_version"),
        state=sa.bindparam("new_state", type_=instances.c.state.type),
        status=sa.bindparam("new_status"),
        variables=sa.bindparam("new_variables", type_=instances.c.variables.type),
        updated_at=sa.bindparam("now", type_=instances.c.updated_at.type),
        ended_at=sa.bindparam("ended_at", type_=instances.c.ended_at.type),
    )
)
_DELETE_WAITING = BulkStatement(
    sa.delete(waiting_tokens).where(waiting_tokens.c.instance_id == sa.bindparam("instance_id"))
)
_INSERT_WAITING = BulkInsert(
    waiting_tokens,
    ("tenant_id", "instance_id", "element_id", "element_instance_key", "kind", "since"),
)


def insert(conn: sa.Connection, values: dict[str, Any]) -> None:
    _INSERT.execute(conn, [values])


def load(conn: sa.Connection, instance_id: str) -> Row | None:
    row: Row | None = _LOAD.first(conn, {"instance_id": instance_id})
    return row


def load_for_command(conn: sa.Connection, instance_id: str) -> Row | None:
    """An instance's row without the copy of its root variables (the state holds them)."""
    row: Row | None = _LOAD_FOR_COMMAND.first(conn, {"instance_id": instance_id})
    return row


_LOAD_MANY = sa.select(instances).where(
    instances.c.id.in_(sa.bindparam("instance_ids", expanding=True))
)


def load_many(conn: sa.Connection, instance_ids: list[str]) -> list[Row]:
    return list(conn.execute(_LOAD_MANY, {"instance_ids": instance_ids}))


def find_by_idempotency_key(conn: sa.Connection, tenant: str, key: str) -> Row | None:
    query = sa.select(instances).where(
        instances.c.tenant_id == tenant, instances.c.idempotency_key == key
    )
    return conn.execute(query).first()


def children_of(conn: sa.Connection, parent_id: str, element_instance_key: int) -> list[Row]:
    query = sa.select(instances).where(
        instances.c.parent_instance_id == parent_id,
        instances.c.parent_element_instance_key == element_instance_key,
    )
    return list(conn.execute(query))


def update_state(
    conn: sa.Connection,
    instance_id: str,
    *,
    expected_version: int,
    state: dict[str, Any],
    status: str,
    variables: dict[str, Any],
    now: dt.datetime,
) -> int:
    """Write the new state if nobody else did since it was loaded; returns the new version."""
    params = {
        "instance_id": instance_id,
        "expected_version": expected_version,
        "new_version": expected_version + 1,
        "new_state": state,
        "new_status": status,
        "new_variables": variables,
        "now": now,
        "ended_at": None if status == "active" else now,
    }
    if _UPDATE_STATE.execute(conn, [params]) != 1:
        raise ConcurrencyConflictError(f"instance {instance_id} changed since it was loaded")
    return expected_version + 1


@dataclass(frozen=True, slots=True)
class StateUpdate:
    """A new state for an instance loaded at ``expected_version``."""

    instance_id: str
    expected_version: int
    state: dict[str, Any]
    status: str
    variables: dict[str, Any]


def update_states(conn: sa.Connection, updates: list[StateUpdate], *, now: dt.datetime) -> None:
    """Write new states (each one's version goes up by one) in one statement, if nobody else
    changed any of them since they were loaded."""
    params = [
        {
            "instance_id": u.instance_id,
            "expected_version": u.expected_version,
            "new_version": u.expected_version + 1,
            "new_state": u.state,
            "new_status": u.status,
            "new_variables": u.variables,
            "now": now,
            "ended_at": None if u.status == "active" else now,
        }
        for u in updates
    ]
    if _UPDATE_STATE.execute(conn, params) != len(params):
        changed = ", ".join(u.instance_id for u in updates)
        raise ConcurrencyConflictError(f"an instance of {changed} changed since it was loaded")


def replace_waiting(
    conn: sa.Connection, tenant: str, instance_id: str, waiting: list[dict[str, Any]]
) -> None:
    """Record where the instance's tokens rest now (element id, key, kind, since)."""
    _DELETE_WAITING.execute(conn, [{"instance_id": instance_id}])
    insert_waiting(conn, tenant, instance_id, waiting)


def insert_waiting(
    conn: sa.Connection, tenant: str, instance_id: str, waiting: list[dict[str, Any]]
) -> None:
    """Record where a new instance's tokens rest (it has no waiting tokens yet)."""
    if waiting:
        _INSERT_WAITING.execute(
            conn, [{"tenant_id": tenant, "instance_id": instance_id, **token} for token in waiting]
        )


_WAITING_OF = (
    sa.select(waiting_tokens)
    .where(waiting_tokens.c.instance_id == sa.bindparam("instance_id"))
    .order_by(waiting_tokens.c.key)
)


def replace_waiting_many(
    conn: sa.Connection, tenant: str, waiting: dict[str, list[dict[str, Any]]]
) -> None:
    """:func:`replace_waiting` for several instances (instance id -> its waiting tokens)."""
    _DELETE_WAITING.execute(conn, [{"instance_id": instance_id} for instance_id in waiting])
    rows = [
        {"tenant_id": tenant, "instance_id": instance_id, **token}
        for instance_id, tokens in waiting.items()
        for token in tokens
    ]
    _INSERT_WAITING.execute(conn, rows)


def waiting_of(conn: sa.Connection, instance_id: str) -> list[Row]:
    return list(conn.execute(_WAITING_OF, {"instance_id": instance_id}))


def waiting_summary(conn: sa.Connection, tenant: str, process_id: str | None = None) -> list[Row]:
    """Where tokens wait, grouped by process, element and kind, with the oldest wait: the
    "where are processes stuck" query."""
    query = (
        sa.select(
            instances.c.process_id,
            waiting_tokens.c.element_id,
            waiting_tokens.c.kind,
            sa.func.count().label("waiting_count"),
            sa.func.min(waiting_tokens.c.since).label("oldest_since"),
        )
        .join(instances, instances.c.id == waiting_tokens.c.instance_id)
        .where(waiting_tokens.c.tenant_id == tenant)
        .group_by(instances.c.process_id, waiting_tokens.c.element_id, waiting_tokens.c.kind)
        .order_by(sa.func.count().desc(), instances.c.process_id, waiting_tokens.c.element_id)
    )
    if process_id is not None:
        query = query.where(instances.c.process_id == process_id)
    return list(conn.execute(query))


@dataclass(frozen=True, slots=True)
class InstanceFilter:
    """What to list; every field left None matches everything."""

    process_id: str | None = None
    status: str | None = None
    business_key: str | None = None
    started_after: dt.datetime | None = None
    started_before: dt.datetime | None = None
    has_incident: bool | None = None
    variable_equals: tuple[str, Any] | None = None
    parent_instance_id: str | None = None


def _variable_equals(dialect: str, name: str, value: Any) -> sa.ColumnElement[bool]:
    # Compared as JSON so that 1 and "1" stay different values.
    if dialect == "postgresql":
        literal = sa.cast(sa.literal(json.dumps(value)), instances.c.variables.type)
        return instances.c.variables.op("->")(sa.literal(name)) == literal
    path = "$." + json.dumps(name)
    compact = json.dumps(value, separators=(",", ":"))
    extracted = sa.func.json(instances.c.variables.op("->")(sa.literal(path)))
    return extracted == sa.func.json(sa.literal(compact))


def list_page(
    conn: sa.Connection,
    tenant: str,
    where: InstanceFilter,
    *,
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> list[Row]:
    """Instances newest first; ``after`` is the (started_at, id) of the last row already seen."""
    query = sa.select(instances).where(instances.c.tenant_id == tenant)
    if where.process_id is not None:
        query = query.where(instances.c.process_id == where.process_id)
    if where.status is not None:
        query = query.where(instances.c.status == where.status)
    if where.business_key is not None:
        query = query.where(instances.c.business_key == where.business_key)
    if where.started_after is not None:
        query = query.where(instances.c.started_at >= where.started_after)
    if where.started_before is not None:
        query = query.where(instances.c.started_at < where.started_before)
    if where.parent_instance_id is not None:
        query = query.where(instances.c.parent_instance_id == where.parent_instance_id)
    if where.has_incident is not None:
        open_incident = (
            sa.select(incidents.c.key)
            .where(incidents.c.instance_id == instances.c.id, incidents.c.state == "open")
            .exists()
        )
        query = query.where(open_incident if where.has_incident else ~open_incident)
    if where.variable_equals is not None:
        name, value = where.variable_equals
        query = query.where(_variable_equals(conn.dialect.name, name, value))
    if after is not None:
        started_at, instance_id = after
        query = query.where(
            sa.or_(
                instances.c.started_at < started_at,
                sa.and_(instances.c.started_at == started_at, instances.c.id < instance_id),
            )
        )
    query = query.order_by(instances.c.started_at.desc(), instances.c.id.desc()).limit(limit)
    return list(conn.execute(query))


_ACTIVE_STARTED_BY = FastQuery(
    sa.select(instances.c.id)
    .where(
        instances.c.tenant_id == sa.bindparam("tenant"),
        instances.c.process_id == sa.bindparam("process_id"),
        instances.c.start_correlation_key == sa.bindparam("correlation_key"),
        instances.c.status == "active",
    )
    .limit(1)
)


def active_started_by(
    conn: sa.Connection, tenant: str, process_id: str, correlation_key: str
) -> str | None:
    """The active instance of the process a message with ``correlation_key`` started, if any."""
    row = _ACTIVE_STARTED_BY.first(
        conn, {"tenant": tenant, "process_id": process_id, "correlation_key": correlation_key}
    )
    return None if row is None else str(row.id)
