"""The declared database schema: every table Stead keeps, as SQLAlchemy Core metadata.

Migrations (``stead.store.migrations``) must produce exactly this schema; a test compares the
two. Every table carries ``tenant_id`` so that multi-tenancy can be added without a rewrite.
Public ids of jobs, user tasks and incidents are the integer ``key`` the database assigns; each
row also keeps the instance id and the engine's own key for it (unique per instance).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "DEFAULT_TENANT",
    "buffered_messages",
    "definitions",
    "history",
    "incidents",
    "instances",
    "jobs",
    "message_start_subscriptions",
    "message_subscriptions",
    "metadata",
    "timers",
    "user_tasks",
    "waiting_tokens",
]

DEFAULT_TENANT = "<default>"

# SQLite only auto-assigns INTEGER PRIMARY KEY columns, so big integers are plain INTEGER there.
Key = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """A timestamp that always comes back timezone-aware in UTC.

    SQLite has no time zone support: values are stored as naive UTC text, which still sorts
    and compares correctly in SQL.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    # On SQLite the text is converted directly, in the format SQLAlchemy's DATETIME writes
    # ("2026-01-31 12:00:00.000000"), instead of through its regular expression and format
    # string: every command reads and writes several timestamps.

    def bind_processor(self, dialect: sa.Dialect) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        to_naive_utc = self.process_bind_param

        def process(value: dt.datetime | None) -> str | None:
            naive = to_naive_utc(value, dialect)
            return None if naive is None else naive.isoformat(sep=" ", timespec="microseconds")

        return process

    def result_processor(self, dialect: sa.Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return _sqlite_datetime


def _sqlite_datetime(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _tenant() -> sa.Column[str]:
    return sa.Column(
        "tenant_id", sa.String(64), nullable=False, server_default=sa.text("'<default>'")
    )


definitions = sa.Table(
    "definitions",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("process_id", sa.String(255), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("name", sa.String(255)),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("resource_name", sa.String(1024), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("deployed_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("tenant_id", "process_id", "version"),
)

instances = sa.Table(
    "instances",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    _tenant(),
    sa.Column("definition_key", Key, sa.ForeignKey("definitions.key"), nullable=False),
    sa.Column("process_id", sa.String(255), nullable=False),
    sa.Column("definition_version", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # optimistic lock counter
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("state", Json, nullable=False),
    sa.Column("variables", Json, nullable=False),  # root scope copy, for filtering
    sa.Column("business_key", sa.String(255)),
    sa.Column("idempotency_key", sa.String(255)),
    sa.Column("parent_instance_id", sa.String(36), sa.ForeignKey("instances.id")),
    sa.Column("parent_element_instance_key", sa.BigInteger),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("ended_at", UtcDateTime),
    # The correlation key of the message that started the instance at a message start event:
    # while it is active, another message with that key starts no second instance.
    sa.Column("start_correlation_key", sa.String(255)),
    sa.UniqueConstraint("tenant_id", "idempotency_key"),
    sa.Index(None, "tenant_id", "process_id", "status"),
    sa.Index(None, "tenant_id", "process_id", "start_correlation_key"),
    sa.Index(None, "tenant_id", "started_at", "id"),
    sa.Index(None, "business_key"),
    sa.Index(None, "parent_instance_id"),
)

waiting_tokens = sa.Table(
    "waiting_tokens",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id"), nullable=False),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("element_instance_key", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("since", UtcDateTime, nullable=False),
    sa.Index(None, "instance_id"),
    sa.Index(None, "element_id", "since"),
)

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id"), nullable=False),
    sa.Column("engine_key", sa.BigInteger, nullable=False),
    sa.Column("element_instance_key", sa.BigInteger, nullable=False),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("type", sa.String(255), nullable=False),
    # activatable | activated | failed (no retries left) | completed | errored | cancelled
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("retries", sa.Integer, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("lease_owner", sa.String(255)),
    sa.Column("lease_expires_at", UtcDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("variables", Json, nullable=False),
    sa.Column("headers", Json, nullable=False),
    sa.Column("retry_policy", Json),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("instance_id", "engine_key"),
    sa.Index(None, "type", "state", "due_at"),
    sa.Index(None, "state", "lease_expires_at"),
)

timers = sa.Table(
    "timers",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    # instance timers: instance_id + engine_key; start-event timers: definition_key + schedule
    sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id")),
    sa.Column("engine_key", sa.BigInteger),
    sa.Column("element_instance_key", sa.BigInteger),
    sa.Column("definition_key", Key, sa.ForeignKey("definitions.key")),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("schedule", Json),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index(None, "due_at"),
    sa.Index(None, "instance_id"),
)

message_subscriptions = sa.Table(
    "message_subscriptions",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id"), nullable=False),
    sa.Column("engine_key", sa.BigInteger, nullable=False),
    sa.Column("element_instance_key", sa.BigInteger, nullable=False),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("message_name", sa.String(255), nullable=False),
    sa.Column("correlation_key", sa.String(255), nullable=False),
    sa.Column("interrupting", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Index(None, "tenant_id", "message_name", "correlation_key"),
    sa.Index(None, "instance_id"),
)

message_start_subscriptions = sa.Table(
    "message_start_subscriptions",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("definition_key", Key, sa.ForeignKey("definitions.key"), nullable=False),
    sa.Column("process_id", sa.String(255), nullable=False),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("message_name", sa.String(255), nullable=False),
    sa.Index(None, "tenant_id", "message_name"),
)

buffered_messages = sa.Table(
    "messages",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("correlation_key", sa.String(255), nullable=False),
    sa.Column("message_id", sa.String(255)),
    sa.Column("variables", Json, nullable=False),
    sa.Column("published_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("correlated_at", UtcDateTime),  # set once consumed; the row stays for dedupe
    sa.UniqueConstraint("tenant_id", "message_id"),
    sa.Index(None, "tenant_id", "name", "correlation_key"),
    sa.Index(None, "expires_at"),
)

user_tasks = sa.Table(
    "user_tasks",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id"), nullable=False),
    sa.Column("engine_key", sa.BigInteger, nullable=False),
    sa.Column("element_instance_key", sa.BigInteger, nullable=False),
    sa.Column("element_id", sa.String(255), nullable=False),
    sa.Column("process_id", sa.String(255), nullable=False),
    sa.Column("name", sa.String(255)),
    sa.Column("state", sa.String(16), nullable=False),  # created | completed | cancelled
    sa.Column("assignee", sa.String(255)),
    sa.Column("candidate_groups", Json, nullable=False),
    sa.Column("candidate_users", Json, nullable=False),
    sa.Column("form_key", sa.String(255)),
    sa.Column("due_at", UtcDateTime),
    sa.Column("follow_up_at", UtcDateTime),
    sa.Column("variables", Json, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("completed_by", sa.String(255)),
    sa.Column("completed_at", UtcDateTime),
    sa.UniqueConstraint("instance_id", "engine_key"),
    sa.Index(None, "state", "assignee"),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id"), nullable=False),
    sa.Column("engine_key", sa.BigInteger),  # None for incidents the runtime raises itself
    sa.Column("element_instance_key", sa.BigInteger),
    sa.Column("element_id", sa.String(255)),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # open | resolved
    sa.Column("job_key", Key, sa.ForeignKey("jobs.key")),
    sa.Column("data", Json),  # what the runtime needs to retry its own incidents
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("resolved_at", UtcDateTime),
    sa.Column("resolved_by", sa.String(255)),
    sa.Index(None, "instance_id"),
    sa.Index(None, "state"),
)

history = sa.Table(
    "history",
    metadata,
    sa.Column("seq", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("instance_id", sa.String(36), nullable=False),  # no FK: history outlives rows
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("event", sa.String(64), nullable=False),
    sa.Column("element_id", sa.String(255)),
    sa.Column("element_instance_key", sa.BigInteger),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("data", Json, nullable=False),
    sa.Index(None, "instance_id", "seq"),
)
