"""Starting a real ``stead serve`` subprocess on a free port, on a SQLite file or a fresh
PostgreSQL database, and talking to it over HTTP as an admin or as users of each role."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get(
    "STEAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ADMIN_PASSWORD = "admin-password-for-tests"
STARTUP_TIMEOUT = 90.0  # importing Stead on a busy two-core machine can take a while


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SteadServer:
    """One running ``stead serve``; ``admin`` is an HTTP client signed in as the admin."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    database_url: str
    admin: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.admin = self.client(auth=("admin", ADMIN_PASSWORD))

    def client(self, **options: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30.0, **options)  # type: ignore[arg-type]

    def user(self, name: str, roles: list[str], groups: tuple[str, ...] = ()) -> httpx.Client:
        """A client authenticated with a new API token of a new user."""
        created = self.admin.post(
            "/api/users",
            json={
                "name": name,
                "roles": roles,
                "groups": list(groups),
                "password": f"{name}-password",
            },
        )
        assert created.status_code == 201, created.text
        token = self.admin.post(f"/api/users/{name}/tokens", json={"label": "tests"})
        assert token.status_code == 201, token.text
        return self.client(headers={"Authorization": f"Bearer {token.json()['token']}"})

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"stead serve exited early:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"stead serve did not become healthy:\n{self.log.read_text()}")

    def stop(self) -> int:
        """SIGTERM, as a service manager would; returns the exit code."""
        self.admin.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return int(self.process.returncode)


def start_server(
    database_url: str, directory: Path, *, extra_env: dict[str, str] | None = None
) -> SteadServer:
    port = free_port()
    env = dict(os.environ)
    env.pop("STEAD_DEBUG", None)
    env.update({"STEAD_ADMIN_PASSWORD": ADMIN_PASSWORD, **(extra_env or {})})
    log = directory / f"serve-{port}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "stead.cli", "--db", database_url, "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=out,
        )
    server = SteadServer(process, f"http://127.0.0.1:{port}", log, database_url)
    server.wait_until_healthy()
    return server


def _admin_engine() -> sa.Engine:
    return sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)


def create_postgres_database() -> str:
    """A new, empty database on the test server (skips, or fails on CI, when unreachable)."""
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            name = f"stead_api_{uuid.uuid4().hex[:12]}"
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {error.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    finally:
        admin.dispose()
    return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = sa.make_url(url).database
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def sqlite_server(directory: Path, **options: Any) -> Iterator[SteadServer]:
    """A ``stead serve`` on a new SQLite file in ``directory``, stopped (cleanly) afterwards."""
    running = start_server(f"sqlite:///{directory / 'stead.db'}", directory, **options)
    try:
        yield running
    finally:
        assert running.stop() == 0, running.log.read_text()


@contextmanager
def server_on(
    store: str, directory: Path, *, extra_env: dict[str, str] | None = None
) -> Iterator[SteadServer]:
    """A ``stead serve`` on a new SQLite file (``store`` "sqlite") or a new PostgreSQL
    database (dropped afterwards), stopped cleanly at the end."""
    if store == "sqlite":
        with sqlite_server(directory, extra_env=extra_env) as running:
            yield running
        return
    url = create_postgres_database()
    try:
        running = start_server(url, directory, extra_env=extra_env)
        try:
            yield running
        finally:
            assert running.stop() == 0, running.log.read_text()
    finally:
        drop_postgres_database(url)
