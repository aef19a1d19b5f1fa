"""The SQL connector: one parameterised statement against a PostgreSQL or SQLite database, its
rows returned as JSON."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import math
import threading
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from stead.connectors.api import (
    Connector,
    ConnectorCall,
    ConnectorContract,
    InputError,
    JsonObject,
    PermanentError,
    TransientError,
)

__all__ = ["SqlConnector", "json_safe"]

_CONNECT_TIMEOUT = 10  # seconds a PostgreSQL connection attempt may take
# PostgreSQL SQLSTATEs worth retrying: connection trouble (class 08), resources (53), the
# server shutting down or starting (57P0x), and lost races (serialization, deadlock, lock).
_TRANSIENT_CLASSES = ("08", "53", "57P")
_TRANSIENT_STATES = {"40001", "40P01", "55P03"}
# Connection failures psycopg reports without a SQLSTATE that retrying cannot fix.
_PERMANENT_CONNECT = (
    "does not exist",
    "password authentication failed",
    "no pg_hba.conf entry",
    "authentication failed",
)

_INPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["connection", "query"],
    "properties": {
        "connection": {
            "type": "string",
            "title": "Database connection",
            "description": "The database URL, e.g. postgresql://user:password@host:5432/crm "
            "or sqlite:///data/crm.db (PostgreSQL and SQLite only), usually kept in a secret: "
            "{{secrets.CRM_DB_URL}}.",
            "x-group": "connection",
            "x-secret": True,
        },
        "query": {
            "type": "string",
            "minLength": 1,
            "title": "SQL statement",
            "description": "One statement with named placeholders, e.g. SELECT name FROM "
            "customers WHERE id = :customerId. Values are never pasted into the text.",
            "x-group": "statement",
            "x-multiline": True,
        },
        "parameters": {
            "type": ["object", "null"],
            "default": {},
            "title": "Parameters",
            "description": "A context with a value for each :placeholder, e.g. "
            "{customerId: customer.id}: a string, number, boolean or null; a list fills "
            "IN :ids. Other entries are ignored.",
            "x-group": "statement",
            "x-feel": "required",
        },
        "mode": {
            "type": "string",
            "enum": ["query", "execute"],
            "default": "query",
            "title": "Mode",
            "description": "query: return the rows the statement gives (SELECT, or INSERT/"
            "UPDATE ... RETURNING); execute: return only how many rows it changed.",
            "x-group": "statement",
        },
        "maxRows": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000,
            "default": 1000,
            "title": "Maximum rows",
            "description": "More rows than this is an error, not a silent cut: add a LIMIT.",
            "x-group": "statement",
            "x-condition": {"property": "mode", "equals": "query"},
        },
    },
}

_OUTPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["rows", "rowCount", "columns"],
    "properties": {
        "rows": {
            "type": "array",
            "items": {"type": "object"},
            "description": "One context per row, by column name (query mode).",
        },
        "rowCount": {
            "type": "integer",
            "description": "Rows returned (query) or changed (execute; -1 when unknown).",
        },
        "columns": {"type": "array", "items": {"type": "string"}},
    },
}


class SqlConnector(Connector):
    """Runs one statement per call in its own transaction; engines are kept per database."""

    contract = ConnectorContract(
        id="stead:sql",
        version=1,
        name="SQL query",
        description="Run a parameterised SQL statement against a PostgreSQL or SQLite "
        "database and map its rows to variables.",
        input_schema=_INPUT_SCHEMA,
        output_schema=_OUTPUT_SCHEMA,
        groups=(("connection", "Connection"), ("statement", "Statement")),
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engines: dict[str, sa.Engine] = {}

    def run(self, call: ConnectorCall) -> JsonObject:
        inputs = call.inputs
        engine = self._engine(str(inputs["connection"]))
        statement = _statement(str(inputs["query"]), inputs.get("parameters") or {})
        parameters = dict(inputs.get("parameters") or {})
        mode = inputs.get("mode", "query")
        max_rows = int(inputs.get("maxRows", 1000))
        try:
            with engine.begin() as connection:
                _limit_duration(connection, call.deadline)
                result = connection.execute(statement, parameters)
                if mode == "execute":
                    return {"rows": [], "rowCount": result.rowcount, "columns": []}
                return _rows(result, max_rows)
        except sa.exc.DBAPIError as error:
            raise _classified(error) from None
        except sa.exc.TimeoutError:
            raise TransientError("no database connection was free in time") from None

    def close(self) -> None:
        """Close every pooled connection; the next call opens new ones."""
        with self._lock:
            engines, self._engines = list(self._engines.values()), {}
        for engine in engines:
            engine.dispose()

    def _engine(self, connection: str) -> sa.Engine:
        url = _database_url(connection)
        key = url.render_as_string(hide_password=False)
        with self._lock:
            engine = self._engines.get(key)
            if engine is None:
                options: dict[str, Any] = {"pool_pre_ping": True}
                if url.get_backend_name() == "postgresql":
                    options["connect_args"] = {"connect_timeout": _CONNECT_TIMEOUT}
                engine = self._engines[key] = sa.create_engine(url, **options)
            return engine


def _database_url(connection: str) -> sa.URL:
    # The URL usually holds a password: no message here quotes it.
    if "://" not in connection:
        raise InputError(
            "connection",
            "expected a database URL such as postgresql://host/db or sqlite:///file.db "
            "(usually a secret: {{secrets.CRM_DB_URL}})",
        )
    try:
        url = sa.make_url(connection)
    except (sa.exc.ArgumentError, ValueError):
        raise InputError("connection", "is not a valid database URL") from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")  # the driver Stead ships
    if backend == "sqlite" and driver in ("", "pysqlite"):
        path = url.database or ""
        if path in ("", ":memory:") or path.startswith("file:"):
            return url
        # Open an existing file only: a mistyped path must fail, not create an empty database.
        return url.set(database=f"file:{path}", query={**url.query, "mode": "rw", "uri": "true"})
    raise InputError(
        "connection", f"only PostgreSQL and SQLite databases are supported, not {backend!r}"
    )


def _statement(query: str, parameters: Mapping[str, Any]) -> sa.TextClause:
    statement = sa.text(query)
    used = statement.compile().params
    for name in used:
        if name not in parameters:
            raise InputError(
                "parameters", f"the statement uses :{name} but parameters has no {name!r}"
            )
        if isinstance(parameters[name], dict):
            raise InputError(f"parameters.{name}", "must be a string, number, boolean or list")
    lists = [name for name in used if isinstance(parameters[name], list)]
    # A list becomes one placeholder per item, so "IN :ids" works on every database.
    return statement.bindparams(*(sa.bindparam(name, expanding=True) for name in lists))


def _limit_duration(connection: sa.Connection, deadline: dt.datetime) -> None:
    # A statement must not outlive the job's lease: then another executor takes the job over.
    if connection.dialect.name != "postgresql":
        return
    remaining = (deadline - dt.datetime.now(dt.UTC)).total_seconds()
    milliseconds = max(1000, int(remaining * 1000))
    connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")


def _rows(result: sa.CursorResult[Any], max_rows: int) -> JsonObject:
    if not result.returns_rows:
        raise InputError(
            "mode", "the statement returns no rows; use mode 'execute' for INSERT, UPDATE, DELETE"
        )
    columns = list(result.keys())
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise InputError("query", f"column {duplicates[0]!r} appears twice; give it an alias")
    fetched = result.fetchmany(max_rows + 1)
    if len(fetched) > max_rows:
        # Raised inside the transaction, so an INSERT ... RETURNING is rolled back too.
        raise InputError(
            "maxRows",
            f"the statement gives more than {max_rows} rows; "
            "add a LIMIT to the query or raise maxRows",
        )
    rows = [
        {name: json_safe(value) for name, value in zip(columns, row, strict=True)}
        for row in fetched
    ]
    return {"rows": rows, "rowCount": len(rows), "columns": columns}


def json_safe(value: Any) -> Any:
    """A database value as JSON: exact numbers, times and identifiers become strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)  # as text: a float would lose digits
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return str(value)


def _duration(value: dt.timedelta) -> str:
    """ISO 8601, the form FEEL's duration() reads: P1DT2H3M4.5S."""
    sign = "-" if value < dt.timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    fraction = f"{seconds + value.microseconds / 1_000_000:g}"
    return f"{sign}P{value.days}DT{hours}H{minutes}M{fraction}S"


def _classified(error: sa.exc.DBAPIError) -> TransientError | PermanentError:
    original = error.orig
    message = " ".join(str(original).split()) if original is not None else str(error)
    state = getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
    output = {"code": state, "message": message}  # errorExpression may map a code to an error
    if _transient(error, state, message):
        return TransientError(f"database: {message}", output=output)
    if state == "57014":
        message = f"{message} (the statement ran past the job's lease)"
    elif state == "SQLITE_CANTOPEN":
        message = f"{message} (does the file exist, and may Stead read and write it?)"
    return PermanentError(f"database: {message}", output=output)


def _transient(error: sa.exc.DBAPIError, state: str | None, message: str) -> bool:
    if error.connection_invalidated:
        return True
    if state in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return True
    if state is not None and not state.startswith("SQLITE_"):
        return state in _TRANSIENT_STATES or state.startswith(_TRANSIENT_CLASSES)
    if isinstance(error, sa.exc.OperationalError) and state is None:
        # A connection that failed: the server may be restarting, unless it said who we are
        # or what we asked for is wrong.
        return not any(text in message for text in _PERMANENT_CONNECT)
    return False
