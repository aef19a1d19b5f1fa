"""The ``stead`` CLI end to end, run as a user runs it: deploy, start, work, inspect, fail."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_harness import MODELS, SteadCli


def wait_for(check: Callable[[], Any], *, timeout: float = 30.0) -> Any:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)


@pytest.fixture
def worker(stead: SteadCli, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    stead.run("deploy", str(MODELS / "order.bpmn"))
    log = tmp_path / "worker.log"
    process = stead.start_process("worker", "run", str(MODELS / "handlers.py"), log=log)
    yield process
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)
    assert process.returncode == 0, log.read_text()


def instance_state(stead: SteadCli, instance_id: str) -> dict[str, Any]:
    result: dict[str, Any] = stead.json("instance", instance_id)
    return result


def test_deploy_keeps_the_version_of_unchanged_content(stead: SteadCli) -> None:
    first = stead.json("deploy", str(MODELS / "order.bpmn"))["processes"]
    again = stead.json("deploy", str(MODELS / "order.bpmn"))["processes"]
    assert [(d["processId"], d["version"], d["created"]) for d in first] == [("order", 1, True)]
    assert [(d["processId"], d["version"], d["created"]) for d in again] == [("order", 1, False)]
    assert "unchanged: order version 1" in stead.run("deploy", str(MODELS)).stdout


def test_an_order_runs_through_worker_task_and_message(
    stead: SteadCli, worker: subprocess.Popen[bytes]
) -> None:
    started = stead.json("start", "order", "--variables", '{"orderId": "A-1", "amount": 2500}')
    assert {"id", "processId", "version", "businessKey", "state", "variables"} <= started.keys()
    instance_id = started["id"]

    tasks = wait_for(lambda: stead.json("tasks", "--group", "sales"))
    assert tasks[0]["elementId"] == "Approve"
    assert tasks[0]["processInstanceId"] == instance_id
    assert tasks[0]["candidateGroups"] == ["sales"]
    assert instance_state(stead, instance_id)["variables"]["charged"] == 2500

    stead.run("task", "complete", str(tasks[0]["id"]), "--variables", '{"approved": true}')
    waiting = instance_state(stead, instance_id)["waiting"]
    assert [w["elementId"] for w in waiting] == ["WaitPayment"]

    published = stead.json(
        "message",
        "publish",
        "payment-received",
        "--correlation-key",
        "A-1",
        "--variables",
        '{"paid": true}',
    )
    assert published["correlated"] == [instance_id]
    final = instance_state(stead, instance_id)
    assert final["state"] == "completed"
    assert final["variables"] == {
        "orderId": "A-1",
        "amount": 2500,
        "charged": 2500,
        "approved": True,
        "paid": True,
    }
    events = [(h["event"], h["elementId"]) for h in final["history"]]
    assert ("element.completed", "Charge") in events
    assert ("element.completed", "Done") in events


def test_a_bpmn_error_from_the_worker_is_caught_by_the_boundary_event(
    stead: SteadCli, worker: subprocess.Popen[bytes]
) -> None:
    instance_id = stead.json(
        "start", "order", "--variables", '{"orderId": "B-2", "amount": 10, "card": "stolen"}'
    )["id"]
    final = wait_for(
        lambda: (s := instance_state(stead, instance_id))["state"] == "completed" and s
    )
    completed = {h["elementId"] for h in final["history"] if h["event"] == "element.completed"}
    assert "Cancelled" in completed
    assert "Done" not in completed


def test_exhausted_retries_raise_an_incident_that_an_operator_resolves(
    stead: SteadCli, worker: subprocess.Popen[bytes]
) -> None:
    instance_id = stead.json(
        "start", "order", "--variables", '{"orderId": "C-3", "amount": 10, "card": "broken"}'
    )["id"]
    incidents = wait_for(lambda: stead.json("incidents", "--instance", instance_id), timeout=60)
    assert incidents[0]["elementId"] == "Charge"
    assert "payment gateway unreachable" in incidents[0]["message"]

    stead.run("set-variables", instance_id, '{"card": "visa"}')
    stead.run("incident", "resolve", str(incidents[0]["id"]))
    wait_for(lambda: instance_state(stead, instance_id)["waiting"][0]["elementId"] == "WaitPayment")
    assert stead.json("incidents") == []


def test_idempotency_key_returns_the_same_instance(stead: SteadCli) -> None:
    stead.run("deploy", str(MODELS / "order.bpmn"))
    args = ("start", "order", "--idempotency-key", "order-77", "--variables", '{"orderId": "x"}')
    first, second = stead.json(*args), stead.json(*args)
    assert first["id"] == second["id"]
    assert len(stead.json("instances")["items"]) == 1


def test_cancel_terminates_an_instance(stead: SteadCli) -> None:
    stead.run("deploy", str(MODELS / "order.bpmn"))
    instance_id = stead.json("start", "order", "--variables", '{"orderId": "D", "amount": 1}')["id"]
    assert stead.json("cancel", instance_id)["state"] == "terminated"
    assert stead.json("instances", "--state", "terminated")["items"][0]["id"] == instance_id


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("instance", "no-such-id"), "no process instance no-such-id"),
        (("start", "order", "--variables", "{oops"), "variables: not valid JSON"),
        (("start", "order", "--variables", "[1, 2]"), "variables: must be a JSON object"),
        (("start", "unknown-process"), "no deployed process unknown-process"),
        (("deploy", str(MODELS.parent / "invalid-models" / "broken.bpmn")), "NoType"),
        (("deploy", "/no/such/file.bpmn"), "no such file or folder"),
        (("task", "complete", "999"), "no user task 999"),
        (("incident", "resolve", "999"), "999"),
        (("message", "publish", "m", "--ttl", "forever"), "is not a duration"),
    ],
)
def test_bad_input_gets_a_one_line_error_and_a_non_zero_exit(
    stead: SteadCli, args: tuple[str, ...], expected: str
) -> None:
    stead.run("deploy", str(MODELS / "order.bpmn"))
    done = stead.run(*args, check=False)
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.startswith("stead: error: ")


def test_an_unreachable_database_is_reported_not_crashed(stead: SteadCli) -> None:
    stead.env["STEAD_DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    done = stead.run("instances", check=False)
    assert done.returncode == 3
    assert "database is unavailable" in done.stderr
    assert "Traceback" not in done.stderr
