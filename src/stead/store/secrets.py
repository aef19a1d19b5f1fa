"""Table and SQL for the secret store: one encrypted value per secret name and tenant, with the
id of the key that encrypted it (``stead.secrets`` does the encryption; no plaintext here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.schema import Key, UtcDateTime, metadata

__all__ = ["delete", "get", "list_all", "list_with_values", "replace_value", "secrets", "upsert"]

Row = sa.Row[Any]

secrets = sa.Table(
    "secrets",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    sa.Column("tenant_id", sa.String(64), nullable=False, server_default=sa.text("'<default>'")),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("key_id", sa.String(64), nullable=False),  # which key encrypted the value
    sa.Column("nonce", sa.LargeBinary, nullable=False),
    sa.Column("ciphertext", sa.LargeBinary, nullable=False),  # AES-GCM, tag included
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(255), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("updated_by", sa.String(255), nullable=False),
    sa.UniqueConstraint("tenant_id", "name"),
)

_METADATA = (
    secrets.c.name,
    secrets.c.key_id,
    secrets.c.created_at,
    secrets.c.created_by,
    secrets.c.updated_at,
    secrets.c.updated_by,
)


def get(conn: sa.Connection, tenant: str, name: str) -> Row | None:
    """The secret's row, ciphertext included, or None."""
    query = sa.select(secrets).where(secrets.c.tenant_id == tenant, secrets.c.name == name)
    return conn.execute(query).first()


def list_all(conn: sa.Connection, tenant: str) -> list[Row]:
    """Every secret's name and metadata (never the ciphertext), by name."""
    query = sa.select(*_METADATA).where(secrets.c.tenant_id == tenant).order_by(secrets.c.name)
    return list(conn.execute(query))


def list_with_values(conn: sa.Connection, tenant: str) -> list[Row]:
    """Every secret's full row, for re-encrypting under a new key."""
    query = sa.select(secrets).where(secrets.c.tenant_id == tenant).order_by(secrets.c.name)
    return list(conn.execute(query))


def upsert(
    conn: sa.Connection,
    *,
    tenant: str,
    name: str,
    key_id: str,
    nonce: bytes,
    ciphertext: bytes,
    actor: str,
    now: dt.datetime,
) -> tuple[Row, bool]:
    """Create the secret or replace its value; return its metadata and whether it is new.

    The caller's transaction serialises writers (SQLite's single writer; on PostgreSQL a race
    between two first writes of one name fails on the unique key and the caller retries)."""
    existing = conn.execute(
        sa.select(secrets.c.key)
        .where(secrets.c.tenant_id == tenant, secrets.c.name == name)
        .with_for_update()
    ).first()
    values = {"key_id": key_id, "nonce": nonce, "ciphertext": ciphertext}
    if existing is None:
        statement: Any = (
            sa.insert(secrets)
            .values(
                tenant_id=tenant,
                name=name,
                created_at=now,
                created_by=actor,
                updated_at=now,
                updated_by=actor,
                **values,
            )
            .returning(*_METADATA)
        )
    else:
        statement = (
            sa.update(secrets)
            .where(secrets.c.key == existing.key)
            .values(updated_at=now, updated_by=actor, **values)
            .returning(*_METADATA)
        )
    return conn.execute(statement).one(), existing is None


def replace_value(
    conn: sa.Connection, row_key: int, *, key_id: str, nonce: bytes, ciphertext: bytes
) -> None:
    """Store a value re-encrypted under another key; the metadata users see is unchanged."""
    conn.execute(
        sa.update(secrets)
        .where(secrets.c.key == row_key)
        .values(key_id=key_id, nonce=nonce, ciphertext=ciphertext)
    )


def delete(conn: sa.Connection, tenant: str, name: str) -> bool:
    """Delete the secret; False when there was none."""
    result = conn.execute(
        sa.delete(secrets).where(secrets.c.tenant_id == tenant, secrets.c.name == name)
    )
    return result.rowcount > 0
