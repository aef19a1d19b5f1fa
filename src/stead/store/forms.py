"""Table and SQL for deployed forms (form-js JSON schemas that user tasks name by form id),
versioned like process definitions: unchanged content keeps its version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from stead.store.schema import Key, UtcDateTime, metadata

__all__ = ["forms", "insert_version", "latest", "latest_versions"]

Row = sa.Row[Any]

forms = sa.Table(
    "forms",
    metadata,
    sa.Column("key", Key, primary_key=True, autoincrement=True),
    sa.Column("tenant_id", sa.String(64), nullable=False, server_default=sa.text("'<default>'")),
    sa.Column("form_id", sa.String(255), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("resource_name", sa.String(1024), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("deployed_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("tenant_id", "form_id", "version"),
)


def latest(conn: sa.Connection, tenant: str, form_id: str) -> Row | None:
    """The newest version of a form, or None when it was never deployed."""
    query = (
        sa.select(forms)
        .where(forms.c.tenant_id == tenant, forms.c.form_id == form_id)
        .order_by(forms.c.version.desc())
        .limit(1)
    )
    return conn.execute(query).first()


def latest_versions(conn: sa.Connection, tenant: str) -> list[Row]:
    newest = (
        sa.select(forms.c.form_id, sa.func.max(forms.c.version).label("version"))
        .where(forms.c.tenant_id == tenant)
        .group_by(forms.c.form_id)
        .subquery()
    )
    query = (
        sa.select(forms)
        .join(
            newest,
            sa.and_(forms.c.form_id == newest.c.form_id, forms.c.version == newest.c.version),
        )
        .where(forms.c.tenant_id == tenant)
        .order_by(forms.c.form_id)
    )
    return list(conn.execute(query))


def insert_version(
    conn: sa.Connection,
    *,
    tenant: str,
    form_id: str,
    version: int,
    content_hash: str,
    resource_name: str,
    source: str,
    now: dt.datetime,
) -> Row:
    statement = (
        sa.insert(forms)
        .values(
            tenant_id=tenant,
            form_id=form_id,
            version=version,
            content_hash=content_hash,
            resource_name=resource_name,
            source=source,
            deployed_at=now,
        )
        .returning(*forms.c)
    )
    return conn.execute(statement).one()
