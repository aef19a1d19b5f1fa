"""Opening a Stead database (SQLite file or PostgreSQL URL), its connection settings and
transactions, with the schema migrated to the newest version on open."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from stead.store import json_text

__all__ = ["Database", "default_database_url", "migrate", "open_database", "sqlite_synchronous"]

_MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: serialises concurrent migrations of one PostgreSQL database.
_MIGRATION_LOCK_ID = 0x5EAD


def default_database_url(
    db: str | None = None, data_dir: str | os.PathLike[str] | None = None
) -> str:
    """The database to use: ``db`` if given, else ``STEAD_DATABASE_URL``, else the SQLite file
    ``stead.db`` in ``data_dir`` (or ``STEAD_DATA_DIR``, or ``./data``)."""
    if db:
        return db
    from_env = os.environ.get("STEAD_DATABASE_URL")
    if from_env:
        return from_env
    directory = Path(data_dir or os.environ.get("STEAD_DATA_DIR") or "data")
    return f"sqlite:///{directory / 'stead.db'}"


class Database:
    """An SQLAlchemy engine plus Stead's transaction rules for it.

    On SQLite every writing transaction starts with ``BEGIN IMMEDIATE``: it takes the single
    write lock up front (waiting up to ``busy_timeout``) instead of failing when a read
    snapshot turns out to be stale at the first write.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """A writing transaction: committed when the block ends, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read-only transaction (on SQLite it does not take the write lock)."""
        with self.engine.connect().execution_options(stead_read_only=True) as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def sqlite_synchronous() -> str:
    """How SQLite syncs commits: ``FULL`` (the default: a committed command survives a power
    failure, as on PostgreSQL) or ``NORMAL`` (survives a crash of Stead but may lose the last
    commits if the machine loses power; about ten times faster per commit), from
    ``STEAD_SQLITE_SYNCHRONOUS``."""
    chosen = os.environ.get("STEAD_SQLITE_SYNCHRONOUS", "full").strip().upper()
    if chosen not in ("FULL", "NORMAL"):
        raise ValueError(f"STEAD_SQLITE_SYNCHRONOUS must be full or normal, not {chosen.lower()!r}")
    return chosen


def _configure_sqlite(engine: sa.Engine, *, synchronous: str) -> None:

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN below be the only transaction control.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        read_only = conn.get_execution_options().get("stead_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def migrate(database: Database) -> None:
    """Bring the schema to the newest migration (creating it in an empty database)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with database.transaction() as conn:
        if database.is_postgres:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_database(
    url: str | None = None, *, apply_migrations: bool = True, **engine_options: Any
) -> Database:
    """Open (and by default migrate) the database at ``url`` (see :func:`default_database_url`)."""
    url = default_database_url(url)
    parsed = sa.engine.make_url(url)
    # Reading stays with the standard library: orjson turns integers beyond 64 bits into
    # floats, and a stored value must come back exactly.
    engine_options.setdefault("json_serializer", json_text.dumps)
    if parsed.get_backend_name() == "sqlite":
        synchronous = sqlite_synchronous()
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, **engine_options)
        _configure_sqlite(engine, synchronous=synchronous)
    elif parsed.get_backend_name() == "postgresql":
        if "poolclass" not in engine_options:
            engine_options.setdefault("pool_size", 10)
            engine_options.setdefault("max_overflow", 20)
        # No pre-ping (a round trip per transaction): a dropped connection fails its
        # transaction, which the runtime retries on a fresh one.
        engine_options.setdefault("pool_recycle", 1800)
        engine = sa.create_engine(parsed, **engine_options)
    else:
        raise ValueError(
            f"unsupported database URL {url!r}: use sqlite:/// or postgresql+psycopg://"
        )
    database = Database(engine)
    if apply_migrations:
        migrate(database)
    return database
