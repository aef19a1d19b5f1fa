"""Tables and SQL for who may use Stead: users with roles and groups, API tokens and web
sessions. Secrets are never stored: tokens and session ids are kept as SHA-256 digests and
passwords as argon2 hashes (``stead.auth.secrets``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.schema import Json, Key, UtcDateTime, metadata

__all__ = [
    "add_to_group",
    "api_tokens",
    "count_users",
    "delete_expired_sessions",
    "delete_session",
    "delete_token",
    "groups_of",
    "insert_session",
    "insert_token",
    "insert_user",
    "list_tokens",
    "list_users",
    "session_by_hash",
    "set_password",
    "token_by_hash",
    "user_by_key",
    "user_by_name",
    "user_groups",
    "users",
    "web_sessions",
]

Row = sa.Row[Any]


def _tenant() -> sa.Column[str]:
    return sa.Column(
        "tenant_id", sa.String(64), nullable=False, server_default=sa.text("'<default>'")
    )


users = sa.Table(
    "users",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("password_hash", sa.Text),  # None: the user signs in with API tokens only
    sa.Column("roles", Json, nullable=False),  # list of role names
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("tenant_id", "name"),
)

user_groups = sa.Table(
    "user_groups",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("user_key", Key, sa.ForeignKey("users.key"), nullable=False),
    sa.Column("group_name", sa.String(255), nullable=False),
    sa.UniqueConstraint("user_key", "group_name"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("user_key", Key, sa.ForeignKey("users.key"), nullable=False),
    sa.Column("label", sa.String(255), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("token_hash"),
    sa.Index(None, "user_key"),
)

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    _tenant(),
    sa.Column("user_key", Key, sa.ForeignKey("users.key"), nullable=False),
    sa.Column("session_hash", sa.String(64), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("session_hash"),
    sa.Index(None, "expires_at"),
)


# -- users ---------------------------------------------------------------------------------


def insert_user(
    conn: sa.Connection,
    *,
    tenant: str,
    name: str,
    password_hash: str | None,
    roles: list[str],
    now: dt.datetime,
) -> int:
    """A new user; a second user of the same name fails on the unique key."""
    statement = (
        sa.insert(users)
        .values(
            tenant_id=tenant, name=name, password_hash=password_hash, roles=roles, created_at=now
        )
        .returning(users.c.key)
    )
    return int(conn.execute(statement).scalar_one())


def user_by_name(conn: sa.Connection, tenant: str, name: str) -> Row | None:
    query = sa.select(users).where(users.c.tenant_id == tenant, users.c.name == name)
    return conn.execute(query).first()


def user_by_key(conn: sa.Connection, key: int) -> Row | None:
    return conn.execute(sa.select(users).where(users.c.key == key)).first()


def list_users(conn: sa.Connection, tenant: str) -> list[Row]:
    query = sa.select(users).where(users.c.tenant_id == tenant).order_by(users.c.name)
    return list(conn.execute(query))


def count_users(conn: sa.Connection, tenant: str) -> int:
    query = sa.select(sa.func.count()).select_from(users).where(users.c.tenant_id == tenant)
    return int(conn.execute(query).scalar_one())


def set_password(conn: sa.Connection, user_key: int, password_hash: str | None) -> None:
    conn.execute(
        sa.update(users).where(users.c.key == user_key).values(password_hash=password_hash)
    )


def add_to_group(conn: sa.Connection, tenant: str, user_key: int, group: str) -> None:
    exists = sa.select(user_groups.c.key).where(
        user_groups.c.user_key == user_key, user_groups.c.group_name == group
    )
    if conn.execute(exists).first() is None:
        conn.execute(
            sa.insert(user_groups).values(tenant_id=tenant, user_key=user_key, group_name=group)
        )


def groups_of(conn: sa.Connection, user_key: int) -> list[str]:
    query = (
        sa.select(user_groups.c.group_name)
        .where(user_groups.c.user_key == user_key)
        .order_by(user_groups.c.group_name)
    )
    return [str(name) for name in conn.execute(query).scalars()]


# -- API tokens ----------------------------------------------------------------------------


def insert_token(
    conn: sa.Connection,
    *,
    tenant: str,
    user_key: int,
    label: str,
    token_hash: str,
    now: dt.datetime,
) -> int:
    statement = (
        sa.insert(api_tokens)
        .values(
            tenant_id=tenant, user_key=user_key, label=label, token_hash=token_hash, created_at=now
        )
        .returning(api_tokens.c.key)
    )
    return int(conn.execute(statement).scalar_one())


def token_by_hash(conn: sa.Connection, token_hash: str) -> Row | None:
    """The token with this digest, joined with its user's name (``user_name``)."""
    query = (
        sa.select(api_tokens, users.c.name.label("user_name"))
        .join(users, users.c.key == api_tokens.c.user_key)
        .where(api_tokens.c.token_hash == token_hash)
    )
    return conn.execute(query).first()


def list_tokens(conn: sa.Connection, tenant: str, user_key: int | None = None) -> list[Row]:
    query = (
        sa.select(api_tokens, users.c.name.label("user_name"))
        .join(users, users.c.key == api_tokens.c.user_key)
        .where(api_tokens.c.tenant_id == tenant)
        .order_by(api_tokens.c.key)
    )
    if user_key is not None:
        query = query.where(api_tokens.c.user_key == user_key)
    return list(conn.execute(query))


def delete_token(conn: sa.Connection, tenant: str, token_key: int) -> bool:
    result = conn.execute(
        sa.delete(api_tokens).where(api_tokens.c.tenant_id == tenant, api_tokens.c.key == token_key)
    )
    return result.rowcount > 0


# -- web sessions --------------------------------------------------------------------------


def insert_session(
    conn: sa.Connection,
    *,
    tenant: str,
    user_key: int,
    session_hash: str,
    csrf_token: str,
    now: dt.datetime,
    expires_at: dt.datetime,
) -> None:
    conn.execute(
        sa.insert(web_sessions).values(
            tenant_id=tenant,
            user_key=user_key,
            session_hash=session_hash,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
        )
    )


def session_by_hash(conn: sa.Connection, session_hash: str, now: dt.datetime) -> Row | None:
    """The unexpired session with this digest."""
    query = sa.select(web_sessions).where(
        web_sessions.c.session_hash == session_hash, web_sessions.c.expires_at > now
    )
    return conn.execute(query).first()


def delete_session(conn: sa.Connection, session_hash: str) -> None:
    conn.execute(sa.delete(web_sessions).where(web_sessions.c.session_hash == session_hash))


def delete_expired_sessions(conn: sa.Connection, now: dt.datetime) -> int:
    result = conn.execute(sa.delete(web_sessions).where(web_sessions.c.expires_at <= now))
    return result.rowcount
