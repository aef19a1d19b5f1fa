"""The secret store over HTTP, against a real ``stead serve`` on SQLite (key file) and on
PostgreSQL (STEAD_SECRET_KEY): admins set, list and delete secrets; no answer ever holds a
value; bad names and bodies are problems; other roles are refused."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from api.server import (
    SteadServer,
    server_on,
    sqlite_server,
)
from stead.secrets import SecretStore
from stead.store import open_database
from stead.store import secrets as secret_rows

KEY = base64.b64encode(bytes(range(32))).decode()
VALUE = "tok-3f9a-very-secret"
PROBLEM = "application/problem+json"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SteadServer]:
    directory = tmp_path_factory.mktemp(f"secrets-{request.param}")
    # SQLite: the key file beside the database; PostgreSQL needs the key in the environment.
    key = "" if request.param == "sqlite" else f"main:{KEY}"
    with server_on(request.param, directory, extra_env={"STEAD_SECRET_KEY": key}) as running:
        yield running


def stored_value(server: SteadServer, name: str) -> str | None:
    """The value as the connector runner would read it from the server's database."""
    database = open_database(server.database_url, poolclass=sa.NullPool)
    try:
        environ = {} if database.dialect == "sqlite" else {"STEAD_SECRET_KEY": f"main:{KEY}"}
        return SecretStore(database, environ=environ).get(name)
    finally:
        database.dispose()


def test_set_replace_list_delete_and_never_a_value(server: SteadServer) -> None:
    admin = server.admin
    created = admin.put("/api/secrets/CRM_TOKEN", json={"value": VALUE})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["name"] == "CRM_TOKEN"
    assert (body["createdBy"], body["updatedBy"]) == ("admin", "admin")
    assert set(body) == {"name", "keyId", "createdAt", "createdBy", "updatedAt", "updatedBy"}
    assert stored_value(server, "CRM_TOKEN") == VALUE

    replaced = admin.put("/api/secrets/CRM_TOKEN", json={"value": VALUE + "-2"})
    assert replaced.status_code == 200
    assert replaced.json()["createdAt"] == body["createdAt"]
    assert stored_value(server, "CRM_TOKEN") == VALUE + "-2"

    listed = admin.get("/api/secrets")
    assert listed.status_code == 200
    assert [s["name"] for s in listed.json()] == ["CRM_TOKEN"]
    for answer in (created, replaced, listed):
        assert VALUE not in answer.text

    assert admin.delete("/api/secrets/CRM_TOKEN").status_code == 204
    assert stored_value(server, "CRM_TOKEN") is None
    again = admin.delete("/api/secrets/CRM_TOKEN")
    assert again.status_code == 404
    assert again.headers["content-type"] == PROBLEM
    assert "no secret named 'CRM_TOKEN'" in again.json()["detail"]
    assert admin.get("/api/secrets").json() == []


@pytest.mark.parametrize("name", ["bad-name", "1ST", "a.b", "x" * 256])
def test_bad_names_are_problems(server: SteadServer, name: str) -> None:
    answer = server.admin.put(f"/api/secrets/{name}", json={"value": "v"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert "invalid secret name" in answer.json()["detail"]
    assert server.admin.delete(f"/api/secrets/{name}").status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "value"), ({"value": 5}, "value"), ({"value": "v", "extra": 1}, "extra")],
)
def test_bad_bodies_name_the_field_and_echo_nothing(
    server: SteadServer, body: dict[str, object], field: str
) -> None:
    answer = server.admin.put("/api/secrets/BODY_CHECK", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_an_empty_value_is_refused(server: SteadServer) -> None:
    answer = server.admin.put("/api/secrets/EMPTY", json={"value": ""})
    assert answer.status_code == 422
    assert "the value is empty" in answer.json()["detail"]


def test_only_admins_manage_secrets(server: SteadServer) -> None:
    server.admin.put("/api/secrets/ROLE_CHECK", json={"value": VALUE})
    clients: dict[str, httpx.Client] = {
        role: server.user(f"secrets-{role}", [role])
        for role in ("author", "operator", "worker", "user")
    }
    for role, client in clients.items():
        attempts = [
            client.get("/api/secrets"),
            client.put("/api/secrets/ROLE_CHECK", json={"value": "overwritten"}),
            client.delete("/api/secrets/ROLE_CHECK"),
        ]
        assert [a.status_code for a in attempts] == [403, 403, 403], role
        assert all(VALUE not in a.text for a in attempts)
        client.close()
    assert stored_value(server, "ROLE_CHECK") == VALUE


@pytest.fixture
def sqlite_only(tmp_path: Path) -> Iterator[SteadServer]:
    """A server of its own: the key file exists only next to a SQLite database."""
    with sqlite_server(tmp_path) as running:
        yield running


def test_a_broken_key_is_a_server_problem_not_a_crash(sqlite_only: SteadServer) -> None:
    server = sqlite_only
    server.admin.put("/api/secrets/KEY_CHECK", json={"value": VALUE})
    key_file = Path(sa.make_url(server.database_url).database or "").with_name(
        "stead.db.secret-key"
    )
    key_file.chmod(0o644)
    try:
        answer = server.admin.put("/api/secrets/KEY_CHECK", json={"value": "new"})
    finally:
        key_file.chmod(0o600)
    assert answer.status_code == 503
    assert answer.headers["content-type"] == PROBLEM
    assert f"chmod 600 {key_file}" in answer.json()["detail"]
    assert stored_value(server, "KEY_CHECK") == VALUE


def test_the_value_is_encrypted_in_the_database(server: SteadServer) -> None:
    server.admin.put("/api/secrets/AT_REST", json={"value": VALUE})
    engine = sa.create_engine(server.database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(secret_rows.secrets).where(secret_rows.secrets.c.name == "AT_REST")
            ).one()
    finally:
        engine.dispose()
    assert VALUE.encode() not in bytes(row.ciphertext)
    assert VALUE not in repr(tuple(row))
