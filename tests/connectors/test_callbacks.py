"""The callback connector over real HTTP against a real ``stead serve``: the task tells a real
notification server its one-time URL, and the external system completes it with variables,
fails it, throws a BPMN error a boundary event catches, sends heartbeats, or lets it time out;
a used token is gone and an unknown one not found.

The connector runs in this process on the server's database (through the connector runner)
until the server runs it itself; either way the URL arrives at the notification server."""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from api.server import (
    SteadServer,
    server_on,
)
from integration.bpmn_models import document

from stead.connectors.api import ConnectorCall, InputError, PermanentError
from stead.connectors.callback_tokens import CallbackService
from stead.connectors.callbacks import CallbackConnector
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.runner import ConnectorRunner
from stead.runtime import Runtime, job_ops

WAIT_LIMIT = 20.0  # seconds to wait for a notification or a state


class Notifications:
    """A real HTTP server that records the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.status = 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                body["_headers"] = {k.lower(): v for k, v in self.headers.items()}
                owner.received.put(body)
                self.send_response(owner.status)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SteadServer]:
    with server_on(request.param, tmp_path_factory.mktemp("callbacks")) as running:
        yield running


@pytest.fixture(scope="module")
def runtime(server: SteadServer) -> Iterator[Runtime]:
    with Runtime.open(server.database_url) as opened:
        yield opened


@pytest.fixture(scope="module")
def runner(runtime: Runtime, server: SteadServer) -> ConnectorRunner:
    connector = CallbackConnector().bind(runtime, base_url=server.url)
    return ConnectorRunner(runtime, ConnectorRegistry([connector]), name="callback-tests")


@pytest.fixture(scope="module")
def notifications() -> Iterator[Notifications]:
    running = Notifications()
    yield running
    running.close()


@pytest.fixture(scope="module")
def outsider(server: SteadServer) -> Iterator[httpx.Client]:
    """The external system: no Stead credentials, only the URL it was given."""
    with server.client() as client:
        yield client


def callback_process(
    process_id: str, notify_url: str, *, timeout: str = "PT1H", extra: str = ""
) -> bytes:
    """start -> wait (callback task) -> done; a BPMN error "rejected" on wait -> handled."""
    notify = (
        f'<zeebe:input source="{notify_url}" target="notifyUrl"/>'
        '<zeebe:input source="={ticket: ticketId, text: &quot;open {{callback.url}}&quot;}" '
        'target="notifyBody"/>'
        '<zeebe:input source="={&quot;X-Team&quot;: &quot;billing&quot;}" target="notifyHeaders"/>'
    )
    inputs = f'<zeebe:input source="{timeout}" target="timeout"/>{notify if notify_url else ""}'
    inputs += extra
    body = f"""
<bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
<bpmn:serviceTask id="wait"><bpmn:extensionElements>
  <zeebe:taskDefinition type="stead:callback:1" retries="2"/>
  <zeebe:ioMapping>{inputs}</zeebe:ioMapping></bpmn:extensionElements>
  <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
<bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
<bpmn:boundaryEvent id="rejected" attachedToRef="wait">
  <bpmn:outgoing>f3</bpmn:outgoing>
  <bpmn:errorEventDefinition errorRef="Error_1"/></bpmn:boundaryEvent>
<bpmn:endEvent id="handled"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
<bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="done"/>
<bpmn:sequenceFlow id="f3" sourceRef="rejected" targetRef="handled"/>
"""
    errors = '<bpmn:error id="Error_1" name="rejected" errorCode="rejected"/>\n'
    return document(process_id, body, messages=errors)


def deploy_and_start(server: SteadServer, content: bytes, process_id: str) -> str:
    deployed = server.admin.post("/api/deployments", files=[("files", ("c.bpmn", content))])
    assert deployed.status_code == 200, deployed.text
    started = server.admin.post(
        "/api/process-instances",
        json={"processId": process_id, "variables": {"ticketId": f"T-{process_id}"}},
    )
    assert started.status_code == 201, started.text
    return str(started.json()["id"])


def notified(runner: ConnectorRunner, notifications: Notifications) -> dict[str, Any]:
    """Run callback jobs until the notification server hears about one."""
    deadline = time.monotonic() + WAIT_LIMIT
    while time.monotonic() < deadline:
        runner.run_once()
        try:
            return notifications.received.get(timeout=0.2)
        except queue.Empty:
            continue
    pytest.fail("no callback notification arrived")


def waiting_callback(
    server: SteadServer, runner: ConnectorRunner, notifications: Notifications, process_id: str
) -> tuple[str, str]:
    """Start a callback process; its instance id and the callback URL it was notified of."""
    instance_id = deploy_and_start(
        server, callback_process(process_id, notifications.url), process_id
    )
    return instance_id, str(notified(runner, notifications)["callbackUrl"])


def path_of(url: str) -> str:
    """The callback URL's path: the server may have been told another public base URL."""
    return urlsplit(url).path


def instance(server: SteadServer, instance_id: str) -> dict[str, Any]:
    response = server.admin.get(f"/api/process-instances/{instance_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def history(server: SteadServer, instance_id: str) -> list[dict[str, Any]]:
    response = server.admin.get(f"/api/process-instances/{instance_id}/history")
    assert response.status_code == 200, response.text
    return list(response.json())


def completed_elements(server: SteadServer, instance_id: str) -> list[str]:
    return [
        entry["elementId"]
        for entry in history(server, instance_id)
        if entry["event"] == "element.completed"
    ]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


def test_the_external_system_completes_the_task_with_variables(
    server: SteadServer,
    runner: ConnectorRunner,
    notifications: Notifications,
    outsider: httpx.Client,
) -> None:
    instance_id = deploy_and_start(
        server, callback_process("cb-complete", notifications.url), "cb-complete"
    )
    note = notified(runner, notifications)
    url = note["callbackUrl"]
    assert note["ticket"] == "T-cb-complete"
    assert note["text"] == f"open {url}"
    assert note["_headers"]["x-team"] == "billing"
    waiting = instance(server, instance_id)
    assert [w["elementId"] for w in waiting["waiting"]] == ["wait"]
    awaiting = [e for e in history(server, instance_id) if e["event"] == "callback.awaiting"]
    assert [e["elementId"] for e in awaiting] == ["wait"]
    token = url.rsplit("/", 1)[1]
    assert token not in json.dumps(history(server, instance_id))
    assert token not in json.dumps(waiting["variables"])

    answer = outsider.post(
        path_of(url), json={"outcome": "complete", "variables": {"approved": True, "by": "ext"}}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "completed"}
    done = instance(server, instance_id)
    assert done["state"] == "completed"
    assert done["variables"] == {"ticketId": "T-cb-complete", "approved": True, "by": "ext"}
    assert "done" in completed_elements(server, instance_id)

    again = outsider.post(path_of(url), json={"outcome": "complete"})
    gone = assert_problem(again, 410)
    assert "already used" in gone["detail"]
    assert gone["title"] == "Gone"
    unknown = outsider.post(path_of(url)[:-4] + "abcd", json={"outcome": "complete"})
    assert_problem(unknown, 404)


def test_a_crash_while_settling_leaves_the_token_usable_and_the_task_waiting(
    server: SteadServer,
    runtime: Runtime,
    runner: ConnectorRunner,
    notifications: Notifications,
    outsider: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance_id, url = waiting_callback(server, runner, notifications, "cb-crash")
    token = url.rsplit("/", 1)[1]

    def dies(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the process died while completing the job")

    monkeypatch.setattr(job_ops, "complete", dies)
    with pytest.raises(RuntimeError):
        CallbackService(runtime).settle(
            token, "complete", variables={"approved": True}, error_code=None, error_message=""
        )
    monkeypatch.undo()
    assert [w["elementId"] for w in instance(server, instance_id)["waiting"]] == ["wait"]

    answer = outsider.post(path_of(url), json={"outcome": "complete", "variables": {"ok": 1}})
    assert answer.status_code == 200, answer.text
    assert instance(server, instance_id)["state"] == "completed"


def test_a_failure_raises_an_incident_with_the_external_message(
    server: SteadServer,
    runner: ConnectorRunner,
    notifications: Notifications,
    outsider: httpx.Client,
) -> None:
    instance_id, url = waiting_callback(server, runner, notifications, "cb-fail")
    answer = outsider.post(
        path_of(url), json={"outcome": "fail", "errorMessage": "the printer is on fire"}
    )
    assert answer.status_code == 200, answer.text
    incidents = instance(server, instance_id)["incidents"]
    assert [i["message"] for i in incidents] == ["the printer is on fire"]


def test_a_bpmn_error_is_caught_by_the_boundary_event(
    server: SteadServer,
    runner: ConnectorRunner,
    notifications: Notifications,
    outsider: httpx.Client,
) -> None:
    instance_id, url = waiting_callback(server, runner, notifications, "cb-error")
    missing_code = outsider.post(path_of(url), json={"outcome": "error"})
    assert "errorCode" in assert_problem(missing_code, 422)["detail"]
    answer = outsider.post(
        path_of(url),
        json={"outcome": "error", "errorCode": "rejected", "errorMessage": "no budget"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "thrown"}
    assert instance(server, instance_id)["state"] == "completed"
    assert "handled" in completed_elements(server, instance_id)


def test_heartbeats_move_the_deadline(
    server: SteadServer,
    runner: ConnectorRunner,
    notifications: Notifications,
    outsider: httpx.Client,
) -> None:
    heartbeat = '<zeebe:input source="PT30S" target="heartbeatTimeout"/>'
    instance_id = deploy_and_start(
        server,
        callback_process("cb-heartbeat", notifications.url, timeout="PT2S", extra=heartbeat),
        "cb-heartbeat",
    )
    note = notified(runner, notifications)
    url = note["callbackUrl"]
    assert note["heartbeatUrl"] == f"{url}/heartbeat"
    beat = outsider.post(path_of(note["heartbeatUrl"]))
    assert beat.status_code == 200, beat.text
    deadline = dt.datetime.fromisoformat(beat.json()["expiresAt"])
    assert deadline > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
    time.sleep(2.5)  # past the first deadline: only the heartbeat keeps the callback alive
    answer = outsider.post(path_of(url), json={"outcome": "complete"})
    assert answer.status_code == 200, answer.text
    assert instance(server, instance_id)["state"] == "completed"


def test_a_timeout_reports_the_timeout_outcome(
    server: SteadServer,
    runtime: Runtime,
    runner: ConnectorRunner,
    notifications: Notifications,
    outsider: httpx.Client,
) -> None:
    outcome = '<zeebe:input source="error:rejected" target="timeoutOutcome"/>'
    instance_id = deploy_and_start(
        server,
        callback_process("cb-timeout", notifications.url, timeout="PT1S", extra=outcome),
        "cb-timeout",
    )
    url = notified(runner, notifications)["callbackUrl"]
    no_heartbeat = outsider.post(path_of(f"{url}/heartbeat"))
    assert "no heartbeats" in assert_problem(no_heartbeat, 422)["detail"]
    time.sleep(1.2)
    late = outsider.post(path_of(url), json={"outcome": "complete"})
    # "expired", or "already used" when the timeout was reported meanwhile: gone either way.
    assert_problem(late, 410)
    deadline = time.monotonic() + WAIT_LIMIT
    while instance(server, instance_id)["state"] != "completed":
        assert time.monotonic() < deadline, history(server, instance_id)
        runtime.release_expired_leases()  # what serve's maintenance loop does every few seconds
        runner.run_once()
        time.sleep(0.1)
    assert "handled" in completed_elements(server, instance_id)
    assert notifications.received.empty()  # a timeout issues no new URL


def test_the_model_may_ask_for_the_url_in_a_variable(
    server: SteadServer, runner: ConnectorRunner, outsider: httpx.Client
) -> None:
    wanted = '<zeebe:input source="approvalLink" target="urlVariable"/>'
    instance_id = deploy_and_start(
        server, callback_process("cb-variable", "", extra=wanted), "cb-variable"
    )
    deadline = time.monotonic() + WAIT_LIMIT
    while "approvalLink" not in instance(server, instance_id)["variables"]:
        assert time.monotonic() < deadline, history(server, instance_id)
        runner.run_once()
        time.sleep(0.1)
    url = instance(server, instance_id)["variables"]["approvalLink"]
    answer = outsider.post(path_of(url), json={"outcome": "complete"})
    assert answer.status_code == 200, answer.text
    assert instance(server, instance_id)["state"] == "completed"


def _call(inputs: dict[str, Any]) -> ConnectorCall:
    """A call as the runner would make it for a job of the wait task."""
    return ConnectorCall(
        inputs=inputs,
        instance_id="i",
        process_id="p",
        element_id="wait",
        job_id=1,
        attempt=1,
        retries=1,
        idempotency_key="i:1",
        deadline=dt.datetime.now(dt.UTC),
    )


def test_inputs_are_checked_and_an_unbound_connector_refuses_to_run() -> None:
    with pytest.raises(PermanentError, match="not attached"):
        CallbackConnector().run(_call({"timeout": "PT1H"}))


def test_a_bad_timeout_names_the_field(runtime: Runtime) -> None:
    connector = CallbackConnector().bind(runtime)
    with pytest.raises(InputError) as raised:
        connector.run(_call({"timeout": "an hour"}))
    assert raised.value.field_name == "timeout"


def test_stead_serve_hands_out_callback_urls_that_reach_itself(
    server: SteadServer, notifications: Notifications, outsider: httpx.Client
) -> None:
    # No runner in this process: the connectors inside `stead serve` take the job.
    instance_id = deploy_and_start(
        server, callback_process("cb-served", notifications.url), "cb-served"
    )
    note = notifications.received.get(timeout=WAIT_LIMIT)
    assert note["callbackUrl"].startswith(f"{server.url}/hooks/callbacks/")
    answer = outsider.post(
        note["callbackUrl"].removeprefix(server.url), json={"outcome": "complete"}
    )
    assert answer.status_code == 200, answer.text
    deadline = time.monotonic() + WAIT_LIMIT
    while instance(server, instance_id)["state"] != "completed":
        assert time.monotonic() < deadline, "the instance did not complete"
        time.sleep(0.05)
