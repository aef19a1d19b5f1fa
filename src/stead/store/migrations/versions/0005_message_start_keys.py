"""Instances remember the correlation key of the message that started them, so one key has
at most one active instance started by a message start event.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("instances", sa.Column("start_correlation_key", sa.String(length=255)))
    op.create_index(
        op.f("ix_instances_tenant_id_process_id_start_correlation_key"),
        "instances",
        ["tenant_id", "process_id", "start_correlation_key"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_instances_tenant_id_process_id_start_correlation_key"), table_name="instances"
    )
    op.drop_column("instances", "start_correlation_key")
