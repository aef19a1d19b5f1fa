"""Stead's persistence: schema, migrations and the SQL of every aggregate, on SQLite and
PostgreSQL. One module per aggregate; each function runs inside a transaction it is given."""

# The account, callback, form and secret tables live in their own modules; importing them
# registers them on ``metadata``, which the migrations must match.
from stead.store import auth, callbacks, forms, secrets  # noqa: F401
from stead.store.database import Database, default_database_url, migrate, open_database
from stead.store.errors import ConcurrencyConflictError
from stead.store.schema import DEFAULT_TENANT, metadata

__all__ = [
    "DEFAULT_TENANT",
    "ConcurrencyConflictError",
    "Database",
    "default_database_url",
    "metadata",
    "migrate",
    "open_database",
]
