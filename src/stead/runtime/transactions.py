"""Running a unit of work in a transaction, retried with jitter when it loses a race."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from stead.runtime.definitions import DefinitionCache
from stead.runtime.errors import ConflictError
from stead.runtime.retry import conflict_pause
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.wakeup import NOTIFY_CHANNEL, WakeUp
from stead.store import ConcurrencyConflictError, Database

__all__ = ["TransactionRunner"]

T = TypeVar("T")

# PostgreSQL: deadlock detected, serialization failure. SQLite: the write lock timed out.
_RETRYABLE_SQLSTATES = {"40P01", "40001"}


def _is_retryable(error: sa.exc.DBAPIError) -> bool:
    if error.connection_invalidated:
        return True  # the server closed an idle pooled connection
    if isinstance(error, sa.exc.IntegrityError):
        # Two transactions inserted the same unique key (idempotency key, definition version):
        # the retry finds the winner's row.
        return True
    if getattr(error.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(error.orig)


class TransactionRunner:
    """Runs ``work(uow)`` in one transaction, flushes the unit of work, commits, and tries
    again from a fresh load when an optimistic lock or a unique key was lost."""

    def __init__(
        self,
        database: Database,
        definitions: DefinitionCache,
        *,
        tenant: str,
        clock: Callable[[], dt.datetime],
        wakeup: WakeUp,
        rng: random.Random,
        max_attempts: int = 8,
    ) -> None:
        self.database = database
        self.definitions = definitions
        self.tenant = tenant
        self.clock = clock
        self.wakeup = wakeup
        self.rng = rng
        self.max_attempts = max_attempts
        self.conflicts = 0  # how many times a transaction was retried
        self._before_write: Callable[[sa.Connection], None] | None = None

    def on_next_write(self, hook: Callable[[sa.Connection], None]) -> None:
        """Run ``hook`` once, inside the next unit of work just before it writes instance
        states (failure-injection point for tests of the optimistic lock)."""
        self._before_write = hook

    def run(self, work: Callable[[UnitOfWork], T]) -> T:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self._attempt(work)
            except (ConcurrencyConflictError, sa.exc.DBAPIError) as error:
                if isinstance(error, sa.exc.DBAPIError) and not _is_retryable(error):
                    raise
                if attempt == self.max_attempts:
                    raise ConflictError(f"gave up after {attempt} conflicting attempts") from error
                self.conflicts += 1
                time.sleep(conflict_pause(attempt, self.rng))
        raise AssertionError("unreachable")

    def _attempt(self, work: Callable[[UnitOfWork], T]) -> T:
        with self.database.transaction() as conn:
            uow = UnitOfWork(conn, self.tenant, self.clock(), self.definitions)
            uow.before_write, self._before_write = self._before_write, None
            result = work(uow)
            uow.flush()
            if uow.created_work and self.database.is_postgres:
                conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, "")))
        if uow.created_work:
            self.wakeup.notify()
        return result
