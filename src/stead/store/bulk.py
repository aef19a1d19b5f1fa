"""The hot path's INSERTs run at the driver level on SQLite: the SQL is compiled once, each
value goes through its column type's own bind processor (so rows are stored exactly as
SQLAlchemy stores them), and the rows go to the driver's ``executemany`` in one call.

SQLAlchemy's per-statement and per-row handling costs several times more than SQLite's insert
itself (the dozens of history rows a command writes, the instance row, jobs, timers). On
PostgreSQL the network round trip dominates, so rows go through SQLAlchemy as usual there.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

__all__ = ["BulkInsert", "BulkStatement", "FastQuery"]

_Processor = Callable[[Any], Any] | None


class BulkInsert:
    """An INSERT of ``columns`` into ``table``, for many rows at once."""

    def __init__(self, table: sa.Table, columns: tuple[str, ...]) -> None:
        self._statement = sa.insert(table)
        self._table = table
        self._columns = columns
        self._column_set = frozenset(columns)
        # dialect name -> (SQL, one bind processor per column); built on first use
        self._prepared: dict[str, tuple[str, list[_Processor]]] = {}

    def execute(self, conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` (each with exactly the declared columns)."""
        if not rows:
            return
        dialect = conn.dialect
        if dialect.name != "sqlite" or rows[0].keys() != self._column_set:
            conn.execute(self._statement, rows)
            return
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            prepared = self._prepared[dialect.name] = self._prepare(dialect)
        sql, processors = prepared
        columns = self._columns
        converted: list[tuple[Any, ...]] = []
        # The same value (a timestamp, an actor) often repeats across rows: convert it once.
        seen: list[dict[Any, Any]] = [{} for _ in columns]
        for row in rows:
            values: list[Any] = []
            for index, column in enumerate(columns):
                value = row[column]
                process = processors[index]
                # None goes through too: a JSON column stores it as JSON null, as SQLAlchemy does.
                if process is not None:
                    cache = seen[index]
                    key = (type(value), value) if _hashable(value) else None
                    if key is not None and key in cache:
                        value = cache[key]
                    else:
                        processed = process(value)
                        if key is not None:
                            cache[key] = processed
                        value = processed
                values.append(value)
            converted.append(tuple(values))
        driver = conn.connection.dbapi_connection
        assert driver is not None
        try:
            driver.executemany(sql, converted)
        except sqlite3.Error as error:
            # As SQLAlchemy would raise it: the transaction runner retries by these types.
            raise sa.exc.DBAPIError.instance(sql, converted, error, sqlite3.Error) from error

    def _prepare(self, dialect: sa.Dialect) -> tuple[str, list[_Processor]]:
        values: dict[str, Any] = {column: sa.bindparam(column) for column in self._columns}
        compiled = sa.insert(self._table).values(values).compile(dialect=dialect)
        assert compiled.positiontup == list(self._columns), compiled.positiontup
        processors: list[_Processor] = [
            self._table.c[column].type._cached_bind_processor(dialect) for column in self._columns
        ]
        return compiled.string, processors


def _hashable(value: Any) -> bool:
    # Only immutable scalars are remembered (a dict of event data never is).
    return isinstance(value, str | int | float) or hasattr(value, "isoformat")


class BulkStatement:
    """An UPDATE or DELETE with named bind parameters, run for many parameter sets at once
    (at the driver level on SQLite, like :class:`BulkInsert`); returns the rows it changed."""

    def __init__(self, statement: sa.Update | sa.Delete) -> None:
        self._statement = statement
        # dialect name -> (SQL, per position: parameter name, fixed value, bind processor)
        self._prepared: dict[str, tuple[str, list[tuple[str, Any, _Processor]]]] = {}

    def execute(self, conn: sa.Connection, params: list[dict[str, Any]]) -> int:
        if not params:
            return 0
        dialect = conn.dialect
        if dialect.name != "sqlite":
            return int(conn.execute(self._statement, params).rowcount)
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            prepared = self._prepared[dialect.name] = self._prepare(dialect)
        sql, positions = prepared
        converted = [
            tuple(
                (given.get(name, fixed) if process is None else process(given.get(name, fixed)))
                for name, fixed, process in positions
            )
            for given in params
        ]
        driver = conn.connection.dbapi_connection
        assert driver is not None
        try:
            return int(driver.executemany(sql, converted).rowcount)
        except sqlite3.Error as error:
            raise sa.exc.DBAPIError.instance(sql, converted, error, sqlite3.Error) from error

    def _prepare(self, dialect: sa.Dialect) -> tuple[str, list[tuple[str, Any, _Processor]]]:
        compiled = self._statement.compile(dialect=dialect)
        assert compiled.positiontup is not None
        positions: list[tuple[str, Any, _Processor]] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            assert not bind.expanding, name
            process: _Processor = bind.type._cached_bind_processor(dialect)
            positions.append((name, bind.effective_value, process))
        return compiled.string, positions


class FastQuery:
    """A SELECT (or an UPDATE ... RETURNING) with named bind parameters whose rows come back
    as named tuples; run at the driver level on SQLite, like :class:`BulkInsert`. Values pass
    through the columns' own bind and result processors, so rows read exactly as through
    SQLAlchemy (``row.state`` is the decoded JSON, ``row.due_at`` a datetime)."""

    def __init__(self, statement: sa.Select[Any] | sa.Update) -> None:
        self._statement = statement
        self._prepared: dict[str, _PreparedQuery] = {}

    def all(self, conn: sa.Connection, params: dict[str, Any]) -> list[Any]:
        dialect = conn.dialect
        if dialect.name != "sqlite":
            return list(conn.execute(self._statement, params))
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            prepared = self._prepared[dialect.name] = _PreparedQuery.of(self._statement, dialect)
        values = tuple(
            given if process is None else process(given)
            for given, process in (
                (params.get(name, fixed), process) for name, fixed, process in prepared.binds
            )
        )
        driver = conn.connection.dbapi_connection
        assert driver is not None
        try:
            raw_rows = driver.execute(prepared.sql, values).fetchall()
        except sqlite3.Error as error:
            raise sa.exc.DBAPIError.instance(prepared.sql, values, error, sqlite3.Error) from error
        row_type = prepared.row_type
        processed = prepared.processed
        if not processed:
            return [tuple.__new__(row_type, raw) for raw in raw_rows]
        rows: list[Any] = []
        for raw in raw_rows:
            converted = list(raw)
            for index, process in processed:
                converted[index] = process(converted[index])
            rows.append(tuple.__new__(row_type, converted))
        return rows

    def first(self, conn: sa.Connection, params: dict[str, Any]) -> Any | None:
        rows = self.all(conn, params)
        return rows[0] if rows else None


@dataclass(frozen=True, slots=True)
class _PreparedQuery:
    sql: str
    binds: list[tuple[str, Any, _Processor]]  # per position: name, fixed value, processor
    processed: list[tuple[int, Callable[[Any], Any]]]  # result columns with a processor
    row_type: Any

    @classmethod
    def of(cls, statement: sa.Select[Any] | sa.Update, dialect: sa.Dialect) -> _PreparedQuery:
        compiled = statement.compile(dialect=dialect)
        assert compiled.positiontup is not None
        binds: list[tuple[str, Any, _Processor]] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            assert not bind.expanding, name
            binds.append((name, bind.effective_value, bind.type._cached_bind_processor(dialect)))
        names: list[str] = []
        results: list[_Processor] = []
        for column in compiled._result_columns:
            names.append(column.keyname)
            results.append(column.type._cached_result_processor(dialect, None))
        row_type = collections.namedtuple("Row", names, rename=False)  # type: ignore[misc]
        processed = [(index, p) for index, p in enumerate(results) if p is not None]
        return cls(compiled.string, binds, processed, row_type)
