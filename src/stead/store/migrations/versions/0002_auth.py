"""Users, groups, API tokens, web sessions and deployed forms.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# The declared tables live in these modules; importing them registers them on the metadata
# that migrations are compared with.
import stead.store.auth
import stead.store.forms  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def _key() -> sa.Column[int]:
    return sa.Column("key", KEY, autoincrement=True, nullable=False)


def _tenant() -> sa.Column[str]:
    return sa.Column(
        "tenant_id", sa.String(length=64), server_default=sa.text("'<default>'"), nullable=False
    )


def _user_key(table: str) -> list[Any]:
    return [
        sa.Column("user_key", KEY, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_key"], ["users.key"], name=op.f(f"fk_{table}_user_key_users")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "users",
        _key(),
        _tenant(),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_users")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_users_tenant_id_name")),
    )
    op.create_table(
        "user_groups",
        _key(),
        _tenant(),
        *_user_key("user_groups"),
        sa.Column("group_name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_user_groups")),
        sa.UniqueConstraint(
            "user_key", "group_name", name=op.f("uq_user_groups_user_key_group_name")
        ),
    )
    op.create_table(
        "api_tokens",
        _key(),
        _tenant(),
        *_user_key("api_tokens"),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_key"), "api_tokens", ["user_key"], unique=False)
    op.create_table(
        "web_sessions",
        _key(),
        _tenant(),
        *_user_key("web_sessions"),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_web_sessions_session_hash")),
    )
    op.create_index(
        op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"], unique=False
    )
    op.create_table(
        "forms",
        _key(),
        _tenant(),
        sa.Column("form_id", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("resource_name", sa.String(length=1024), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("deployed_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_forms")),
        sa.UniqueConstraint(
            "tenant_id", "form_id", "version", name=op.f("uq_forms_tenant_id_form_id_version")
        ),
    )


def downgrade() -> None:
    op.drop_table("forms")
    op.drop_table("web_sessions")
    op.drop_table("api_tokens")
    op.drop_table("user_groups")
    op.drop_table("users")
