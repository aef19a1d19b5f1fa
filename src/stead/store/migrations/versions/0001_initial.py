"""The initial schema: definitions, instances, jobs, timers, messages, tasks, incidents, history.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "definitions",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("process_id", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("resource_name", sa.String(length=1024), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("deployed_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_definitions")),
        sa.UniqueConstraint(
            "tenant_id",
            "process_id",
            "version",
            name=op.f("uq_definitions_tenant_id_process_id_version"),
        ),
    )
    op.create_table(
        "history",
        sa.Column("seq", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=True),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_history")),
    )
    op.create_index(
        op.f("ix_history_instance_id_seq"), "history", ["instance_id", "seq"], unique=False
    )
    op.create_table(
        "messages",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("correlation_key", sa.String(length=255), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("variables", JSON, nullable=False),
        sa.Column("published_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("correlated_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "tenant_id", "message_id", name=op.f("uq_messages_tenant_id_message_id")
        ),
    )
    op.create_index(op.f("ix_messages_expires_at"), "messages", ["expires_at"], unique=False)
    op.create_index(
        op.f("ix_messages_tenant_id_name_correlation_key"),
        "messages",
        ["tenant_id", "name", "correlation_key"],
        unique=False,
    )
    op.create_table(
        "instances",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("definition_key", KEY, nullable=False),
        sa.Column("process_id", sa.String(length=255), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("variables", JSON, nullable=False),
        sa.Column("business_key", sa.String(length=255), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("parent_instance_id", sa.String(length=36), nullable=True),
        sa.Column("parent_element_instance_key", sa.BigInteger(), nullable=True),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("ended_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["definition_key"],
            ["definitions.key"],
            name=op.f("fk_instances_definition_key_definitions"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_instance_id"],
            ["instances.id"],
            name=op.f("fk_instances_parent_instance_id_instances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instances")),
        sa.UniqueConstraint(
            "tenant_id", "idempotency_key", name=op.f("uq_instances_tenant_id_idempotency_key")
        ),
    )
    op.create_index(op.f("ix_instances_business_key"), "instances", ["business_key"], unique=False)
    op.create_index(
        op.f("ix_instances_parent_instance_id"), "instances", ["parent_instance_id"], unique=False
    )
    op.create_index(
        op.f("ix_instances_tenant_id_process_id_status"),
        "instances",
        ["tenant_id", "process_id", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_instances_tenant_id_started_at_id"),
        "instances",
        ["tenant_id", "started_at", "id"],
        unique=False,
    )
    op.create_table(
        "message_start_subscriptions",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("definition_key", KEY, nullable=False),
        sa.Column("process_id", sa.String(length=255), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("message_name", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["definition_key"],
            ["definitions.key"],
            name=op.f("fk_message_start_subscriptions_definition_key_definitions"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_message_start_subscriptions")),
    )
    op.create_index(
        op.f("ix_message_start_subscriptions_tenant_id_message_name"),
        "message_start_subscriptions",
        ["tenant_id", "message_name"],
        unique=False,
    )
    op.create_table(
        "jobs",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("engine_key", sa.BigInteger(), nullable=False),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("retries", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("due_at", TIMESTAMP, nullable=False),
        sa.Column("lease_owner", sa.String(length=255), nullable=True),
        sa.Column("lease_expires_at", TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("variables", JSON, nullable=False),
        sa.Column("headers", JSON, nullable=False),
        sa.Column("retry_policy", JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["instances.id"], name=op.f("fk_jobs_instance_id_instances")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_jobs")),
        sa.UniqueConstraint(
            "instance_id", "engine_key", name=op.f("uq_jobs_instance_id_engine_key")
        ),
    )
    op.create_index(
        op.f("ix_jobs_state_lease_expires_at"), "jobs", ["state", "lease_expires_at"], unique=False
    )
    op.create_index(
        op.f("ix_jobs_type_state_due_at"), "jobs", ["type", "state", "due_at"], unique=False
    )
    op.create_table(
        "message_subscriptions",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("engine_key", sa.BigInteger(), nullable=False),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("message_name", sa.String(length=255), nullable=False),
        sa.Column("correlation_key", sa.String(length=255), nullable=False),
        sa.Column("interrupting", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["instances.id"],
            name=op.f("fk_message_subscriptions_instance_id_instances"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_message_subscriptions")),
    )
    op.create_index(
        op.f("ix_message_subscriptions_instance_id"),
        "message_subscriptions",
        ["instance_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_message_subscriptions_tenant_id_message_name_correlation_key"),
        "message_subscriptions",
        ["tenant_id", "message_name", "correlation_key"],
        unique=False,
    )
    op.create_table(
        "timers",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("engine_key", sa.BigInteger(), nullable=True),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=True),
        sa.Column("definition_key", KEY, nullable=True),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("schedule", JSON, nullable=True),
        sa.Column("due_at", TIMESTAMP, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["definition_key"],
            ["definitions.key"],
            name=op.f("fk_timers_definition_key_definitions"),
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["instances.id"], name=op.f("fk_timers_instance_id_instances")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_timers")),
    )
    op.create_index(op.f("ix_timers_due_at"), "timers", ["due_at"], unique=False)
    op.create_index(op.f("ix_timers_instance_id"), "timers", ["instance_id"], unique=False)
    op.create_table(
        "user_tasks",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("engine_key", sa.BigInteger(), nullable=False),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("process_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("assignee", sa.String(length=255), nullable=True),
        sa.Column("candidate_groups", JSON, nullable=False),
        sa.Column("candidate_users", JSON, nullable=False),
        sa.Column("form_key", sa.String(length=255), nullable=True),
        sa.Column("due_at", TIMESTAMP, nullable=True),
        sa.Column("follow_up_at", TIMESTAMP, nullable=True),
        sa.Column("variables", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("completed_by", sa.String(length=255), nullable=True),
        sa.Column("completed_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["instances.id"], name=op.f("fk_user_tasks_instance_id_instances")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_user_tasks")),
        sa.UniqueConstraint(
            "instance_id", "engine_key", name=op.f("uq_user_tasks_instance_id_engine_key")
        ),
    )
    op.create_index(
        op.f("ix_user_tasks_state_assignee"), "user_tasks", ["state", "assignee"], unique=False
    )
    op.create_table(
        "waiting_tokens",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("since", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["instances.id"], name=op.f("fk_waiting_tokens_instance_id_instances")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_waiting_tokens")),
    )
    op.create_index(
        op.f("ix_waiting_tokens_element_id_since"),
        "waiting_tokens",
        ["element_id", "since"],
        unique=False,
    )
    op.create_index(
        op.f("ix_waiting_tokens_instance_id"), "waiting_tokens", ["instance_id"], unique=False
    )
    op.create_table(
        "incidents",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
        ),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("engine_key", sa.BigInteger(), nullable=True),
        sa.Column("element_instance_key", sa.BigInteger(), nullable=True),
        sa.Column("element_id", sa.String(length=255), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("job_key", KEY, nullable=True),
        sa.Column("data", JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.Column("resolved_by", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["instances.id"], name=op.f("fk_incidents_instance_id_instances")
        ),
        sa.ForeignKeyConstraint(["job_key"], ["jobs.key"], name=op.f("fk_incidents_job_key_jobs")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_incidents")),
    )
    op.create_index(op.f("ix_incidents_instance_id"), "incidents", ["instance_id"], unique=False)
    op.create_index(op.f("ix_incidents_state"), "incidents", ["state"], unique=False)


def downgrade() -> None:
    op.drop_table("incidents")
    op.drop_table("waiting_tokens")
    op.drop_table("user_tasks")
    op.drop_table("timers")
    op.drop_table("message_subscriptions")
    op.drop_table("jobs")
    op.drop_table("message_start_subscriptions")
    op.drop_table("instances")
    op.drop_table("messages")
    op.drop_table("history")
    op.drop_table("definitions")
