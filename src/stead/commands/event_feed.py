"""The feed of instance, task and incident changes, read from the history table in order, so
every Stead process on one database reads the same feed and a reader that resumes after the
last sequence number it saw misses nothing."""

from __future__ import annotations

import sqlalchemy as sa

from stead.commands.resources import Event
from stead.runtime import Runtime
from stead.store.schema import history

__all__ = ["events_after", "last_event_seq"]


def events_after(
    runtime: Runtime, seq: int, *, instance_id: str | None = None, limit: int = 500
) -> list[Event]:
    """Up to ``limit`` events with a sequence number above ``seq``, oldest first."""
    query = (
        sa.select(history)
        .where(history.c.tenant_id == runtime.tenant, history.c.seq > seq)
        .order_by(history.c.seq)
        .limit(limit)
    )
    if instance_id is not None:
        query = query.where(history.c.instance_id == instance_id)
    with runtime.database.read() as conn:
        rows = list(conn.execute(query))
    return [
        Event(
            seq=row.seq,
            time=row.at,
            event=row.event,
            process_instance_id=row.instance_id,
            element_id=row.element_id,
            actor=row.actor,
            data=row.data,
        )
        for row in rows
    ]


def last_event_seq(runtime: Runtime) -> int:
    """The newest event's sequence number (0 before any): where a new reader starts."""
    query = sa.select(sa.func.max(history.c.seq)).where(history.c.tenant_id == runtime.tenant)
    with runtime.database.read() as conn:
        return int(conn.execute(query).scalar() or 0)
