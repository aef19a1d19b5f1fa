"""Fixtures for the HTTP API tests: one ``stead serve`` per test module on each database
(a SQLite file, and a fresh PostgreSQL database), shared by the tests of that module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.server import SteadServer, create_postgres_database, drop_postgres_database, start_server


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def stead_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SteadServer]:
    """A running server on each kind of database."""
    yield from _serve(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SteadServer]:
    """A running server on SQLite, for tests that do not depend on the database."""
    yield from _serve("sqlite", tmp_path_factory)


def _serve(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SteadServer]:
    directory = tmp_path_factory.mktemp(f"serve-{kind}")
    url = f"sqlite:///{directory / 'stead.db'}" if kind == "sqlite" else create_postgres_database()
    server = start_server(url, directory)
    try:
        yield server
    finally:
        code = server.stop()
        if kind == "postgres":
            drop_postgres_database(url)
        assert code == 0, f"stead serve exited with {code}:\n{server.log.read_text()}"
