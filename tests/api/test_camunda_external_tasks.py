"""Workers written for Camunda 7, with its published Python and JavaScript clients unchanged,
run against a real ``stead serve`` over HTTP: they complete tasks with variables, fail with
retries until an incident is raised, and throw a BPMN error that a boundary event catches."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.server import ADMIN_PASSWORD, SteadServer
from stead.commands import Commands

HERE = Path(__file__).parent
JS_PROJECT = HERE / "camunda_js"
MODELS = JS_PROJECT / "models"
ON_CI = os.environ.get("CI") == "true"


class Server:
    """The module's ``stead serve`` and an admin client for its Camunda routes."""

    def __init__(self, served: SteadServer) -> None:
        self.engine_url = f"{served.url}/engine-rest"
        self.database_url = served.database_url
        self.http = httpx.Client(
            base_url=self.engine_url, auth=("admin", ADMIN_PASSWORD), timeout=30
        )

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(path, json=body)


@pytest.fixture(scope="module")
def server(stead_server: SteadServer) -> Iterator[Server]:
    running = Server(stead_server)
    yield running
    running.http.close()


@pytest.fixture(scope="module")
def commands(server: Server) -> Iterator[Commands]:
    """The server's database, opened by the tests to deploy, start and look."""
    opened = Commands.open(server.database_url)
    opened.deploy(sorted(MODELS.glob("*.bpmn")))
    yield opened
    opened.close()


@pytest.fixture
def topic(request: pytest.FixtureRequest, commands: Commands) -> str:
    """A process of its own for this test (one charge task whose topic is the process id), so
    that tests sharing the server never fetch each other's tasks."""
    name = f"charge-{uuid.uuid4().hex[:10]}"
    model = (MODELS / "charge.bpmn").read_text().replace("camunda-charge", name)
    commands.deploy_content(f"{name}.bpmn", model.encode())
    return name


def eventually(check: Callable[[], Any], *, timeout: float = 30.0, what: str = "") -> Any:
    """The first truthy result of ``check``, polled until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what or check}")
        time.sleep(0.1)


def _start_all(commands: Commands) -> dict[str, str]:
    charge = commands.start(
        "camunda-charge",
        {"amount": 21, "order": {"id": "A-17", "lines": [1, 2, 3]}},
        business_key="A-17",
    )
    flaky = commands.start("camunda-flaky", {})
    validate = commands.start("camunda-validate", {"iban": "XX00"})
    return {"charge": charge.id, "flaky": flaky.id, "validate": validate.id}


def _assert_outcomes(commands: Commands, started: dict[str, str], worker: str) -> None:
    charged = eventually(
        lambda: (i := commands.instance(started["charge"])).state == "completed" and i,
        what="the charge instance to complete",
    )
    assert charged.variables["charged"] is True
    assert charged.variables["total"] == 42
    assert charged.variables["receipt"] == {"orderId": "A-17", "lines": 3, "by": worker}
    assert charged.variables["note"] == "charged A-17"

    incidents = eventually(
        lambda: commands.incidents(instance_id=started["flaky"]), what="the flaky incident"
    )
    assert len(incidents) == 1
    assert incidents[0].element_id == "CallService"
    assert "the card service is down" in incidents[0].message
    failures = [
        entry for entry in commands.history(started["flaky"]) if entry.event == "job.failed"
    ]
    assert len(failures) == 3  # three attempts: retries 3 -> 2 -> 1 -> 0
    assert commands.instance(started["flaky"]).state == "active"

    rejected = eventually(
        lambda: (i := commands.instance(started["validate"])).state == "completed" and i,
        what="the validate instance to end through the boundary event",
    )
    ended_at = {entry.element_id for entry in commands.history(started["validate"])}
    assert "InvalidDetails" in ended_at
    assert "Rejected" in ended_at
    assert "Accepted" not in ended_at
    assert rejected.variables["rejection"] == {"code": "INVALID", "field": "iban"}


# -- the Python client ------------------------------------------------------------------------


def _python_handler(task: Any) -> Any:
    topic = task.get_topic_name()
    if topic == "camunda-charge":
        order = task.get_variable("order")
        order = json.loads(order) if isinstance(order, str) else order
        return task.complete(
            {
                "charged": True,
                "total": task.get_variable("amount") * 2,
                "receipt": {
                    "value": json.dumps(
                        {"orderId": order["id"], "lines": len(order["lines"]), "by": "py-worker"}
                    ),
                    "type": "Json",
                },
                "note": f"charged {order['id']}",
            }
        )
    if topic == "camunda-flaky":
        return task.failure("the card service is down", "HTTP 503 from the card service", 3, 100)
    return task.bpmn_error(
        "INVALID",
        "the IBAN is invalid",
        {"rejection": {"value": '{"code": "INVALID", "field": "iban"}', "type": "Json"}},
    )


# The published client still uses pydantic's version 1 validators.
@pytest.mark.filterwarnings("ignore::pydantic.warnings.PydanticDeprecatedSince20")
def test_the_python_client_completes_fails_and_throws_errors(
    server: Server, commands: Commands
) -> None:
    from camunda.external_task.external_task_worker import (
        ExternalTaskWorker,
        NoExternalTaskFound,
    )

    started = _start_all(commands)
    worker = ExternalTaskWorker(
        worker_id="py-worker",
        base_url=server.engine_url,
        config={
            "auth_basic": {"username": "admin", "password": ADMIN_PASSWORD},
            "maxTasks": 5,
            "lockDuration": 30000,
            "asyncResponseTimeout": 1000,
            "sleepSeconds": 0,
        },
    )
    stop = threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        topics = ["camunda-charge", "camunda-flaky", "camunda-validate"]
        while not stop.is_set():
            try:
                worker.fetch_and_execute(topics, _python_handler)
            except NoExternalTaskFound:
                pass
            except Exception as error:  # keep serving, but make the test fail
                errors.append(error)
                time.sleep(0.2)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        _assert_outcomes(commands, started, "py-worker")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not errors, errors


# -- the JavaScript client --------------------------------------------------------------------


@pytest.fixture(scope="session")
def js_worker_installed() -> Path:
    """``npm ci`` in the worker's folder once per session (node and npm must be installed)."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        message = "node and npm are needed for the JavaScript client test"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    installed = JS_PROJECT / "node_modules" / "camunda-external-task-client-js"
    lock = JS_PROJECT / "package-lock.json"
    marker = JS_PROJECT / "node_modules" / ".package-lock.json"
    # Each test process has its own session: the first to take the lock installs, and the
    # others wait for it instead of running `npm ci` in the same folder at the same time.
    with (JS_PROJECT / ".install-lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if (
            not installed.exists()
            or not marker.exists()
            or marker.stat().st_mtime < lock.stat().st_mtime
        ):
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"], cwd=JS_PROJECT, check=True, timeout=300
            )
    return JS_PROJECT / "worker.mjs"


def test_the_javascript_client_completes_fails_and_throws_errors(
    server: Server, commands: Commands, js_worker_installed: Path, tmp_path: Path
) -> None:
    started = _start_all(commands)
    log = tmp_path / "js-worker.log"
    env = {
        **os.environ,
        "STEAD_ENGINE_URL": server.engine_url,
        "STEAD_USER": "admin",
        "STEAD_PASSWORD": ADMIN_PASSWORD,
        "WORKER_ID": "js-worker",
    }
    with log.open("wb") as output:
        node = subprocess.Popen(
            ["node", str(js_worker_installed)],
            cwd=JS_PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _assert_outcomes(commands, started, "js-worker")
    except BaseException:
        print(log.read_text())
        raise
    finally:
        node.terminate()
        node.wait(timeout=10)
    assert "✖" not in log.read_text(), log.read_text()  # the client's mark of a failed call


# -- the protocol, request by request --------------------------------------------------------


def _fetch(server: Server, topic: str, worker: str, **options: Any) -> httpx.Response:
    wanted = {"topicName": topic, "lockDuration": 60000, **options.pop("topic_options", {})}
    body = {"workerId": worker, "maxTasks": 10, "topics": [wanted], **options}
    return server.post("/external-task/fetchAndLock", body)


def test_a_fetched_task_shows_what_camunda_shows_with_typed_variables(
    server: Server, commands: Commands, topic: str
) -> None:
    started = commands.start(
        topic,
        {"amount": 21, "big": 2**40, "rate": 0.5, "order": {"id": "A-1"}, "secret": "x"},
        business_key="A-1",
    )
    fetched = eventually(
        lambda: _fetch(
            server,
            topic,
            "w1",
            topic_options={"variables": ["amount", "big", "rate", "order", "missing"]},
        ).json(),
        what="a task",
    )
    assert len(fetched) == 1
    task = fetched[0]
    assert task["topicName"] == topic
    assert task["workerId"] == "w1"
    assert task["processInstanceId"] == started.id
    assert task["processDefinitionKey"] == topic
    assert task["activityId"] == "ChargeCard"
    assert task["businessKey"] == "A-1"
    assert task["retries"] == 3
    assert task["extensionProperties"] == {"currency": "EUR"}
    assert task["lockExpirationTime"].endswith("+0000")
    assert task["variables"] == {
        "amount": {"type": "Integer", "value": 21, "valueInfo": {}},
        "big": {"type": "Long", "value": 2**40, "valueInfo": {}},
        "rate": {"type": "Double", "value": 0.5, "valueInfo": {}},
        "order": {
            "type": "Json",
            "value": '{"id":"A-1"}',
            "valueInfo": {"serializationDataFormat": "application/json"},
        },
    }
    listed = server.http.get("/external-task", params={"workerId": "w1"}).json()
    assert [entry["id"] for entry in listed] == [task["id"]]


def test_only_the_worker_holding_the_lock_may_finish_a_task(
    server: Server, commands: Commands, topic: str
) -> None:
    started = commands.start(topic, {"amount": 1, "order": {"id": "B"}})
    task = eventually(lambda: _fetch(server, topic, "holder").json(), what="a task")[0]
    path = f"/external-task/{task['id']}"
    for action, body in [
        ("complete", {}),
        ("failure", {"errorMessage": "no", "retries": 0}),
        ("bpmnError", {"errorCode": "INVALID"}),
        ("extendLock", {"newDuration": 1000}),
    ]:
        refused = server.post(f"{path}/{action}", {"workerId": "intruder", **body})
        assert refused.status_code == 400, (action, refused.text)
        assert refused.json()["type"] == "InvalidRequestException"
        assert "'holder'" in refused.json()["message"]
    assert commands.instance(started.id).state == "active"

    before = server.http.get(path).json()["lockExpirationTime"]
    time.sleep(0.01)
    assert (
        server.post(f"{path}/extendLock", {"workerId": "holder", "newDuration": 600000}).status_code
        == 204
    )
    assert server.http.get(path).json()["lockExpirationTime"] > before

    assert server.post(f"{path}/unlock", {}).status_code == 204
    assert server.post(f"{path}/complete", {"workerId": "holder"}).status_code == 400
    taken_over = _fetch(server, topic, "second").json()
    assert [t["id"] for t in taken_over] == [task["id"]]
    done = server.post(
        f"{path}/complete",
        {"workerId": "second", "variables": {"ok": {"value": True, "type": "Boolean"}}},
    )
    assert done.status_code == 204
    finished = commands.instance(started.id)
    assert finished.state == "completed"
    assert finished.variables["ok"] is True
    gone = server.post(f"{path}/complete", {"workerId": "second"})
    assert gone.status_code == 404
    assert gone.json() == {
        "type": "InvalidRequestException",
        "message": f"External task with id {task['id']} does not exist",
    }


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/external-task/fetchAndLock", {"maxTasks": 1, "topics": []}),
        ("/external-task/fetchAndLock", {"workerId": "w", "maxTasks": -1, "topics": []}),
        (
            "/external-task/fetchAndLock",
            {"workerId": "w", "maxTasks": 1, "topics": [{"topicName": "t", "lockDuration": 0}]},
        ),
        (
            "/external-task/fetchAndLock",
            {
                "workerId": "w",
                "maxTasks": 1,
                "topics": [{"topicName": "t", "lockDuration": 1, "processDefinitionKey": "p"}],
            },
        ),
        (
            "/external-task/fetchAndLock",
            {"workerId": "w", "maxTasks": 1, "asyncResponseTimeout": -5},
        ),
        ("/external-task/fetchAndLock", "not an object"),
        ("/external-task/1/failure", {"workerId": "w", "retries": -1}),
        ("/external-task/1/extendLock", {"workerId": "w", "newDuration": 0}),
        ("/external-task/1/lock", {"workerId": "w", "lockDuration": 10**15}),
        ("/external-task/1/bpmnError", {"workerId": "w"}),
        (
            "/external-task/1/complete",
            {"workerId": "w", "variables": {"a": {"value": "x", "type": "Integer"}}},
        ),
    ],
)
def test_bad_requests_are_400_in_camunda_format(server: Server, path: str, body: Any) -> None:
    response = server.http.post(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == "InvalidRequestException"
    assert response.json()["message"]


def test_unknown_tasks_are_404(server: Server) -> None:
    for task_id in ("424242", "not-a-number", "9" * 40, "\u00b9"):  # "¹" is a digit to Python
        response = server.post(f"/external-task/{task_id}/complete", {"workerId": "w"})
        assert response.status_code == 404
        assert server.post(f"/external-task/{task_id}/unlock", {}).status_code == 404
        assert server.http.get(f"/external-task/{task_id}").status_code == 404


def test_a_long_poll_returns_as_soon_as_a_task_arrives_and_empty_when_time_is_up(
    server: Server, commands: Commands, topic: str
) -> None:
    began = time.monotonic()
    empty = _fetch(server, topic, "poller", asyncResponseTimeout=1500)
    waited = time.monotonic() - began
    assert empty.json() == []
    assert 1.4 <= waited < 5

    def start_later() -> None:
        time.sleep(0.5)
        commands.start(topic, {"amount": 3, "order": {"id": "C"}})

    threading.Thread(target=start_later).start()
    began = time.monotonic()
    arrived = _fetch(server, topic, "poller", asyncResponseTimeout=20000)
    waited = time.monotonic() - began
    assert len(arrived.json()) == 1
    # Started by another process: found at the next re-check, long before the timeout.
    assert 0.4 <= waited < 5


def test_the_routes_need_credentials_with_the_jobs_permission(
    server: Server, commands: Commands
) -> None:
    from stead.auth import Accounts

    runtime = commands.runtime
    accounts = Accounts(runtime.database, tenant=runtime.tenant, clock=runtime.clock)
    clerk_name, robot_name = f"clerk-{uuid.uuid4().hex[:6]}", f"robot-{uuid.uuid4().hex[:6]}"
    accounts.create_user(clerk_name, roles=["user"], password="clerk-password")
    accounts.create_user(robot_name, roles=["worker"], password="robot-password")
    body = {"workerId": "w", "maxTasks": 1, "topics": []}
    anonymous = httpx.post(f"{server.engine_url}/external-task/fetchAndLock", json=body)
    assert anonymous.status_code == 401
    clerk = httpx.post(
        f"{server.engine_url}/external-task/fetchAndLock",
        json=body,
        auth=(clerk_name, "clerk-password"),
    )
    assert clerk.status_code == 403
    robot = httpx.post(
        f"{server.engine_url}/external-task/fetchAndLock",
        json=body,
        auth=(robot_name, "robot-password"),
    )
    assert robot.status_code == 200
    assert robot.json() == []


def test_a_failure_with_retries_left_comes_back_with_its_error_and_none_left_is_an_incident(
    server: Server, commands: Commands, topic: str
) -> None:
    started = commands.start(topic, {"amount": 1, "order": {"id": "D"}})
    task = eventually(lambda: _fetch(server, topic, "w").json(), what="a task")[0]
    failed = server.post(
        f"/external-task/{task['id']}/failure",
        {
            "workerId": "w",
            "errorMessage": "timeout",
            "errorDetails": "no answer in 30 s",
            "retries": 1,
            "retryTimeout": 0,
        },
    )
    assert failed.status_code == 204
    again = eventually(lambda: _fetch(server, topic, "w").json(), what="the retry")[0]
    assert again["id"] == task["id"]
    assert again["retries"] == 1
    assert again["errorMessage"] == "timeout"
    assert again["errorDetails"] == "no answer in 30 s"

    last = server.post(
        f"/external-task/{task['id']}/failure",
        {"workerId": "w", "errorMessage": "still down", "retries": 0, "retryTimeout": 0},
    )
    assert last.status_code == 204
    incidents = commands.incidents(instance_id=started.id)
    assert [incident.message for incident in incidents] == ["still down"]
    assert _fetch(server, topic, "w").json() == []
    shown = server.http.get(f"/external-task/{task['id']}").json()
    assert shown["retries"] == 0
    assert shown["workerId"] is None


def test_a_task_locked_by_id_belongs_to_that_worker_until_it_completes(
    server: Server, commands: Commands, topic: str
) -> None:
    commands.start(topic, {"amount": 1, "order": {"id": "E"}})
    listed = eventually(
        lambda: server.http.get("/external-task", params={"topicName": topic}).json(),
        what="the task in the list",
    )
    path = f"/external-task/{listed[0]['id']}"
    assert server.post(f"{path}/lock", {"workerId": "a", "lockDuration": 60000}).status_code == 204
    taken = server.post(f"{path}/lock", {"workerId": "b", "lockDuration": 60000})
    assert taken.status_code == 400
    assert "'a'" in taken.json()["message"]
    assert _fetch(server, topic, "b").json() == []
    assert server.post(f"{path}/complete", {"workerId": "a"}).status_code == 204


def test_a_body_that_is_not_text_is_400_in_camunda_format(server: Server) -> None:
    response = server.http.post(
        "/external-task/1/complete",
        content=b"\x07\xff",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["type"] == "InvalidRequestException"


def _new_token(commands: Commands, role: str) -> str:
    """An API token of a new account with ``role``: its first request proves it afresh."""
    from stead.auth import Accounts

    runtime = commands.runtime
    accounts = Accounts(runtime.database, tenant=runtime.tenant, clock=runtime.clock)
    name = f"{role}-{uuid.uuid4().hex[:6]}"
    accounts.create_user(name, roles=[role], password=f"{role}-password")
    return accounts.create_token(name, "fast lane test").token


# A worker's fetch and complete requests take a fast lane once its credentials were proven
# moments ago; the first request of a new token takes the full route. Both must answer alike.
_EMPTY_TOPIC = '{"topicName": "nothing-here", "lockDuration": 1000}'


@pytest.mark.parametrize(
    ("case", "path", "content", "content_type"),
    [
        ("unknown task", "424242/complete", '{"workerId": "w"}', "application/json"),
        ("another's lock", "{task}/complete", '{"workerId": "intruder"}', "application/json"),
        ("no workerId", "424242/complete", '{"variables": {}}', "application/json"),
        ("not JSON", "424242/complete", '{"workerId": ', "application/json"),
        (
            "wrong variable type",
            "424242/complete",
            '{"workerId": "w", "variables": {"a": {"value": "x", "type": "Long"}}}',
            "application/json",
        ),
        ("not JSON content", "424242/complete", '{"workerId": "w"}', "text/plain"),
        (
            "charset given",
            "424242/complete",
            '{"workerId": "w"}',
            "application/json; charset=utf-8",
        ),
        (
            "nothing to fetch",
            "fetchAndLock",
            f'{{"workerId": "w", "maxTasks": 5, "topics": [{_EMPTY_TOPIC}]}}',
            "application/json",
        ),
        (
            "a topic twice",
            "fetchAndLock",
            f'{{"workerId": "w", "maxTasks": 5, "topics": [{_EMPTY_TOPIC}, {_EMPTY_TOPIC}]}}',
            "application/json",
        ),
        (
            "an unsupported filter",
            "fetchAndLock",
            '{"workerId": "w", "maxTasks": 1, "topics": '
            '[{"topicName": "t", "lockDuration": 1, "businessKey": "b"}]}',
            "application/json",
        ),
        ("no topics", "fetchAndLock", '{"workerId": "w", "maxTasks": -1}', "application/json"),
    ],
)
def test_worker_requests_are_answered_alike_before_and_after_credentials_are_proven(
    server: Server,
    commands: Commands,
    topic: str,
    case: str,
    path: str,
    content: str,
    content_type: str,
) -> None:
    token = _new_token(commands, "worker")
    if "{task}" in path:
        commands.start(topic, {"amount": 1, "order": {"id": "L"}})
        task = eventually(lambda: _fetch(server, topic, "holder").json(), what="a task")[0]
        path = path.format(task=task["id"])

    def send() -> httpx.Response:
        return httpx.post(
            f"{server.engine_url}/external-task/{path}",
            content=content.encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )

    first, second = send(), send()
    assert (second.status_code, second.headers.get("content-type"), second.content) == (
        first.status_code,
        first.headers.get("content-type"),
        first.content,
    ), case
    assert first.status_code in ((200,) if case == "nothing to fetch" else (400, 404)), first.text


def test_a_complete_needs_the_jobs_permission_even_from_proven_credentials(
    server: Server, commands: Commands
) -> None:
    token = _new_token(commands, "user")
    for _ in range(2):  # the second time, the credentials were proven moments ago
        refused = httpx.post(
            f"{server.engine_url}/external-task/424242/complete",
            json={"workerId": "w"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
