"""The connector runner on a real runtime (SQLite and PostgreSQL) calling a real HTTP server:
retries with backoff and one idempotency key, Retry-After, result mapping, BPMN errors,
incidents that name the field, and secrets that never reach the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator

import pytest

from connectors.harness import deploy_and_start, ended, has_incident, runner_for, running, settle
from connectors.recording_server import Reply, Request, http_task_model, recording_server
from stead.connectors.api import (
    AwaitingOutcome,
    Connector,
    ConnectorCall,
    ConnectorContract,
    JsonObject,
)
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.secrets import SecretResolver
from stead.runtime import Runtime


@pytest.fixture
def live_runtime(database_url: str) -> Iterator[Runtime]:
    """A runtime on the wall clock: backoff delays really pass."""
    stead = Runtime.open(database_url)
    yield stead
    stead.close()


def test_a_flaky_endpoint_is_retried_with_backoff_under_one_idempotency_key(
    live_runtime: Runtime,
) -> None:
    effects: dict[str, JsonObject] = {}

    def flaky(request: Request) -> Reply:
        # The receiver does the work, then (twice) fails to answer: only the key saves it
        # from doing the work again.
        effects.setdefault(request.headers["idempotency-key"], request.json())
        if len(flaky_server.requests) <= 2:
            return Reply(503, "overloaded")
        return Reply(201, {"orderId": "A-1"})

    with recording_server(flaky) as flaky_server, running(runner_for(live_runtime)):
        model = http_task_model(
            "flaky",
            {
                "method": "POST",
                "url": f"={json.dumps(flaky_server.url + '/orders')}",
                "body": "={item: item}",
            },
            {"resultExpression": "={orderId: body.orderId}"},
        )
        instance = deploy_and_start(live_runtime, model, {"item": "book"})
        done = settle(live_runtime, instance.id, ended)

    assert done.state == "completed"
    assert done.variables == {"item": "book", "orderId": "A-1"}
    keys = [request.headers["idempotency-key"] for request in flaky_server.requests]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    assert effects == {keys[0]: {"item": "book"}}
    failures = [e for e in live_runtime.history(instance.id) if e.event == "job.failed"]
    assert [f.data["backoffSeconds"] for f in failures] == [0.2, 0.4]
    assert all("HTTP 503" in f.data["error"] for f in failures)
    assert [f.data["retries"] for f in failures] == [2, 1]


def test_retry_after_postpones_the_next_attempt(live_runtime: Runtime) -> None:
    def busy(request: Request) -> Reply:
        if len(server.requests) == 1:
            return Reply(429, "slow down", {"Retry-After": "1"})
        return Reply(200, {"ok": True})

    with recording_server(busy) as server, running(runner_for(live_runtime)):
        model = http_task_model("busy", {"method": "GET", "url": f"{server.url}/x"})
        instance = deploy_and_start(live_runtime, model)
        assert settle(live_runtime, instance.id, ended).state == "completed"
    [failure] = [e for e in live_runtime.history(instance.id) if e.event == "job.failed"]
    assert failure.data["backoffSeconds"] == 1.0
    assert len(server.requests) == 2


def test_only_the_mapped_result_reaches_the_variables(live_runtime: Runtime) -> None:
    answer = Reply(200, {"name": "Ada", "internal": "x"}, {"X-Request-Id": "r-7"})
    with recording_server(lambda request: answer) as server, running(runner_for(live_runtime)):
        model = http_task_model(
            "mapped",
            {"method": "GET", "url": f"{server.url}/customers/1"},
            {"resultVariable": "response", "resultExpression": "={customerName: body.name}"},
        )
        instance = deploy_and_start(live_runtime, model)
        done = settle(live_runtime, instance.id, ended)
    assert done.variables["customerName"] == "Ada"
    response = done.variables["response"]
    assert response["status"] == 200
    assert response["body"] == {"name": "Ada", "internal": "x"}
    assert response["headers"]["x-request-id"] == "r-7"
    assert set(done.variables) == {"customerName", "response"}


def test_an_error_expression_throws_a_bpmn_error_a_boundary_event_catches(
    live_runtime: Runtime,
) -> None:
    answer = Reply(404, {"error": "no such customer"})
    with recording_server(lambda request: answer) as server, running(runner_for(live_runtime)):
        model = http_task_model(
            "not-found",
            {"method": "GET", "url": f"{server.url}/customers/9"},
            {
                "errorExpression": '=if status = 404 then bpmnError("not-found", body.error) '
                "else null"
            },
            error_code="not-found",
        )
        instance = deploy_and_start(live_runtime, model)
        done = settle(live_runtime, instance.id, ended)
    assert done.state == "completed"
    history = live_runtime.history(instance.id)
    assert any(e.event.startswith("element.") and e.element_id == "handled" for e in history)
    assert not any(e.element_id == "end" and e.event.startswith("element.") for e in history)


def test_a_400_raises_an_incident_at_once_with_status_and_body(live_runtime: Runtime) -> None:
    answer = Reply(400, {"problem": "amount must be positive"})
    with recording_server(lambda request: answer) as server, running(runner_for(live_runtime)):
        model = http_task_model(
            "bad", {"method": "POST", "url": f"{server.url}/pay", "body": "={}"}
        )
        instance = deploy_and_start(live_runtime, model)
        done = settle(live_runtime, instance.id, has_incident)
    [incident] = done.incidents
    assert "HTTP 400" in incident.message
    assert "amount must be positive" in incident.message
    assert len(server.requests) == 1  # not retried


def test_an_input_that_breaks_the_contract_raises_an_incident_naming_the_field(
    live_runtime: Runtime,
) -> None:
    with recording_server() as server, running(runner_for(live_runtime)):
        model = http_task_model(
            "bad-input",
            {"method": "GET", "url": f"{server.url}/x", "connectTimeout": '="soon"'},
        )
        instance = deploy_and_start(live_runtime, model)
        done = settle(live_runtime, instance.id, has_incident)
    [incident] = done.incidents
    assert "'connectTimeout'" in incident.message
    assert "not of type 'number'" in incident.message
    assert server.requests == []


def test_secrets_are_sent_but_never_stored_or_logged(
    live_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = "tok-3f9a-very-secret"
    key = "key-77b1-also-secret"
    secrets = SecretResolver(environ={"STEAD_SECRET_CRM_TOKEN": token, "STEAD_SECRET_CRM_KEY": key})

    def echo(request: Request) -> Reply:
        # A careless server that echoes the credential back, then fails with it in the body.
        if len(server.requests) == 1:
            return Reply(200, {"seen": request.headers["authorization"]})
        return Reply(400, f"bad token {request.headers['authorization']}")

    with recording_server(echo) as server, running(runner_for(live_runtime, secrets=secrets)):
        inputs = {
            "method": "GET",
            "url": f"{server.url}/me",
            "authentication.type": "bearer",
            "authentication.token": "{{secrets.CRM_TOKEN}}",
            "query": '={"key": "{{secrets.CRM_KEY}}"}',
        }
        first = deploy_and_start(
            live_runtime, http_task_model("echo", inputs, {"resultVariable": "answer"})
        )
        done = settle(live_runtime, first.id, ended)
        second = live_runtime.start("echo")
        failed = settle(live_runtime, second.id, has_incident)

    assert server.requests[0].headers["authorization"] == f"Bearer {token}"
    assert server.requests[0].query == {"key": [key]}
    assert done.variables["answer"]["body"] == {"seen": "Bearer ***"}
    assert "bad token Bearer ***" in failed.incidents[0].message
    stored = json.dumps(
        [e.data for i in (first.id, second.id) for e in live_runtime.history(i)]
        + [done.variables, [x.message for x in failed.incidents]]
        + [j.last_error for j in live_runtime.list_jobs()],
        default=str,
    )
    assert token not in stored
    assert key not in stored
    assert "***" in stored
    assert caplog.records  # the runner did log
    assert token not in caplog.text
    assert key not in caplog.text


def test_a_missing_secret_raises_an_incident_naming_it(live_runtime: Runtime) -> None:
    with recording_server() as server, running(runner_for(live_runtime)):
        inputs = {"method": "GET", "url": f"{server.url}/x?key={{{{secrets.NOPE}}}}"}
        instance = deploy_and_start(live_runtime, http_task_model("no-secret", inputs))
        done = settle(live_runtime, instance.id, has_incident)
    assert "secret 'NOPE' is not set" in done.incidents[0].message
    assert server.requests == []


class _Waiter(Connector):
    contract = ConnectorContract(
        id="test:wait",
        version=1,
        name="Wait",
        description="Leaves its job waiting.",
        input_schema={"type": "object", "properties": {}},
        output_schema={"type": "object"},
    )

    def run(self, call: ConnectorCall) -> JsonObject:
        raise AwaitingOutcome(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))


def test_an_awaiting_connector_keeps_its_job_activated_until_its_deadline(
    live_runtime: Runtime,
) -> None:
    runner = runner_for(
        live_runtime, registry=ConnectorRegistry([_Waiter()]), lock_duration=dt.timedelta(seconds=5)
    )
    model = http_task_model("waits", {}, job_type="test:wait:1")
    instance = deploy_and_start(live_runtime, model)
    assert runner.run_once() == 1
    [job] = live_runtime.list_jobs(instance_id=instance.id)
    assert job.state == "activated"
    assert job.lease_expires_at is not None
    assert job.lease_expires_at > dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert live_runtime.history(instance.id)[-1].event != "job.failed"
    assert runner.run_once() == 0  # not handed out again while it waits


class _Buggy(Connector):
    contract = ConnectorContract(
        id="test:buggy",
        version=1,
        name="Buggy",
        description="Fails with an unexpected exception that quotes its input.",
        input_schema={"type": "object", "properties": {"password": {"type": "string"}}},
        output_schema={"type": "object"},
    )

    def run(self, call: ConnectorCall) -> JsonObject:
        raise RuntimeError(f"could not log in with {call.inputs['password']}")


def test_a_bug_in_a_connector_fails_the_attempt_without_leaking_its_secret(
    live_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "pw-9c0d-buggy"
    runner = runner_for(
        live_runtime,
        registry=ConnectorRegistry([_Buggy()]),
        secrets=SecretResolver(environ={"STEAD_SECRET_PW": secret}),
    )
    model = http_task_model("buggy", {"password": "{{secrets.PW}}"}, job_type="test:buggy:1")
    instance = deploy_and_start(live_runtime, model)
    assert runner.run_once() == 1
    [failure] = [e for e in live_runtime.history(instance.id) if e.event == "job.failed"]
    assert failure.data["error"] == "test:buggy:1 failed: RuntimeError: could not log in with ***"
    assert failure.data["retries"] == 2
    assert "Traceback" in caplog.text
    assert secret not in caplog.text
