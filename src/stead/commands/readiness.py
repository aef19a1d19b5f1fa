"""Readiness: the database answers and its schema is at the newest migration Stead ships."""

from __future__ import annotations

import functools
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

import stead.store
from stead.commands.resources import Readiness
from stead.store import Database

__all__ = ["readiness", "schema_head"]

_MIGRATIONS = Path(stead.store.__file__).with_name("migrations")


@functools.cache
def schema_head() -> str:
    """The newest migration's revision: the schema version this Stead expects."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())


def readiness(database: Database) -> Readiness:
    """Never raises: an unreachable database is an answer ("not ready"), not an error."""
    expected = schema_head()
    try:
        with database.read() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version"))
            current = [str(v) for v in versions.scalars()]
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return Readiness(
            ready=False,
            database=f"unreachable: {reason}",
            schema_version=None,
            expected_schema_version=expected,
        )
    version = current[0] if len(current) == 1 else None
    return Readiness(
        ready=version == expected,
        database="reachable",
        schema_version=version,
        expected_schema_version=expected,
    )
