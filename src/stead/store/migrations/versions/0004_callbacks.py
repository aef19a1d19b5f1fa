"""Callback tokens: one-time URLs through which an external system settles a waiting task.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# The declared table lives in this module; importing it registers it on the metadata that
# migrations are compared with.
import stead.store.callbacks  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("key", KEY, autoincrement=True, nullable=False),
        sa.Column(
            "tenant_id",
            sa.String(length=64),
            server_default=sa.text("'<default>'"),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("job_key", KEY, nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("element_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("heartbeat_seconds", sa.Float(), nullable=True),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_callbacks")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_callbacks_token_hash")),
    )
    op.create_index(op.f("ix_callbacks_job_key"), "callbacks", ["job_key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_callbacks_job_key"), table_name="callbacks")
    op.drop_table("callbacks")
