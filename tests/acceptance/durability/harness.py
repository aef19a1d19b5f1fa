"""Running ``stead`` processes for the durability tests (started, killed, stopped, logged) and
reading what they left in the database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from durability import ledger
from stead.runtime import Runtime
from stead.store.schema import history, instances, jobs, timers, waiting_tokens

__all__ = [
    "HANDLERS",
    "MODELS",
    "SteadProcesses",
    "admin_connection",
    "completed_elements",
    "count_instances",
    "job_states",
    "leased_jobs",
    "leftover_work",
    "postgres_database",
    "wait_for",
]

HERE = Path(__file__).parent
MODELS = HERE / "models"
HANDLERS = HERE / "handlers.py"
STEAD = [sys.executable, "-m", "stead.cli"]
# The server the PostgreSQL tests use (as in tests/conftest.py); any database on it works here.
POSTGRES_ADMIN = (
    sa.make_url(
        os.environ.get(
            "STEAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
    )
    .set(drivername="postgresql")
    .render_as_string(hide_password=False)
)


def wait_for(
    check: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    interval: float = 0.2,
    context: Callable[[], str] | None = None,
    tolerate: tuple[type[Exception], ...] = (),
) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` (and showing
    ``context()``, e.g. a process's log) otherwise. Errors in ``tolerate`` count as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except tolerate:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f"\n{context()[-4000:]}" if context else ""
            raise AssertionError(f"not reached within {timeout:.0f}s: {what}{detail}")
        time.sleep(interval)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SteadProcess:
    """One long-running ``stead`` command and the file its output goes to."""

    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        def ready() -> bool:
            if self.popen.poll() is not None:
                raise AssertionError(f"stead exited early:\n{self.output()}")
            text = self.output()
            return "stead: serving" in text or "stead: worker handling" in text

        wait_for(ready, timeout=timeout, what=f"stead ready ({self.log.name})")

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed, leases stay held."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> int:
        """SIGTERM, then the exit status of the graceful stop."""
        self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=60)


@dataclass
class SteadProcesses:
    """Starts ``stead`` commands on one database with one execution ledger."""

    database_url: str
    ledger_path: Path
    logs: Path
    started: list[SteadProcess] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("STEAD_DEBUG", None)
        env["STEAD_DATABASE_URL"] = self.database_url
        env["STEAD_ADMIN_PASSWORD"] = "durability-admin-password"
        env[ledger.LEDGER_ENV] = str(self.ledger_path)
        # The handler file imports the ledger module from the package next to it.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(HERE.parent), env.get("PYTHONPATH")) if p
        )
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*STEAD, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and done.returncode != 0:
            raise AssertionError(f"stead {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def spawn(self, *args: str, extra_env: dict[str, str] | None = None) -> SteadProcess:
        log = self.logs / f"stead-{len(self.started)}-{args[0]}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [*STEAD, *args],
                env={**self.env, **(extra_env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        process = SteadProcess(popen, log)
        self.started.append(process)
        return process

    def serve(
        self, *, lock_duration: str | None = None, extra_env: dict[str, str] | None = None
    ) -> SteadProcess:
        """``stead serve`` running the test handlers, its HTTP API on a free port."""
        lease = ("--lock-duration", lock_duration) if lock_duration else ()
        port = str(_free_port())
        return self.spawn(
            "serve", "--port", port, "--worker", str(HANDLERS), *lease, extra_env=extra_env
        )

    def kill_leftovers(self) -> None:
        for process in self.started:
            if process.popen.poll() is None:
                process.popen.kill()
                process.popen.wait(timeout=30)


def admin_connection() -> psycopg.Connection[Any]:
    """An autocommit connection to the PostgreSQL server, for CREATE/ALTER/DROP DATABASE."""
    return psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards), as a Stead URL.
    Skipped when the server is unreachable, except with ``CI=true``, where that fails."""
    try:
        admin = admin_connection()
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_ADMIN} is unreachable: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"stead_dur_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = sa.make_url(POSTGRES_ADMIN).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(runtime: Runtime, query: sa.Select[Any]) -> list[sa.Row[Any]]:
    with runtime.database.read() as conn:
        return list(conn.execute(query))


def count_instances(runtime: Runtime, status: str) -> int:
    query = sa.select(sa.func.count()).select_from(instances).where(instances.c.status == status)
    with runtime.database.read() as conn:
        return int(conn.execute(query).scalar_one())


def job_states(runtime: Runtime) -> Counter[str]:
    query = sa.select(jobs.c.state, sa.func.count()).group_by(jobs.c.state)
    return Counter({state: int(n) for state, n in _rows(runtime, query)})


def leased_jobs(runtime: Runtime) -> dict[int, str]:
    """Jobs a worker holds right now (activated, lease not given back): key -> lease owner."""
    query = sa.select(jobs.c.key, jobs.c.lease_owner).where(jobs.c.state == "activated")
    return {int(key): str(owner) for key, owner in _rows(runtime, query)}


def completed_elements(runtime: Runtime) -> Counter[tuple[str, str]]:
    """How often each (instance, element) was completed, from the history."""
    query = (
        sa.select(history.c.instance_id, history.c.element_id, sa.func.count())
        .where(history.c.event == "element.completed")
        .group_by(history.c.instance_id, history.c.element_id)
    )
    return Counter({(i, e): int(n) for i, e, n in _rows(runtime, query)})


def leftover_work(runtime: Runtime) -> dict[str, int]:
    """Rows that would mean something is still pending: waiting tokens and timers."""
    with runtime.database.read() as conn:
        return {
            table.name: int(
                conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for table in (waiting_tokens, timers)
        }
