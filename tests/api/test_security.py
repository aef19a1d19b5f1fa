"""Authentication (tokens, basic, session cookie with CSRF), task visibility by user and group,
problem responses for bad input, and body size limits, over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from api import bpmn
from api.server import ADMIN_PASSWORD, SteadServer, start_server
from api.test_routes import assert_problem, deploy, start


def test_no_or_wrong_credentials_get_a_401_problem_with_a_challenge(
    stead_server: SteadServer,
) -> None:
    with stead_server.client() as anonymous:
        problem = assert_problem(anonymous.get("/api/process-instances"), 401)
        assert "Bearer" in anonymous.get("/api/me").headers["www-authenticate"]
        bearer = {"Authorization": "Bearer stead_not-a-real-token"}
        assert_problem(anonymous.get("/api/me", headers=bearer), 401)
        assert_problem(anonymous.get("/api/me", auth=("admin", "wrong-password")), 401)
        assert_problem(anonymous.get("/api/me", headers={"Authorization": "Basic !!"}), 401)
        assert_problem(anonymous.get("/api/me", headers={"Authorization": "Digest x"}), 401)
        assert_problem(anonymous.get("/api/openapi.json"), 401)
    assert "Traceback" not in problem["detail"]


def test_tokens_work_as_bearer_and_as_basic_password_until_revoked(
    stead_server: SteadServer,
) -> None:
    admin = stead_server.admin
    admin.post("/api/users", json={"name": "tok", "roles": ["operator"]})
    created = admin.post("/api/users/tok/tokens", json={"label": "ci"}).json()
    token = created["token"]
    assert token.startswith("stead_")
    assert len(token) > 40
    listed = admin.get("/api/tokens").json()
    assert created["id"] in [t["id"] for t in listed]
    assert token not in str(listed)  # shown once, never again

    with stead_server.client() as client:
        me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
        assert (me["name"], me["roles"]) == ("tok", ["operator"])
        assert client.get("/api/me", auth=("tok", token)).status_code == 200
        assert_problem(client.get("/api/me", auth=("someone-else", token)), 401)
        assert admin.delete(f"/api/tokens/{created['id']}").status_code == 204
        assert_problem(client.get("/api/me", headers={"Authorization": f"Bearer {token}"}), 401)
    assert_problem(admin.delete(f"/api/tokens/{created['id']}"), 404)


def test_the_web_session_is_an_httponly_strict_cookie_with_csrf_protection(
    stead_server: SteadServer,
) -> None:
    with stead_server.client() as browser:
        assert_problem(
            browser.post("/api/session", json={"username": "admin", "password": "nope"}), 401
        )
        login = browser.post("/api/session", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert login.status_code == 200, login.text
        cookie = next(
            c for c in login.headers.get_list("set-cookie") if c.startswith("stead_session=")
        )
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie.replace("Strict", "strict")
        csrf = login.json()["csrfToken"]
        assert browser.cookies["stead_csrf"] == csrf

        assert browser.get("/api/me").json()["name"] == "admin"
        body = {"name": "session-msg"}
        assert_problem(browser.post("/api/messages", json=body), 403)
        wrong = {"X-CSRF-Token": "x" * 43}
        assert_problem(browser.post("/api/messages", json=body, headers=wrong), 403)
        sent = browser.post("/api/messages", json=body, headers={"X-CSRF-Token": csrf})
        assert sent.status_code == 200, sent.text

        session = browser.cookies["stead_session"]
        out = browser.delete("/api/session", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 204
    with stead_server.client(cookies={"stead_session": session}) as stale:
        assert_problem(stale.get("/api/me"), 401)


def test_users_see_only_tasks_offered_to_them_or_their_groups(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    deploy(
        admin,
        ("offered.bpmn", bpmn.reviewed("offered-g", form_id="offer-form", groups="sales")),
        ("personal.bpmn", bpmn.reviewed("offered-u", form_id="offer-form", users="una")),
        ("offer.form", bpmn.form("offer-form")),
    )
    for_group = start(admin, "offered-g")
    for_una = start(admin, "offered-u")
    with (
        stead_server.user("sam", ["user"], ("sales",)) as sam,
        stead_server.user("una", ["user"]) as una,
    ):

        def visible(client: httpx.Client) -> set[str]:
            tasks = client.get("/api/user-tasks", params={"limit": 500}).json()
            return {t["processInstanceId"] for t in tasks}

        assert for_group["id"] in visible(sam)
        assert for_una["id"] not in visible(sam)
        assert for_una["id"] in visible(una)
        assert for_group["id"] not in visible(una)
        [una_task] = una.get("/api/user-tasks", params={"processInstanceId": for_una["id"]}).json()
        assert_problem(sam.get(f"/api/user-tasks/{una_task['id']}"), 404)
        assert_problem(sam.post(f"/api/user-tasks/{una_task['id']}/claim"), 404)
        assert una.get(f"/api/user-tasks/{una_task['id']}/form").status_code == 200
        assign = {"assignee": "sam"}
        assert_problem(una.post(f"/api/user-tasks/{una_task['id']}/assignment", json=assign), 403)
        assert una.post(f"/api/user-tasks/{una_task['id']}/claim").json()["assignee"] == "una"
        completed = una.post(f"/api/user-tasks/{una_task['id']}/completion", json={})
        assert completed.json()["completedBy"] == "una"


def test_bad_input_is_a_problem_naming_the_field_never_a_500(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    problem = assert_problem(
        admin.post("/api/process-instances", json={"processId": "", "version": 0}), 422
    )
    fields = {e["field"] for e in problem["errors"]}
    assert {"processId", "version"} <= fields
    assert all(e["reason"] for e in problem["errors"])
    unknown = assert_problem(admin.post("/api/messages", json={"name": "x", "colour": 1}), 422)
    assert unknown["errors"][0]["field"] == "colour"
    malformed = admin.post(
        "/api/messages", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(malformed, 422)
    assert_problem(admin.get("/api/process-instances", params={"limit": "many"}), 422)
    assert_problem(admin.get("/api/process-instances", params={"cursor": "%%%"}), 422)
    assert_problem(admin.get("/api/process-instances", params={"variable": "novalue"}), 422)
    assert_problem(admin.get("/api/no-such-route"), 404)
    # PostgreSQL cannot store NUL characters: still a problem about the input, never a 500.
    nul = admin.post("/api/process-instances", json={"processId": "a\u0000b"})
    assert_problem(nul, 422 if "postgresql" in stead_server.database_url else 404)
    nul_filter = admin.get("/api/user-tasks", params={"assignee": "a\u0000"})
    assert nul_filter.status_code in (200, 422)
    assert_problem(admin.put("/api/messages", json={}), 405)


def test_oversized_bodies_are_refused_with_413(stead_server: SteadServer) -> None:
    admin = stead_server.admin
    big_variables = {"variables": {"blob": "x" * (1024 * 1024 + 10)}, "processId": "p"}
    assert_problem(admin.post("/api/process-instances", json=big_variables), 413)

    def chunks() -> object:
        for _ in range(2):
            yield b'{"name": "' + b"y" * (700 * 1024)
        yield b'"}'

    streamed = admin.post(
        "/api/messages", content=chunks(), headers={"content-type": "application/json"}
    )
    assert_problem(streamed, 413)
    upload = [("files", ("huge.bpmn", b"<" + b"x" * (10 * 1024 * 1024 + 1)))]
    assert_problem(admin.post("/api/deployments", files=upload), 413)
    assert admin.get("/api/me").status_code == 200  # the server is fine afterwards


def test_cli_creates_users_and_tokens_that_the_server_accepts(stead_server: SteadServer) -> None:
    cli = [sys.executable, "-m", "stead.cli", "--db", stead_server.database_url]
    env = {**os.environ, "NEW_PASSWORD": "cli-user-password"}
    added = subprocess.run(
        [*cli, "user", "add", "cliuser", "--role", "worker", "--group", "night",
         "--password-env", "NEW_PASSWORD"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    token = subprocess.run(
        [*cli, "token", "create", "cliuser"], capture_output=True, text=True, timeout=120
    )
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip()
    with stead_server.client(headers={"Authorization": f"Bearer {secret}"}) as client:
        me = client.get("/api/me").json()
    assert (me["name"], me["roles"], me["groups"]) == ("cliuser", ["worker"], ["night"])
    with stead_server.client(auth=("cliuser", "cli-user-password")) as client:
        assert client.get("/api/me").status_code == 200
    duplicate = subprocess.run(
        [*cli, "user", "add", "cliuser", "--role", "worker"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert duplicate.returncode != 0
    assert "exists" in duplicate.stderr


def test_first_start_without_a_password_prints_a_generated_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    server = start_server(url, tmp_path, extra_env={"STEAD_ADMIN_PASSWORD": ""})
    try:
        line = next(
            line for line in server.log.read_text().splitlines() if "created user admin" in line
        )
        password = line.split("password ")[1].split(" ")[0]
        with server.client(auth=("admin", password)) as client:
            assert client.get("/api/me").json()["roles"] == ["admin"]
    finally:
        assert server.stop() == 0
