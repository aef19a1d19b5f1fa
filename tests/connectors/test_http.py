"""The HTTP/JSON connector against a real local HTTP server: the request it sends (query,
headers, JSON body, every kind of authentication, the OAuth2 token fetch and its cache), the
output it gives, and how it classifies what goes wrong."""

from __future__ import annotations

import base64
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from api.server import ADMIN_PASSWORD, SteadServer, free_port, sqlite_server

from connectors.recording_server import Reply, Request, http_task_model, recording_server
from stead.connectors.api import ConnectorCall, PermanentError, TransientError
from stead.connectors.http import HttpJsonConnector, retry_after_seconds
from stead.connectors.templates import element_template
from stead.runtime import Runtime


def call(**inputs: Any) -> ConnectorCall:
    return ConnectorCall(
        inputs=inputs,
        instance_id="instance-1",
        process_id="p",
        element_id="call",
        job_id=1,
        attempt=1,
        retries=3,
        idempotency_key="instance-1:42",
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5),
    )


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_a_request_carries_query_headers_json_body_and_the_idempotency_key() -> None:
    with recording_server(lambda r: Reply(201, {"id": 7}, {"Location": "/orders/7"})) as server:
        output = HttpJsonConnector().run(
            call(
                method="POST",
                url=f"{server.url}/orders",
                query={"dryRun": False, "page": 2},
                headers={"X-Trace": "t-1"},
                body={"items": [1, 2], "note": "ü"},
            )
        )
    [request] = server.requests
    assert request.method == "POST"
    assert request.path == "/orders"
    assert request.query == {"dryRun": ["false"], "page": ["2"]}
    assert request.headers["x-trace"] == "t-1"
    assert request.headers["idempotency-key"] == "instance-1:42"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"items": [1, 2], "note": "ü"}
    assert output["status"] == 201
    assert output["body"] == {"id": 7}
    assert output["headers"]["location"] == "/orders/7"


def test_a_body_that_is_not_json_comes_back_as_text() -> None:
    with recording_server(lambda r: Reply(200, "plain words")) as server:
        output = HttpJsonConnector().run(call(method="GET", url=server.url))
    assert output["body"] == "plain words"


@pytest.mark.parametrize(
    ("authentication", "where", "expected"),
    [
        ({"type": "basic", "username": "ada", "password": "pw:1"}, "authorization", None),
        ({"type": "bearer", "token": "tok-1"}, "authorization", "Bearer tok-1"),
        ({"type": "apiKey", "name": "X-Api-Key", "value": "k-1"}, "x-api-key", "k-1"),
        ({"type": "apiKey", "name": "key", "value": "k-2", "in": "query"}, "?key", "k-2"),
        ({"type": "none"}, "authorization", ""),
    ],
)
def test_each_kind_of_authentication_is_sent_where_it_belongs(
    authentication: dict[str, str], where: str, expected: str | None
) -> None:
    with recording_server() as server:
        HttpJsonConnector().run(
            call(method="GET", url=f"{server.url}/me", authentication=authentication)
        )
    [request] = server.requests
    if expected is None:
        expected = basic("ada", "pw:1")
    if where.startswith("?"):
        assert request.query[where[1:]] == [expected]
        assert "x-api-key" not in request.headers
    else:
        assert request.headers.get(where, "") == expected


def _oauth2(server_url: str, **settings: str) -> dict[str, str]:
    """OAuth2 client-credentials authentication for client stead-app at the server's /token."""
    return {
        "type": "oauth2-client-credentials",
        "tokenUrl": f"{server_url}/token",
        "clientId": "stead-app",
        **settings,
    }


def test_oauth2_client_credentials_fetch_a_token_once_and_reuse_it() -> None:
    def answer(request: Request) -> Reply:
        if request.path == "/token":
            issued = sum(1 for r in server.requests if r.path == "/token")
            return Reply(200, {"access_token": f"at-{issued}", "expires_in": 3600})
        return Reply(200, {"ok": True})

    connector = HttpJsonConnector()
    with recording_server(answer) as server:
        auth = _oauth2(server.url, clientSecret="s3cret", scopes="read write")
        for _ in range(2):
            connector.run(call(method="GET", url=f"{server.url}/api", authentication=auth))
        connector.run(
            call(
                method="GET",
                url=f"{server.url}/api",
                authentication={**auth, "scopes": "admin"},
            )
        )
    tokens = [r for r in server.requests if r.path == "/token"]
    calls = [r for r in server.requests if r.path == "/api"]
    assert len(tokens) == 2  # one per scope set; the second call reused the first token
    assert tokens[0].method == "POST"
    assert tokens[0].headers["authorization"] == basic("stead-app", "s3cret")
    form = tokens[0].body.decode()
    assert "grant_type=client_credentials" in form
    assert "scope=read+write" in form
    assert [c.headers["authorization"] for c in calls] == [
        "Bearer at-1",
        "Bearer at-1",
        "Bearer at-2",
    ]


def test_oauth2_credentials_may_go_in_the_form_body_with_an_audience() -> None:
    def answer(request: Request) -> Reply:
        if request.path == "/token":
            return Reply(200, {"access_token": "body-token", "expires_in": 3600})
        return Reply(200, {"ok": True})

    with recording_server(answer) as server:
        auth = _oauth2(
            server.url,
            clientSecret="s3cret&more",
            audience="https://api.example.com/",
            clientAuthentication="credentialsBody",
        )
        HttpJsonConnector().run(call(method="GET", url=f"{server.url}/api", authentication=auth))
    token_request, api_call = server.requests
    assert "authorization" not in token_request.headers
    assert parse_qs(token_request.body.decode()) == {
        "grant_type": ["client_credentials"],
        "audience": ["https://api.example.com/"],
        "client_id": ["stead-app"],
        "client_secret": ["s3cret&more"],
    }
    assert api_call.headers["authorization"] == "Bearer body-token"


def test_a_refused_token_request_is_permanent() -> None:
    def answer(request: Request) -> Reply:
        return Reply(401, {"error": "invalid_client"})

    with recording_server(answer) as server:
        auth = {
            "type": "oauth2-client-credentials",
            "tokenUrl": f"{server.url}/token",
            "clientId": "c",
            "clientSecret": "wrong",
        }
        with pytest.raises(PermanentError, match=r"token request.*HTTP 401"):
            HttpJsonConnector().run(call(method="GET", url=f"{server.url}/x", authentication=auth))


def test_5xx_and_429_are_transient_with_the_response_attached() -> None:
    with (
        recording_server(lambda r: Reply(503, "down", {"Retry-After": "7"})) as server,
        pytest.raises(TransientError) as raised,
    ):
        HttpJsonConnector().run(call(method="GET", url=server.url))
    assert raised.value.retry_after == 7.0
    assert raised.value.output is not None
    assert raised.value.output["status"] == 503
    assert "HTTP 503" in raised.value.message


def test_retry_statuses_are_configurable() -> None:
    with (
        recording_server(lambda r: Reply(503, "down")) as server,
        pytest.raises(PermanentError, match="HTTP 503"),
    ):
        HttpJsonConnector().run(call(method="GET", url=server.url, retryStatuses=["409"]))
    with (
        recording_server(lambda r: Reply(409, "busy")) as server,
        pytest.raises(TransientError, match="HTTP 409"),
    ):
        HttpJsonConnector().run(call(method="GET", url=server.url, retryStatuses=["409"]))


def test_other_4xx_are_permanent_with_a_short_excerpt_of_the_body() -> None:
    long_body = {"problem": "x" * 1000}
    with (
        recording_server(lambda r: Reply(422, long_body)) as server,
        pytest.raises(PermanentError) as raised,
    ):
        HttpJsonConnector().run(call(method="PUT", url=f"{server.url}/a", body={}))
    assert raised.value.message.startswith(f"HTTP 422 from PUT {server.url}/a: ")
    assert len(raised.value.message) < 300


def test_a_slow_answer_is_a_transient_timeout() -> None:
    def slow(request: Request) -> Reply:
        time.sleep(1.0)
        return Reply(200, {})

    with recording_server(slow) as server:
        started = time.monotonic()
        with pytest.raises(TransientError, match="timed out"):
            HttpJsonConnector().run(call(method="GET", url=server.url, readTimeout=0.2))
    assert time.monotonic() - started < 0.9


def test_a_refused_connection_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientError, match="failed"):
        HttpJsonConnector().run(call(method="GET", url=f"http://127.0.0.1:{port}/"))


def test_retry_after_may_be_an_http_date() -> None:
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("soon", now) is None


# -- through a real `stead serve` ------------------------------------------------------------


@pytest.fixture(scope="module")
def stead(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SteadServer]:
    directory = tmp_path_factory.mktemp("serve-http")
    with sqlite_server(directory) as running:
        yield running


def wait_for(client: httpx.Client, instance_id: str, done: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        instance = client.get(f"/api/process-instances/{instance_id}").json()
        if done(instance):
            return instance
        time.sleep(0.1)
    raise AssertionError(f"the instance did not settle: {instance}")


def test_stead_serve_retries_a_flaky_endpoint_and_records_each_attempt(stead: SteadServer) -> None:
    effects: dict[str, Any] = {}

    def flaky(request: Request) -> Reply:
        effects.setdefault(request.headers["idempotency-key"], request.json())
        if len(server.requests) <= 2:
            return Reply(503, "try again")
        return Reply(200, {"confirmation": "C-9"})

    with recording_server(flaky) as server:
        model = http_task_model(
            "served-flaky",
            {"method": "POST", "url": f"{server.url}/book", "body": "={seat: seat}"},
            {"resultExpression": "={confirmation: body.confirmation}"},
        )
        deployed = stead.admin.post("/api/deployments", files=[("files", ("f.bpmn", model))])
        assert deployed.status_code == 200, deployed.text
        started = stead.admin.post(
            "/api/process-instances", json={"processId": "served-flaky", "variables": {"seat": 4}}
        )
        assert started.status_code == 201, started.text
        instance = wait_for(stead.admin, started.json()["id"], lambda i: i["state"] != "active")

    assert instance["state"] == "completed"
    assert instance["variables"] == {"seat": 4, "confirmation": "C-9"}
    keys = {request.headers["idempotency-key"] for request in server.requests}
    assert len(server.requests) == 3
    assert keys == {f"{instance['id']}:{next(iter(effects)).split(':')[1]}"}
    assert list(effects.values()) == [{"seat": 4}]
    history = stead.admin.get(f"/api/process-instances/{instance['id']}/history").json()
    failures = [entry["data"] for entry in history if entry["event"] == "job.failed"]
    assert [f["backoffSeconds"] for f in failures] == [0.2, 0.4]
    assert all(f["error"].startswith("HTTP 503 from POST") for f in failures)
    assert all("retryAt" in f for f in failures)


def test_stead_serve_refuses_a_model_missing_a_required_input(stead: SteadServer) -> None:
    model = http_task_model("served-no-url", {"method": "GET"})
    answer = stead.admin.post("/api/deployments", files=[("files", ("n.bpmn", model))])
    assert answer.status_code == 422
    assert "call: connector stead:http-json:1 needs input 'url'" in answer.json()["detail"]


def test_the_api_lists_contracts_and_element_templates(stead: SteadServer) -> None:
    with stead.user("template-reader", ["user"]) as reader, stead.client() as stranger:
        contracts = reader.get("/api/connectors")
        templates = reader.get("/api/connectors/templates")
        refused = stranger.get("/api/connectors/templates")
    assert contracts.status_code == 200
    http = next(c for c in contracts.json() if c["jobType"] == "stead:http-json:1")
    assert "url" in http["inputSchema"]["required"]
    assert templates.status_code == 200
    template = next(t for t in templates.json() if t["id"] == "stead.connectors.http-json")
    assert template == element_template(HttpJsonConnector.contract)
    assert refused.status_code == 401


def test_stead_serve_without_connectors_leaves_connector_jobs_alone(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "STEAD_ADMIN_PASSWORD": ADMIN_PASSWORD}
    env.pop("STEAD_DEBUG", None)
    log = tmp_path / "serve.log"
    database = f"sqlite:///{tmp_path / 'stead.db'}"
    command = [sys.executable, "-m", "stead.cli", "--db", database, "serve"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--no-connectors"], stdout=out, stderr=out, env=env
        )
    server = SteadServer(process, f"http://127.0.0.1:{port}", log, database)
    server.wait_until_healthy()
    with recording_server() as receiver:
        try:
            model = http_task_model("left-alone", {"method": "GET", "url": receiver.url})
            server.admin.post("/api/deployments", files=[("files", ("l.bpmn", model))])
            started = server.admin.post("/api/process-instances", json={"processId": "left-alone"})
            time.sleep(2.0)  # several polls of a runner, had there been one
        finally:
            assert server.stop() == 0
    assert receiver.requests == []
    with Runtime.open(database) as runtime:
        jobs = runtime.list_jobs(instance_id=started.json()["id"])
    assert [(job.type, job.state) for job in jobs] == [("stead:http-json:1", "activatable")]
