"""The migrations build exactly the declared schema, and opening a database migrates it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import stead.store
from stead.store import metadata, open_database


def test_migrating_an_empty_database_yields_the_declared_schema(database_url: str) -> None:
    database = open_database(database_url)
    try:
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        database.dispose()
    assert differences == []


def test_opening_twice_keeps_the_schema_at_the_newest_version(database_url: str) -> None:
    open_database(database_url).dispose()
    database = open_database(database_url)
    try:
        with database.read() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    finally:
        database.dispose()
    scripts = ScriptDirectory(str(Path(stead.store.__file__).with_name("migrations")))
    assert versions == [(scripts.get_current_head(),)]


def test_sqlite_database_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    database = open_database(f"sqlite:///{tmp_path}/nested/dir/stead.db")
    try:
        with database.read() as conn:
            journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    finally:
        database.dispose()
    assert (journal, foreign_keys) == ("wal", 1)
