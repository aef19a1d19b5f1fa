"""The side table every job handler execution is written to before the handler returns.

It is an SQLite file of its own, committed per execution, so it survives a SIGKILL of the
process that ran the handler: the tests count from it how often each job really ran, which the
engine's own tables cannot tell (a handler that ran but whose result was never committed
leaves no trace there).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from stead.runtime import ActivatedJob

__all__ = ["LEDGER_ENV", "Execution", "executions", "record", "runs_per_job"]

LEDGER_ENV = "STEAD_DURABILITY_LEDGER"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS executions (
    seq INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    instance_id TEXT NOT NULL,
    element_id TEXT NOT NULL,
    worker TEXT NOT NULL,
    at REAL NOT NULL
)
"""

_connections = threading.local()


@dataclass(frozen=True)
class Execution:
    """One run of a handler: which job, of which instance and element, by which worker, when
    (seconds since the epoch)."""

    job_id: int
    instance_id: str
    element_id: str
    worker: str
    at: float


def _connect(path: str | Path) -> sqlite3.Connection:
    # Autocommit: every INSERT is its own committed transaction. WAL with synchronous=NORMAL
    # keeps committed rows through a crash of the writing process.
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(_SCHEMA)
    return conn


def record(path: str | Path, job: ActivatedJob) -> None:
    """Append one execution of ``job`` (a connection per thread, kept open for speed)."""
    conn: sqlite3.Connection | None = getattr(_connections, "conn", None)
    if conn is None:
        conn = _connections.conn = _connect(path)
    conn.execute(
        "INSERT INTO executions (job_id, instance_id, element_id, worker, at)"
        " VALUES (?, ?, ?, ?, ?)",
        (job.id, job.instance_id, job.element_id, job.worker, time.time()),
    )


def executions(path: str | Path) -> list[Execution]:
    """Every execution recorded so far, oldest first (empty if nothing ran yet)."""
    if not Path(path).exists():
        return []
    conn = _connect(path)
    try:
        rows = conn.execute(
            "SELECT job_id, instance_id, element_id, worker, at FROM executions ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()
    return [Execution(*row) for row in rows]


def runs_per_job(found: list[Execution]) -> Counter[int]:
    return Counter(execution.job_id for execution in found)
