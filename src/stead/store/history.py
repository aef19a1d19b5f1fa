"""SQL for the append-only history: every transition of every instance, in order."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from stead.store.bulk import BulkInsert
from stead.store.schema import history

__all__ = ["append", "for_instance"]


_INSERT = BulkInsert(
    history,
    (
        "tenant_id",
        "instance_id",
        "at",
        "event",
        "element_id",
        "element_instance_key",
        "actor",
        "data",
    ),
)


def append(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Append rows (keys: tenant_id, instance_id, at, event, element_id, element_instance_key,
    actor, data) in one executemany."""
    _INSERT.execute(conn, rows)


def for_instance(
    conn: sa.Connection, instance_id: str, *, after_seq: int = 0, limit: int = 1000
) -> list[sa.Row[Any]]:
    query = (
        sa.select(history)
        .where(history.c.instance_id == instance_id, history.c.seq > after_seq)
        .order_by(history.c.seq)
        .limit(limit)
    )
    return list(conn.execute(query))
