"""Shared fixtures: a Stead database on SQLite (a temporary file) and on PostgreSQL (a fresh
database per test, cloned from a migrated template), a runtime on it, and a clock tests move.

PostgreSQL is the server at ``STEAD_TEST_POSTGRES_URL``; when it is unreachable its tests are
skipped, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from manual_clock import ManualClock

from stead.runtime import Runtime
from stead.store import open_database

POSTGRES_URL = os.environ.get(
    "STEAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _admin_engine() -> sa.Engine:
    return sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)


def _database_url(name: str) -> str:
    return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated database that each PostgreSQL test clones (CREATE DATABASE ... TEMPLATE)."""
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {error.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"stead_template_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database = open_database(_database_url(name), poolclass=sa.NullPool)
    database.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def _fresh_postgres_database(template: str) -> Iterator[str]:
    name = f"stead_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        # FILE_COPY (PostgreSQL 15+) clones a small template faster than the WAL_LOG default.
        version = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
        strategy = " STRATEGY FILE_COPY" if int(version) >= 150000 else ""
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{strategy}'))
    try:
        yield _database_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated Stead database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'stead.db'}"
        return
    with _fresh_postgres_database(request.getfixturevalue("postgres_template")) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, for behaviour only PostgreSQL has."""
    with _fresh_postgres_database(postgres_template) as url:
        yield url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def runtime(database_url: str, clock: ManualClock) -> Iterator[Runtime]:
    stead = Runtime.open(database_url, clock=clock)
    yield stead
    stead.close()
