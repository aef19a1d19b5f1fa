"""The SQL connector against real databases: a SQLite file and the PostgreSQL server (a fresh
database per test), with a scratch table made here."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sqlalchemy as sa

from connectors.harness import call_with, deploy_and_start, ended, runner_for, running, settle
from connectors.recording_server import http_task_model
from stead.connectors.api import ConnectorCall, InputError, PermanentError, TransientError
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.runner import ConnectorRunner
from stead.connectors.secrets import SecretResolver
from stead.connectors.sql import SqlConnector
from stead.model import ModelError
from stead.runtime import Runtime

CUSTOMERS = """
CREATE TABLE crm_customers (
    id INTEGER PRIMARY KEY,
    name VARCHAR(80) NOT NULL UNIQUE,
    balance NUMERIC(10, 2),
    since DATE,
    vip BOOLEAN NOT NULL
)
"""
POSTGRES_URL = os.environ.get(
    "STEAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ROWS = [
    {"id": 1, "name": "Alice", "balance": "12.50", "since": dt.date(2024, 5, 1), "vip": True},
    {"id": 2, "name": "Bob", "balance": None, "since": dt.date(2025, 1, 9), "vip": False},
    {"id": 3, "name": "Carol", "balance": "0.10", "since": None, "vip": False},
]


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this module (dropped after it)."""
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error.orig}")
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} is unreachable: {error.orig}")
    name = f"stead_sql_connector_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    # As a user would write it: the plain scheme, no driver name.
    url = sa.make_url(POSTGRES_URL).set(drivername="postgresql", database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.NullPool
    )


@contextmanager
def _customers(url: str) -> Iterator[str]:
    """The crm_customers scratch table, dropped afterwards."""
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(CUSTOMERS))
        connection.execute(
            sa.text(
                "INSERT INTO crm_customers VALUES (:id, :name, CAST(:balance AS NUMERIC(10, 2)),"
                " :since, :vip)"
            ),
            ROWS,
        )
    try:
        yield url
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE crm_customers"))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL, as a user would keep it in a secret, with the crm_customers table."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crm.db'}"
    else:
        url = request.getfixturevalue("postgres_server")
    with _customers(url):
        yield url


@pytest.fixture
def postgres(postgres_server: str) -> Iterator[str]:
    with _customers(postgres_server):
        yield postgres_server


@pytest.fixture
def connector() -> Iterator[SqlConnector]:
    sql = SqlConnector()
    yield sql
    sql.close()


def _call(inputs: dict[str, Any]) -> ConnectorCall:
    return call_with(SqlConnector.contract, inputs, element_id="findCustomer", key="instance-1:3")


def _count(url: str) -> int:
    engine = _engine(url)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM crm_customers")).scalar_one()
    engine.dispose()
    return int(count)


def test_the_contract_marks_secrets_and_names_its_type() -> None:
    contract = SqlConnector.contract
    assert contract.job_type == "stead:sql:1"
    # (test_templates checks every built-in contract's schemas, labels and groups)
    assert contract.input_schema["properties"]["connection"]["x-secret"] is True


def test_a_query_gives_json_rows_by_column_name(database: str, connector: SqlConnector) -> None:
    output = connector.run(
        _call(
            {
                "connection": database,
                "query": "SELECT id, name, balance, since, vip FROM crm_customers "
                "WHERE id <= :upTo ORDER BY id",
                "parameters": {"upTo": 2},
            }
        )
    )
    assert output["columns"] == ["id", "name", "balance", "since", "vip"]
    assert output["rowCount"] == 2
    alice, bob = output["rows"]
    assert alice["id"] == 1
    assert alice["name"] == "Alice"
    # PostgreSQL's NUMERIC comes back exact, as text; SQLite keeps such values as REAL.
    assert alice["balance"] == ("12.50" if database.startswith("postgresql") else 12.5)
    assert alice["since"] == "2024-05-01"
    assert alice["vip"] in (True, 1)  # SQLite has no boolean type
    assert bob["balance"] is None
    jsonschema.validate(output, SqlConnector.contract.output_schema)


def test_parameters_are_bound_never_pasted(database: str, connector: SqlConnector) -> None:
    output = connector.run(
        _call(
            {
                "connection": database,
                "query": "SELECT id FROM crm_customers WHERE name = :name",
                "parameters": {"name": "x' OR '1'='1"},
            }
        )
    )
    assert output["rows"] == []
    assert _count(database) == 3


def test_a_list_fills_an_in_clause(database: str, connector: SqlConnector) -> None:
    output = connector.run(
        _call(
            {
                "connection": database,
                "query": "SELECT name FROM crm_customers WHERE id IN :ids ORDER BY name",
                "parameters": {"ids": [3, 1], "unused": {"nested": True}},
            }
        )
    )
    assert [row["name"] for row in output["rows"]] == ["Alice", "Carol"]


def test_a_placeholder_without_a_value_is_refused(database: str, connector: SqlConnector) -> None:
    with pytest.raises(InputError) as caught:
        connector.run(
            _call(
                {
                    "connection": database,
                    "query": "DELETE FROM crm_customers WHERE id = :customerId",
                    "parameters": {"customerID": 1},
                    "mode": "execute",
                }
            )
        )
    assert caught.value.field_name == "parameters"
    assert ":customerId" in caught.value.message
    assert _count(database) == 3


def test_execute_reports_changed_rows(database: str, connector: SqlConnector) -> None:
    inserted = connector.run(
        _call(
            {
                "connection": database,
                "query": "INSERT INTO crm_customers (id, name, vip) VALUES (:id, :name, :vip)",
                "parameters": {"id": 4, "name": "Dan", "vip": True},
                "mode": "execute",
            }
        )
    )
    updated = connector.run(
        _call(
            {
                "connection": database,
                "query": "UPDATE crm_customers SET vip = :vip WHERE id > :after",
                "parameters": {"vip": True, "after": 2},
                "mode": "execute",
            }
        )
    )
    assert inserted == {"rows": [], "rowCount": 1, "columns": []}
    assert updated["rowCount"] == 2
    assert _count(database) == 4


def test_insert_returning_gives_rows_in_query_mode(database: str, connector: SqlConnector) -> None:
    output = connector.run(
        _call(
            {
                "connection": database,
                "query": "INSERT INTO crm_customers (id, name, vip) VALUES (:id, :name, false) "
                "RETURNING id, name",
                "parameters": {"id": 9, "name": "Erin"},
            }
        )
    )
    assert output["rows"] == [{"id": 9, "name": "Erin"}]
    assert _count(database) == 4


def test_more_rows_than_max_rows_is_an_error_and_changes_nothing(
    database: str, connector: SqlConnector
) -> None:
    with pytest.raises(InputError, match="add a LIMIT to the query or raise maxRows") as caught:
        connector.run(
            _call(
                {
                    "connection": database,
                    "query": "UPDATE crm_customers SET name = name || '!' RETURNING id",
                    "maxRows": 2,
                }
            )
        )
    assert caught.value.field_name == "maxRows"
    output = connector.run(
        _call({"connection": database, "query": "SELECT name FROM crm_customers ORDER BY id"})
    )
    assert [row["name"] for row in output["rows"]] == ["Alice", "Bob", "Carol"]


def test_a_constraint_violation_is_permanent_with_the_database_message(
    database: str, connector: SqlConnector
) -> None:
    with pytest.raises(PermanentError, match=r"(?i)unique") as caught:
        connector.run(
            _call(
                {
                    "connection": database,
                    "query": "INSERT INTO crm_customers (id, name, vip) VALUES (7, :name, true)",
                    "parameters": {"name": "Alice"},
                    "mode": "execute",
                }
            )
        )
    assert not isinstance(caught.value, TransientError)
    assert caught.value.output is not None
    if database.startswith("postgresql"):
        assert caught.value.output["code"] == "23505"


def test_a_syntax_error_is_permanent(database: str, connector: SqlConnector) -> None:
    with pytest.raises(PermanentError, match="syntax error") as caught:
        connector.run(_call({"connection": database, "query": "SELEC name FROM crm_customers"}))
    assert not isinstance(caught.value, TransientError)


def test_query_mode_needs_a_statement_that_gives_rows(
    database: str, connector: SqlConnector
) -> None:
    with pytest.raises(InputError, match="use mode 'execute'") as caught:
        connector.run(
            _call({"connection": database, "query": "DELETE FROM crm_customers WHERE id = 3"})
        )
    assert caught.value.field_name == "mode"
    assert _count(database) == 3


def test_duplicate_column_names_must_be_aliased(database: str, connector: SqlConnector) -> None:
    with pytest.raises(InputError, match="'id' appears twice"):
        connector.run(
            _call(
                {
                    "connection": database,
                    "query": "SELECT a.id, b.id FROM crm_customers a JOIN crm_customers b "
                    "ON a.id = b.id",
                }
            )
        )


@pytest.mark.postgres
def test_a_dropped_connection_is_replaced_before_the_next_call(
    postgres: str, connector: SqlConnector
) -> None:
    query = {"connection": postgres, "query": "SELECT count(*) AS n FROM crm_customers"}
    assert connector.run(_call(query))["rows"] == [{"n": 3}]
    admin = _engine(postgres)
    with admin.begin() as connection:  # as a database restart would
        connection.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    admin.dispose()
    assert connector.run(_call(query))["rows"] == [{"n": 3}]


def _sessions(url: str, application_name: str) -> int:
    """How many connections the PostgreSQL server holds for ``application_name``."""
    engine = _engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": application_name},
        ).scalar_one()
    engine.dispose()
    return int(count)


@pytest.mark.postgres
def test_pooled_connections_are_closed_when_the_runner_stops(postgres: str, tmp_path: Path) -> None:
    name = f"stead-sql-{uuid.uuid4().hex[:8]}"
    url = sa.make_url(postgres).update_query_dict({"application_name": name})
    connection = url.render_as_string(hide_password=False)
    sql = SqlConnector()
    assert sql.run(_call({"connection": connection, "query": "SELECT 1 AS one"}))["rows"] == [
        {"one": 1}
    ]
    assert _sessions(postgres, name) == 1  # kept open for the next call

    with Runtime.open(f"sqlite:///{tmp_path / 'stead.db'}") as runtime:
        runner = ConnectorRunner(runtime, ConnectorRegistry([sql]), poll_interval=0.05)
        stop = threading.Event()
        threading.Timer(0.2, stop.set).start()
        runner.run(stop)
    deadline = time.monotonic() + 10
    while _sessions(postgres, name) and time.monotonic() < deadline:
        time.sleep(0.05)  # the server ends a backend shortly after its client hangs up
    assert _sessions(postgres, name) == 0


@pytest.mark.postgres
def test_an_unreachable_server_is_transient_and_a_missing_database_permanent(
    postgres_server: str, connector: SqlConnector
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientError, match="Connection refused"):
        connector.run(
            _call({"connection": f"postgresql://postgres@127.0.0.1:{port}/x", "query": "SELECT 1"})
        )
    missing = sa.make_url(postgres_server).set(database="no_such_database_here")
    with pytest.raises(PermanentError, match="does not exist") as caught:
        connector.run(
            _call(
                {
                    "connection": missing.render_as_string(hide_password=False),
                    "query": "SELECT 1",
                }
            )
        )
    assert not isinstance(caught.value, TransientError)


def test_a_missing_sqlite_file_is_an_error_not_a_new_database(
    tmp_path: Path, connector: SqlConnector
) -> None:
    missing = tmp_path / "crm-typo.db"
    with pytest.raises(PermanentError, match="unable to open database file") as caught:
        connector.run(_call({"connection": f"sqlite:///{missing}", "query": "SELECT 1"}))
    assert not isinstance(caught.value, TransientError)
    assert not missing.exists()


@pytest.mark.parametrize(
    ("connection", "reason"),
    [
        ("mysql://app:hunter2@db.example/crm", "only PostgreSQL and SQLite"),
        ("CRM_DB_URL", "expected a database URL"),
        ("postgresql://app:hunter2@db.example:notaport/crm", "not a valid database URL"),
    ],
)
def test_an_unsupported_connection_names_the_field_and_hides_the_password(
    connection: str, reason: str, connector: SqlConnector
) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        connector.run(_call({"connection": connection, "query": "SELECT 1"}))
    assert caught.value.field_name == "connection"
    assert "hunter2" not in caught.value.message


def test_a_service_task_maps_rows_to_variables_through_the_runner(tmp_path: Path) -> None:
    crm = f"sqlite:///{tmp_path / 'crm.db'}"
    secrets = SecretResolver(environ={"STEAD_SECRET_CRM_DB_URL": crm})
    model = http_task_model(
        "find-customer",
        {
            "connection": "{{secrets.CRM_DB_URL}}",
            "query": "SELECT name, balance FROM crm_customers WHERE id = :id",
            "parameters": "={id: customerId}",
        },
        {"resultExpression": "={customer: rows[1], found: rowCount}"},
        job_type="stead:sql:1",
    )
    runtime = Runtime.open(f"sqlite:///{tmp_path / 'stead.db'}")
    sql = SqlConnector()
    try:
        with _customers(crm):
            runner = runner_for(runtime, registry=ConnectorRegistry([sql]), secrets=secrets)
            with running(runner):
                instance = deploy_and_start(runtime, model, {"customerId": 1})
                done = settle(runtime, instance.id, ended)
    finally:
        sql.close()
        runtime.close()
    assert done.state == "completed"
    assert done.variables == {
        "customerId": 1,
        "customer": {"name": "Alice", "balance": 12.5},
        "found": 1,
    }


def test_a_model_without_the_query_is_not_deployed(tmp_path: Path) -> None:
    model = http_task_model(
        "no-query", {"connection": "{{secrets.CRM_DB_URL}}"}, job_type="stead:sql:1"
    )
    runtime = Runtime.open(f"sqlite:///{tmp_path / 'stead.db'}")
    try:
        with pytest.raises(ModelError, match="call: connector stead:sql:1 needs input 'query'"):
            runtime.deploy_bytes("model.bpmn", model)
    finally:
        runtime.close()
