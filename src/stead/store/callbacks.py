"""Table and SQL for callback tokens: one row per token handed to an external system, kept as a
hash (the token itself is never stored), with the job it settles and when it expires."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.schema import Key, UtcDateTime, metadata

__all__ = ["by_hash", "callbacks", "extend", "insert", "latest_for_job", "mark_used"]

Row = sa.Row[Any]

callbacks = sa.Table(
    "callbacks",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    sa.Column("tenant_id", sa.String(64), nullable=False, server_default=sa.text("'<default>'")),
    sa.Column("token_hash", sa.String(64), nullable=False),  # sha256 of the token, hex
    sa.Column("job_key", Key, nullable=False),
    sa.Column("instance_id", sa.String(36), nullable=False),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("heartbeat_seconds", sa.Float),  # how far a heartbeat moves the deadline
    sa.Column("used_at", UtcDateTime),
    sa.Column("outcome", sa.String(32)),  # complete, fail, error or timeout once used
    sa.UniqueConstraint("token_hash"),
    sa.Index(None, "job_key"),
)


def insert(conn: sa.Connection, values: dict[str, Any]) -> int:
    statement = sa.insert(callbacks).values(**values).returning(callbacks.c.key)
    return int(conn.execute(statement).scalar_one())


def by_hash(conn: sa.Connection, token_hash: str, *, for_update: bool = False) -> Row | None:
    query = sa.select(callbacks).where(callbacks.c.token_hash == token_hash)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).first()


def latest_for_job(conn: sa.Connection, job_key: int) -> Row | None:
    """The newest token handed out for a job (None: the job never awaited a callback)."""
    query = (
        sa.select(callbacks)
        .where(callbacks.c.job_key == job_key)
        .order_by(callbacks.c.key.desc())
        .limit(1)
    )
    return conn.execute(query).first()


def mark_used(conn: sa.Connection, key: int, outcome: str, now: dt.datetime) -> bool:
    """Settle the token once; False when it was already used."""
    statement = (
        sa.update(callbacks)
        .where(callbacks.c.key == key, callbacks.c.used_at.is_(None))
        .values(used_at=now, outcome=outcome)
    )
    return conn.execute(statement).rowcount == 1


def extend(conn: sa.Connection, key: int, expires_at: dt.datetime) -> None:
    conn.execute(sa.update(callbacks).where(callbacks.c.key == key).values(expires_at=expires_at))
