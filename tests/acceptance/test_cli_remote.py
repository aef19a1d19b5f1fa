"""``stead --server URL``: the CLI against a real ``stead serve`` over its HTTP API, printing
what it prints on the database itself, and failing with the same messages and exit codes.

Most commands run in this process (typer's runner: the same code, without a second of Python
start-up per command); the entry point itself runs as a subprocess where exit codes and the
environment matter most."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from api import bpmn
from api.server import SteadServer, free_port, sqlite_server
from cli_harness import MODELS, SteadCli
from typer.testing import CliRunner

from stead.cli.main import app

_UNSET = dict.fromkeys(("STEAD_SERVER", "STEAD_TOKEN", "STEAD_DATABASE_URL", "STEAD_DEBUG"))


@dataclass
class InProcessCli:
    """``stead`` run by typer's test runner with these environment variables."""

    env: dict[str, str | None]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = CliRunner().invoke(app, list(args), env={**_UNSET, **self.env})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        done = subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)
        if check and done.returncode != 0:
            raise AssertionError(f"stead {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SteadServer]:
    directory = tmp_path_factory.mktemp("remote-cli")
    with sqlite_server(directory) as running:
        yield running


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEAD_")}
    return {**env, **values}


@pytest.fixture(scope="module")
def admin_token(server: SteadServer) -> str:
    created = server.admin.post("/api/users/admin/tokens", json={"label": "remote cli"})
    assert created.status_code == 201, created.text
    return str(created.json()["token"])


@pytest.fixture
def remote(server: SteadServer, admin_token: str) -> InProcessCli:
    """The CLI talking to the server (URL and token from the environment)."""
    return InProcessCli({"STEAD_SERVER": server.url, "STEAD_TOKEN": admin_token})


@pytest.fixture
def local(server: SteadServer) -> InProcessCli:
    """The CLI on the server's own database file, for comparison."""
    return InProcessCli({"STEAD_DATABASE_URL": server.database_url})


def _charge(server: SteadServer, instance_id: str, *, fail: bool = False) -> None:
    """Act as the charge-card worker, over HTTP, for one instance."""
    activated = server.admin.post(
        "/api/jobs/activation",
        json={"type": "charge-card", "worker": "tests", "maxJobs": 50, "requestTimeoutMs": 5000},
    )
    assert activated.status_code == 200, activated.text
    jobs = [j for j in activated.json()["jobs"] if j["processInstanceId"] == instance_id]
    assert jobs, activated.text
    if fail:
        path, body = "failure", {"errorMessage": "card declined", "retries": 0}
    else:
        path, body = "completion", {"variables": {"charged": 1}}
    done = server.admin.post(f"/api/jobs/{jobs[0]['id']}/{path}", json=body)
    assert done.status_code == 204, done.text


def _start(remote: InProcessCli, order_id: str) -> dict[str, Any]:
    started: dict[str, Any] = remote.json(
        "start", "order", "--variables", f'{{"orderId": "{order_id}", "amount": 2500}}'
    )
    return started


def test_an_order_runs_through_the_server_from_the_cli(
    server: SteadServer, remote: InProcessCli
) -> None:
    deployed = remote.json("deploy", str(MODELS / "order.bpmn"))
    assert [(d["processId"], d["created"]) for d in deployed["processes"]] in (
        [("order", True)],
        [("order", False)],  # another test of this module deployed it first
    )
    started = _start(remote, "R-1")
    assert started["state"] == "active"
    _charge(server, started["id"])

    task = next(
        t
        for t in remote.json("tasks", "--group", "sales")
        if t["processInstanceId"] == started["id"]
    )
    claimed = remote.run("task", "claim", str(task["id"]), "admin")
    assert claimed.stdout.strip() == f"task {task['id']} claimed (assignee: admin)"
    completed = remote.json("task", "complete", str(task["id"]), "--variables", '{"ok": true}')
    assert (completed["state"], completed["completedBy"]) == ("completed", "admin")

    published = remote.json(
        "message", "publish", "payment-received", "--correlation-key", "R-1", "--ttl", "PT1M"
    )
    assert published["correlated"] == [started["id"]]
    shown = remote.json("instance", started["id"])
    assert shown["state"] == "completed"
    assert shown["variables"] == {"orderId": "R-1", "amount": 2500, "charged": 1, "ok": True}
    assert ("element.completed", "Done") in {(h["event"], h["elementId"]) for h in shown["history"]}


def test_output_is_the_same_through_the_server_as_on_the_database(
    server: SteadServer, remote: InProcessCli, local: InProcessCli
) -> None:
    remote.run("deploy", str(MODELS / "order.bpmn"))
    waiting = _start(remote, "S-1")
    _charge(server, waiting["id"])
    failing = _start(remote, "S-2")
    _charge(server, failing["id"], fail=True)
    remote.run("cancel", _start(remote, "S-3")["id"])

    for args in [
        ("definitions",),
        ("definition", "show", "order"),
        ("definition", "source", "order", "--version", "1"),
        ("instances", "--limit", "500"),
        ("instances", "--state", "terminated", "--ended-after", "2000-01-01"),
        ("instance", waiting["id"]),
        ("tasks", "--group", "sales"),
        ("task", "show", str(remote.json("tasks", "--instance", waiting["id"])[0]["id"])),
        ("incidents",),
    ]:
        table = remote.run(*args).stdout
        assert table == local.run(*args).stdout, args
        assert table.strip()
        if args[1:2] != ("source",):
            assert remote.json(*args) == local.json(*args), args


def test_a_folder_of_a_model_and_its_form_deploys_and_the_task_shows_the_form(
    remote: InProcessCli, local: InProcessCli, tmp_path: Path
) -> None:
    (tmp_path / "approval.bpmn").write_bytes(
        bpmn.reviewed("approval", form_id="approval-form", groups="clerks")
    )
    (tmp_path / "approval.form").write_bytes(bpmn.form("approval-form"))
    (tmp_path / "notes.txt").write_text("not deployed: neither a model nor a form")
    deployed = remote.run("deploy", str(tmp_path)).stdout.splitlines()
    assert deployed == [
        f"deployed: approval version 1 ({tmp_path / 'approval.bpmn'})",
        f"deployed: form approval-form version 1 ({tmp_path / 'approval.form'})",
    ]
    instance_id = remote.json("start", "approval")["id"]
    task_id = str(remote.json("tasks", "--instance", instance_id)[0]["id"])
    form = remote.json("task", "form", task_id)
    assert (form["formId"], form["version"]) == ("approval-form", 1)
    assert form["schema"]["components"][0]["key"] == "approved"
    assert remote.run("task", "form", task_id).stdout == local.run("task", "form", task_id).stdout


def test_incidents_are_resolved_and_variables_set_through_the_server(
    server: SteadServer, remote: InProcessCli
) -> None:
    remote.run("deploy", str(MODELS / "order.bpmn"))
    instance_id = _start(remote, "I-1")["id"]
    _charge(server, instance_id, fail=True)
    incidents = remote.json("incidents", "--instance", instance_id)
    assert [(i["elementId"], i["message"]) for i in incidents] == [("Charge", "card declined")]

    assert remote.json("set-variables", instance_id, '{"card": "visa"}')["variables"]["card"] == (
        "visa"
    )
    resolved = remote.run("incident", "resolve", str(incidents[0]["id"]))
    assert resolved.stdout.strip() == f"incident {incidents[0]['id']} resolved"
    assert remote.json("incidents", "--instance", instance_id) == []
    _charge(server, instance_id)  # the job is there to take again
    assert remote.json("cancel", instance_id)["state"] == "terminated"


@pytest.mark.parametrize(
    ("args", "expected", "code"),
    [
        (("instance", "no-such-id"), "no process instance no-such-id", 1),
        (("start", "unknown-process"), "no deployed process unknown-process", 1),
        (("start", "order", "--variables", "[1]"), "variables: must be a JSON object", 1),
        (("deploy", str(MODELS.parent / "invalid-models" / "broken.bpmn")), "NoType", 1),
        (("deploy", "/no/such/file.bpmn"), "/no/such/file.bpmn: no such file or folder", 1),
        (("task", "complete", "999999"), "no user task 999999", 1),
        (("incident", "resolve", "999999"), "999999", 1),
        (("definition", "source", "order", "--version", "99"), "order version 99", 1),
    ],
)
def test_errors_read_the_same_through_the_server(
    remote: InProcessCli, local: InProcessCli, args: tuple[str, ...], expected: str, code: int
) -> None:
    remote.run("deploy", str(MODELS / "order.bpmn"))
    through_server = remote.run(*args, check=False)
    on_database = local.run(*args, check=False)
    assert (through_server.returncode, on_database.returncode) == (code, code)
    assert through_server.stderr.startswith("stead: error: ")
    assert expected in through_server.stderr
    assert through_server.stderr == on_database.stderr
    assert "Traceback" not in through_server.stderr + through_server.stdout


def test_completing_a_completed_task_is_a_conflict_through_the_server(
    server: SteadServer, remote: InProcessCli
) -> None:
    remote.run("deploy", str(MODELS / "order.bpmn"))
    instance_id = _start(remote, "C-1")["id"]
    _charge(server, instance_id)
    task_id = str(remote.json("tasks", "--instance", instance_id)[0]["id"])
    remote.run("task", "complete", task_id)
    again = remote.run("task", "complete", task_id, check=False)
    assert again.returncode == 1
    assert again.stderr.startswith(f"stead: error: user task {task_id}")


def test_credentials_and_reachability_are_reported_with_the_url(
    server: SteadServer, remote: InProcessCli
) -> None:
    no_token = InProcessCli({"STEAD_SERVER": server.url}).run("instances", check=False)
    assert no_token.returncode == 1
    assert no_token.stderr.startswith(f"stead: error: {server.url}: ")
    assert "--token" in no_token.stderr

    wrong = InProcessCli({}).run(
        "--server", server.url, "--token", "not-a-token", "tasks", check=False
    )
    assert wrong.returncode == 1
    assert "--token" in wrong.stderr

    nowhere = f"http://127.0.0.1:{free_port()}"
    unreachable = remote.run("--server", nowhere, "instances", check=False)
    assert unreachable.returncode == 3
    assert unreachable.stderr.startswith(
        f"stead: error: cannot reach the Stead server at {nowhere}"
    )
    assert "Traceback" not in unreachable.stderr


def test_serve_refuses_a_server(server: SteadServer) -> None:
    done = SteadCli(_env(STEAD_SERVER=server.url)).run("serve", "--port", "1", check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("stead: error: `stead serve` works on the database itself")
    assert f"STEAD_SERVER is set ({server.url})" in done.stderr


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("user", "list"), "stead user list"),
        (("token", "create", "admin"), "stead token create"),
        (("user", "add", "x", "--role", "user"), "stead user add"),
    ],
)
def test_commands_that_need_the_database_refuse_a_server(
    server: SteadServer, args: tuple[str, ...], name: str
) -> None:
    done = InProcessCli({}).run("--server", server.url, *args, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"stead: error: `{name}` works on the database itself")
    assert "--server was given" in done.stderr


def test_a_server_that_is_not_stead_is_named(tmp_path: Path, remote: InProcessCli) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    other = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the plain HTTP server did not start"
                time.sleep(0.1)
        done = remote.run("--server", url, "definitions", check=False)
        assert done.returncode == 2
        assert done.stderr.startswith(f"stead: error: {url} answered GET /api/process-definitions")
        assert "is it a Stead server?" in done.stderr
    finally:
        other.terminate()
        other.wait(timeout=10)
