"""Every REST route driven over real HTTP against a running ``stead serve``, on SQLite and on
PostgreSQL. Each test uses its own process ids, so the module shares one server."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from api import bpmn
from api.server import SteadServer, start_server


def deploy(client: httpx.Client, *files: tuple[str, bytes]) -> dict[str, Any]:
    response = client.post("/api/deployments", files=[("files", f) for f in files])
    assert response.status_code == 200, response.text
    return dict(response.json())


def start(client: httpx.Client, process_id: str, **body: Any) -> dict[str, Any]:
    response = client.post("/api/process-instances", json={"processId": process_id, **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def activate(client: httpx.Client, job_type: str, **body: Any) -> list[dict[str, Any]]:
    response = client.post("/api/jobs/activation", json={"type": job_type, "worker": "w", **body})
    assert response.status_code == 200, response.text
    return list(response.json()["jobs"])


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = dict(response.json())
    assert problem["status"] == status
    assert problem["title"]
    assert problem["detail"]
    return problem


def test_health_and_readiness(stead_server: SteadServer) -> None:
    assert httpx.get(f"{stead_server.url}/health").json() == {"status": "ok"}
    ready = stead_server.admin.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    assert ready.json()["schemaVersion"] == ready.json()["expectedSchemaVersion"]


def test_deploying_unchanged_content_keeps_the_version_and_every_source_stays(
    stead_server: SteadServer,
) -> None:
    admin = stead_server.admin
    first = deploy(admin, ("v1.bpmn", bpmn.one_job("versioned", "versioned-job")))
    again = deploy(admin, ("v1.bpmn", bpmn.one_job("versioned", "versioned-job")))
    second = deploy(admin, ("v2.bpmn", bpmn.one_job("versioned", "versioned-job-2")))
    assert [p["version"] for p in first["processes"]] == [1]
    assert (again["processes"][0]["version"], again["processes"][0]["created"]) == (1, False)
    assert second["processes"][0]["version"] == 2

    listed = admin.get("/api/deployments").json()
    assert {(d["processId"], d["version"]) for d in listed} >= {("versioned", 1), ("versioned", 2)}
    source = admin.get("/api/process-definitions/versioned/versions/1/xml")
    assert source.headers["content-type"].startswith("application/xml")
    assert "versioned-job" in source.text
    assert "versioned-job-2" not in source.text
    assert_problem(admin.get("/api/process-definitions/versioned/versions/9/xml"), 404)

    start(admin, "versioned")
    start(admin, "versioned", version=1)
    summary = admin.get("/api/process-definitions/versioned").json()
    assert summary["latestVersion"] == 2
    assert [v["version"] for v in summary["versions"]] == [2, 1]
    assert [v["instanceCounts"]["active"] for v in summary["versions"]] == [1, 1]
    assert summary["instanceCounts"]["active"] == 2
    every = admin.get("/api/process-definitions").json()
    assert "versioned" in {d["processId"] for d in every}
    assert_problem(admin.get("/api/process-definitions/never-deployed"), 404)


def test_invalid_models_and_unknown_files_are_refused_with_the_reason(
    stead_server: SteadServer,
) -> None:
    admin = stead_server.admin
    broken = bpmn.one_job("broken").replace(b'sourceRef="task"', b'sourceRef="nowhere"')
    problem = assert_problem(
        admin.post("/api/deployments", files=[("files", ("broken.bpmn", broken))]), 422
    )
    assert "broken.bpmn" in problem["detail"]
    assert problem["errors"]
    notes = ("notes.txt", b"hello")
    assert_problem(admin.post("/api/deployments", files=[("files", notes)]), 422)
    bad_form = ("x.form", b"{not json")
    assert_problem(admin.post("/api/deployments", files=[("files", bad_form)]), 422)
    assert_problem(admin.post("/api/deployments"), 422)


def test_instances_start_list_page_update_and_cancel(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(admin, ("orders.bpmn", bpmn.one_job("orders", "orders-job")))
    first = start(admin, "orders", variables={"orderId": "A-1", "total": 5}, businessKey="A-1")
    same = start(admin, "orders", idempotencyKey="key-1", variables={"orderId": "A-2"})
    again = start(admin, "orders", idempotencyKey="key-1", variables={"orderId": "other"})
    third = start(admin, "orders", variables={"orderId": "A-3"})
    assert same["id"] == again["id"]
    assert first["waiting"][0]["elementId"] == "task"

    fetched = admin.get(f"/api/process-instances/{first['id']}").json()
    assert (fetched["businessKey"], fetched["variables"]["total"]) == ("A-1", 5)
    by_key = admin.get("/api/process-instances", params={"businessKey": "A-1"}).json()
    assert [i["id"] for i in by_key["items"]] == [first["id"]]
    by_variable = admin.get("/api/process-instances", params={"variable": 'orderId="A-3"'})
    assert [i["id"] for i in by_variable.json()["items"]] == [third["id"]]

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"processId": "orders", "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = admin.get("/api/process-instances", params=params).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted({first["id"], same["id"], third["id"]})

    updated = admin.post(
        f"/api/process-instances/{first['id']}/variables", json={"variables": {"total": 7}}
    )
    assert updated.json()["variables"] == {"orderId": "A-1", "total": 7}
    cancelled = admin.post(f"/api/process-instances/{first['id']}/cancellation").json()
    assert cancelled["state"] == "terminated"
    assert_problem(admin.post(f"/api/process-instances/{first['id']}/cancellation"), 409)
    terminated = admin.get("/api/process-instances", params={"state": "terminated"}).json()
    assert first["id"] in [i["id"] for i in terminated["items"]]
    ended = admin.get(
        "/api/process-instances", params={"endedAfter": "2000-01-01T00:00:00Z"}
    ).json()
    assert first["id"] in [i["id"] for i in ended["items"]]

    history = admin.get(f"/api/process-instances/{first['id']}/history").json()
    assert history[0]["seq"] < history[-1]["seq"]
    assert "variables.changed" in {h["event"] for h in history}
    assert_problem(admin.get("/api/process-instances/no-such-instance"), 404)
    assert_problem(admin.get("/api/process-instances/no-such-instance/history"), 404)
    assert_problem(admin.post("/api/process-instances", json={"processId": "nope"}), 404)


def test_jobs_activate_complete_fail_and_extend(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(admin, ("pay.bpmn", bpmn.one_job("pay", "pay-job", retries=2)))
    instance = start(admin, "pay", variables={"amount": 10, "card": "4242"})

    [job] = activate(admin, "pay-job", fetchVariables=["amount"], lockDurationMs=60_000)
    assert job["variables"] == {"amount": 10}
    assert job["processInstanceId"] == instance["id"]
    assert activate(admin, "pay-job") == []  # locked
    extended = admin.post(f"/api/jobs/{job['id']}/lock", json={"lockDurationMs": 120_000})
    assert extended.status_code == 200
    assert extended.json()["deadline"] > job["deadline"]

    failed = admin.post(
        f"/api/jobs/{job['id']}/failure", json={"errorMessage": "declined", "retryBackoffMs": 0}
    )
    assert failed.status_code == 204
    [retry] = activate(admin, "pay-job")
    assert (retry["id"], retry["retries"]) == (job["id"], 1)
    done = admin.post(f"/api/jobs/{job['id']}/completion", json={"variables": {"paid": True}})
    assert done.status_code == 204, done.text
    completed = admin.get(f"/api/process-instances/{instance['id']}").json()
    assert (completed["state"], completed["variables"]["paid"]) == ("completed", True)
    assert_problem(admin.post(f"/api/jobs/{job['id']}/completion", json={}), 409)
    assert_problem(admin.post("/api/jobs/987654321/completion", json={}), 404)


def test_activation_waits_for_work_that_arrives_during_the_request(
    stead_server: SteadServer,
) -> None:
    admin = stead_server.admin
    deploy(admin, ("late.bpmn", bpmn.one_job("late", "late-job")))
    other = stead_server.client(auth=admin.auth)
    starter = threading.Timer(1.0, lambda: start(other, "late"))
    began = time.monotonic()
    starter.start()
    try:
        jobs = activate(admin, "late-job", requestTimeoutMs=20_000)
    finally:
        starter.join()
        other.close()
    assert len(jobs) == 1
    assert 0.8 < time.monotonic() - began < 15
    began = time.monotonic()
    assert activate(admin, "late-job", requestTimeoutMs=600) == []
    assert time.monotonic() - began >= 0.5


def test_exhausted_retries_raise_an_incident_that_resolving_retries(
    stead_server: SteadServer,
) -> None:
    admin = stead_server.admin
    deploy(admin, ("fragile.bpmn", bpmn.one_job("fragile", "fragile-job", retries=1)))
    instance = start(admin, "fragile")
    [job] = activate(admin, "fragile-job")
    admin.post(f"/api/jobs/{job['id']}/failure", json={"errorMessage": "down", "retries": 0})
    incidents = admin.get("/api/incidents", params={"processInstanceId": instance["id"]}).json()
    assert [(i["jobId"], i["message"], i["state"]) for i in incidents] == [
        (job["id"], "down", "open")
    ]
    with_incident = admin.get("/api/process-instances", params={"hasIncident": "true"}).json()
    assert instance["id"] in [i["id"] for i in with_incident["items"]]
    resolved = admin.post(f"/api/incidents/{incidents[0]['id']}/resolution", json={"retries": 2})
    assert resolved.json()["state"] == "resolved"
    assert_problem(admin.post(f"/api/incidents/{incidents[0]['id']}/resolution"), 409)
    assert [j["id"] for j in activate(admin, "fragile-job")] == [job["id"]]
    assert_problem(admin.post("/api/incidents/987654321/resolution"), 404)


def test_a_thrown_bpmn_error_is_caught_by_the_boundary_event(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(admin, ("risky.bpmn", bpmn.caught_error("risky", "risky-job", "NO_STOCK")))
    instance = start(admin, "risky")
    [job] = activate(admin, "risky-job")
    thrown = admin.post(
        f"/api/jobs/{job['id']}/error",
        json={"errorCode": "NO_STOCK", "errorMessage": "sold out", "variables": {"why": "x"}},
    )
    assert thrown.status_code == 204, thrown.text
    history = admin.get(f"/api/process-instances/{instance['id']}/history").json()
    assert "handled" in {h["elementId"] for h in history}
    assert admin.get(f"/api/process-instances/{instance['id']}").json()["state"] == "completed"


def test_messages_correlate_buffer_and_deduplicate(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(admin, ("paid.bpmn", bpmn.message_catch("await-pay", "paid")))
    waiting = start(admin, "await-pay", variables={"orderId": "M-1"})
    body = {"name": "paid", "correlationKey": "M-1", "variables": {"ok": 1}, "messageId": "m-1"}
    published = admin.post("/api/messages", json=body).json()
    assert published["correlated"] == [waiting["id"]]
    assert admin.post("/api/messages", json=body).json()["duplicate"] is True
    early = {"name": "paid", "correlationKey": "M-2", "timeToLiveMs": 60_000}
    assert admin.post("/api/messages", json=early).json()["buffered"] is True
    late = start(admin, "await-pay", variables={"orderId": "M-2"})
    assert admin.get(f"/api/process-instances/{late['id']}").json()["state"] == "completed"


def test_user_tasks_claim_assign_complete_and_show_their_form(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(
        admin,
        ("approval.bpmn", bpmn.reviewed("approval", form_id="approval-form", groups="clerks")),
        ("approval.form", bpmn.form("approval-form")),
    )
    instance = start(admin, "approval")
    tasks = admin.get(
        "/api/user-tasks", params={"candidateGroup": "clerks", "processInstanceId": instance["id"]}
    ).json()
    [task] = tasks
    assert (task["elementId"], task["formKey"]) == ("review", "approval-form")
    form = admin.get(f"/api/user-tasks/{task['id']}/form").json()
    assert (form["formId"], form["version"]) == ("approval-form", 1)
    assert form["schema"]["components"][0]["key"] == "approved"
    assert admin.get("/api/forms/approval-form").json()["id"] == "approval-form"

    claimed = admin.post(f"/api/user-tasks/{task['id']}/claim").json()
    assert claimed["assignee"] == "admin"
    assigned = admin.post(f"/api/user-tasks/{task['id']}/assignment", json={"assignee": "kim"})
    assert assigned.json()["assignee"] == "kim"
    assert_problem(admin.post(f"/api/user-tasks/{task['id']}/claim"), 409)
    assert admin.post(f"/api/user-tasks/{task['id']}/unclaim").json()["assignee"] is None
    assert admin.get(f"/api/user-tasks/{task['id']}").json()["state"] == "created"

    done = admin.post(
        f"/api/user-tasks/{task['id']}/completion", json={"variables": {"approved": True}}
    )
    assert done.json()["state"] == "completed"
    assert_problem(admin.post(f"/api/user-tasks/{task['id']}/completion", json={}), 409)
    finished = admin.get(f"/api/process-instances/{instance['id']}").json()
    assert (finished["state"], finished["variables"]["approved"]) == ("completed", True)
    assert_problem(admin.get("/api/user-tasks/987654321"), 404)


def test_the_event_stream_sends_changes_as_they_happen(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(admin, ("streamed.bpmn", bpmn.one_job("streamed", "streamed-job")))
    events: list[tuple[str, dict[str, Any]]] = []
    with admin.stream("GET", "/api/events", timeout=30) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        with stead_server.client(auth=admin.auth) as other:
            instance = start(other, "streamed")
        event_name = ""
        for line in stream.iter_lines():
            if line.startswith("event: "):
                event_name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
                events.append((event_name, data))
                if data["processInstanceId"] == instance["id"] and event_name == "job.created":
                    break
    mine = [(name, d) for name, d in events if d["processInstanceId"] == instance["id"]]
    assert mine[0][0] == "element.activated"
    assert [d["seq"] for _, d in mine] == sorted(d["seq"] for _, d in mine)

    # Reconnecting after a sequence number replays what came after it.
    after = mine[0][1]["seq"]
    with admin.stream("GET", "/api/events", params={"after": after}, timeout=30) as stream:
        for line in stream.iter_lines():
            if line.startswith("id: "):
                assert int(line.removeprefix("id: ")) == mine[1][1]["seq"]
                break


def test_two_servers_on_one_database_share_events_and_wake_waiting_workers(
    stead_server: SteadServer, tmp_path: Path
) -> None:
    other = start_server(stead_server.database_url, tmp_path)
    try:
        assert "created user admin" not in other.log.read_text()  # only the first start does
        deploy(
            other.admin,
            ("crossing.bpmn", bpmn.one_job("crossing", "crossing-job")),
            ("later.bpmn", bpmn.one_job("crossing-later", "crossing-later-job")),
        )
        here = stead_server.admin
        with here.stream("GET", "/api/events", timeout=30) as stream:
            instance = start(other.admin, "crossing")
            for line in stream.iter_lines():
                if line.startswith("data: ") and instance["id"] in line:
                    break
        started: list[dict[str, Any]] = []
        starter = threading.Timer(1.0, lambda: started.append(start(other.admin, "crossing-later")))
        began = time.monotonic()
        starter.start()
        try:
            jobs = activate(here, "crossing-later-job", requestTimeoutMs=20_000)
        finally:
            starter.join()
        assert [j["processInstanceId"] for j in jobs] == [started[0]["id"]]
        assert time.monotonic() - began < 15
    finally:
        assert other.stop() == 0
