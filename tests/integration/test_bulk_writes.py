"""Rows the hot path writes at the driver level are stored exactly as SQLAlchemy stores them:
timestamps compare and sort the same in SQL, JSON nulls stay JSON nulls."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from stead.store import jobs, open_database
from stead.store.schema import definitions, instances
from stead.store.schema import jobs as jobs_table


def _stored(conn: sa.Connection, key: int) -> tuple[Any, ...]:
    row = conn.exec_driver_sql(
        "SELECT due_at, created_at, variables, headers, retry_policy, attempts, lease_owner "
        f"FROM jobs WHERE key = {int(key)}"
    ).one()
    return tuple(row)


def test_a_job_written_by_the_fast_path_is_stored_like_sqlalchemy_stores_it(
    database_url: str,
) -> None:
    database = open_database(database_url)
    now = dt.datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    instance_id = str(uuid.uuid4())
    values = {
        "tenant_id": "<default>",
        "instance_id": instance_id,
        "element_instance_key": 2,
        "element_id": "task",
        "type": "charge",
        "state": "activatable",
        "retries": 3,
        "due_at": now,
        "variables": {"amount": 12.5, "items": [1, None]},
        "headers": {},
        "retry_policy": None,
        "created_at": now,
    }
    try:
        with database.transaction() as conn:
            definition_key = conn.execute(
                sa.insert(definitions)
                .values(
                    process_id="p",
                    version=1,
                    content_hash="h",
                    resource_name="p.bpmn",
                    source="<x/>",
                    deployed_at=now,
                )
                .returning(definitions.c.key)
            ).scalar_one()
            conn.execute(
                sa.insert(instances).values(
                    id=instance_id,
                    definition_key=definition_key,
                    process_id="p",
                    definition_version=1,
                    version=1,
                    status="active",
                    state={},
                    variables={},
                    started_at=now,
                    updated_at=now,
                )
            )
            jobs.insert(conn, {**values, "engine_key": 1})
            conn.execute(sa.insert(jobs_table), {**values, "engine_key": 2})
            fast, plain = (
                jobs.by_engine_key(conn, instance_id, engine_key) for engine_key in (1, 2)
            )
            assert fast is not None
            assert plain is not None
            assert _stored(conn, fast.key) == _stored(conn, plain.key)
            jobs.set_state(conn, fast.key, "completed")
            due = sa.select(sa.func.count()).where(
                jobs_table.c.due_at <= now, jobs_table.c.retry_policy.is_(None)
            )
            assert conn.execute(due).scalar_one() == 0  # JSON null, not SQL NULL, in both
            states = {r.engine_key: r.state for r in conn.execute(sa.select(jobs_table))}
            assert states == {1: "completed", 2: "activatable"}
    finally:
        database.dispose()


def test_sqlite_timestamps_keep_sqlalchemys_text_format_and_come_back_in_utc() -> None:
    # Stored text must stay byte-for-byte what SQLAlchemy's DATETIME wrote, or rows written
    # before and after would not compare and sort together in SQL.
    from sqlalchemy.dialects import sqlite

    from stead.store.schema import UtcDateTime

    dialect = sqlite.dialect()
    reference = sa.DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
    assert reference is not None
    store = UtcDateTime()._cached_bind_processor(dialect)
    load = UtcDateTime()._cached_result_processor(dialect, None)
    assert store is not None
    assert load is not None
    plus_two = dt.timezone(dt.timedelta(hours=2))
    for moment in (
        dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC),
        dt.datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 25, 3, 4, 5, 123456, tzinfo=plus_two),
    ):
        text = store(moment)
        assert text == reference(moment.astimezone(dt.UTC).replace(tzinfo=None))
        assert load(text) == moment
        assert load(text).tzinfo is dt.UTC
    assert load("2026-01-01 00:00:00") == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="naive datetime"):
        store(dt.datetime(2026, 1, 1))


def test_json_values_orjson_refuses_are_still_stored_exactly(database_url: str) -> None:
    database = open_database(database_url)
    huge = 2**70
    try:
        with database.read() as conn:
            stored = conn.execute(
                sa.select(sa.literal({"big": huge, 1: "int key"}, type_=instances.c.variables.type))
            ).scalar_one()
    finally:
        database.engine.dispose()
    assert stored == {"big": huge, "1": "int key"}
