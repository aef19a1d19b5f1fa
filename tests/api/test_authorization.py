"""Every route, tried with no credentials and as a user of every role: the outcome of each
follows the role table in ``stead.auth.permissions``. A route missing from this table fails
the test, so new routes get their permission decided here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from api import bpmn
from api.server import ADMIN_PASSWORD, SteadServer
from stead.auth import ROLE_PERMISSIONS

ANYONE = "anyone"  # no credentials needed
SIGNED_IN = "signed in"  # any authenticated caller
MISSING = 987654321
_WEBHOOK_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_NO_TOKEN = "no-such-callback-token"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    permission: str  # a permission name, ANYONE or SIGNED_IN
    allowed: int  # the status a caller with the permission gets (ids here are made up)
    body: dict[str, Any] | None = None
    files: bool = False


def routes(instance_id: str) -> list[Route]:
    job = f"/api/jobs/{MISSING}"
    task = f"/api/user-tasks/{MISSING}"
    login = {"username": "admin", "password": ADMIN_PASSWORD}
    return [
        Route("GET", "/health", ANYONE, 200),
        Route("POST", "/api/session", ANYONE, 200, login),
        Route("GET", "/ready", SIGNED_IN, 200),
        Route("GET", "/api/me", SIGNED_IN, 200),
        Route("DELETE", "/api/session", SIGNED_IN, 204),
        Route("GET", "/api/openapi.json", SIGNED_IN, 200),
        Route("GET", "/api/docs", SIGNED_IN, 200),
        Route("GET", "/api/users", "admin", 200),
        Route("POST", "/api/users", "admin", 201, {"name": "made", "roles": ["user"]}),
        Route("GET", "/api/users/admin", "admin", 200),
        Route("POST", "/api/users/admin/tokens", "admin", 201, {}),
        Route("GET", "/api/tokens", "admin", 200),
        Route("DELETE", f"/api/tokens/{MISSING}", "admin", 404),
        Route("POST", "/api/deployments", "deploy", 200, files=True),
        Route("GET", "/api/deployments", "instances:read", 200),
        Route("GET", "/api/process-definitions", "instances:read", 200),
        Route("GET", "/api/process-definitions/authz", "instances:read", 200),
        Route("GET", "/api/process-definitions/authz/versions/1/xml", "instances:read", 200),
        Route("GET", "/api/forms/none", "instances:read", 404),
        Route("POST", "/api/process-instances", "instances:write", 201, {"processId": "authz"}),
        Route("GET", "/api/process-instances", "instances:read", 200),
        Route("GET", f"/api/process-instances/{instance_id}", "instances:read", 200),
        Route("GET", f"/api/process-instances/{instance_id}/history", "instances:read", 200),
        Route(
            "POST",
            f"/api/process-instances/{instance_id}/variables",
            "instances:write",
            200,
            {"variables": {"x": 1}},
        ),
        Route("POST", "/api/process-instances/none/cancellation", "instances:write", 404),
        Route("POST", "/api/messages", "instances:write", 200, {"name": "authz-message"}),
        Route("GET", "/api/incidents", "instances:read", 200),
        Route("POST", f"/api/incidents/{MISSING}/resolution", "incidents", 404, {}),
        Route("GET", "/api/user-tasks", "tasks", 200),
        Route("GET", task, "tasks", 404),
        Route("GET", f"{task}/form", "tasks", 404),
        Route("POST", f"{task}/claim", "tasks", 404),
        Route("POST", f"{task}/unclaim", "tasks", 404),
        Route("POST", f"{task}/assignment", "tasks", 404, {"assignee": None}),
        Route("POST", f"{task}/completion", "tasks", 404, {}),
        Route("POST", "/api/jobs/activation", "jobs", 200, {"type": "authz-none", "worker": "w"}),
        Route("POST", f"{job}/completion", "jobs", 404, {}),
        Route("POST", f"{job}/failure", "jobs", 404, {}),
        Route("POST", f"{job}/error", "jobs", 404, {"errorCode": "E"}),
        Route("POST", f"{job}/lock", "jobs", 404, {"lockDurationMs": 1000}),
        Route("GET", "/api/events", "instances:read", 200),
        Route("GET", "/api/connectors", SIGNED_IN, 200),
        Route("GET", "/api/connectors/templates", SIGNED_IN, 200),
        Route("GET", "/api/secrets", "secrets:manage", 200),
        Route("PUT", "/api/secrets/AUTHZ", "secrets:manage", 201, {"value": "v"}),
        Route("DELETE", "/api/secrets/NONE", "secrets:manage", 404),
        # Other systems call /hooks without a Stead account: a webhook's own verification (its
        # token or HMAC signature) or a callback's one-time token is the credential, so Stead
        # credentials neither help nor are needed (here: no such webhook, no such token).
        *(Route(method, "/hooks/authz-none", ANYONE, 404) for method in _WEBHOOK_METHODS),
        Route("POST", f"/hooks/callbacks/{_NO_TOKEN}", ANYONE, 404, {"outcome": "complete"}),
        Route("POST", f"/hooks/callbacks/{_NO_TOKEN}/heartbeat", ANYONE, 404),
    ]


def call(client: httpx.Client, route: Route) -> int:
    if route.path == "/api/events":
        with client.stream("GET", route.path) as response:
            return response.status_code
    if route.files:
        files = [("files", ("authz.bpmn", bpmn.one_job("authz", "authz-job")))]
        return client.post(route.path, files=files).status_code
    return client.request(route.method, route.path, json=route.body).status_code


@pytest.fixture(scope="module")
def callers(sqlite_server: SteadServer) -> dict[str, httpx.Client]:
    """A client per role (API tokens of new users), and one without credentials."""
    clients = {role: sqlite_server.user(f"as-{role}", [role]) for role in ROLE_PERMISSIONS}
    clients["nobody"] = sqlite_server.client()
    return clients


def test_every_route_answers_each_role_as_the_role_table_says(
    sqlite_server: SteadServer, callers: dict[str, httpx.Client]
) -> None:
    admin = sqlite_server.admin
    admin.post("/api/deployments", files=[("files", ("a.bpmn", bpmn.one_job("authz")))])
    instance = admin.post("/api/process-instances", json={"processId": "authz"}).json()
    outcomes: dict[tuple[str, str, str], int] = {}
    for route in routes(instance["id"]):
        for who, client in callers.items():
            outcomes[(route.method, route.path, who)] = call(client, route)
            client.cookies.clear()  # signing in must not turn into credentials for later calls

    wrong = []
    for route in routes(instance["id"]):
        for who in callers:
            granted = ROLE_PERMISSIONS.get(who, frozenset())
            if route.permission == ANYONE:
                expected = route.allowed
            elif who == "nobody":
                expected = 401
            elif route.permission == SIGNED_IN or route.permission in granted:
                expected = route.allowed
            else:
                expected = 403
            got = outcomes[(route.method, route.path, who)]
            if got != expected:
                wrong.append(f"{route.method} {route.path} as {who}: {got}, expected {expected}")
    assert wrong == []
    for client in callers.values():
        client.close()


def test_the_table_covers_every_route_in_the_openapi_document(
    sqlite_server: SteadServer,
) -> None:
    document = sqlite_server.admin.get("/api/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        if not path.startswith("/engine-rest")  # the Camunda routes have their own tests
        for method in operations
    }
    tested = {
        (r.method, _template(r.path)) for r in routes("{instance_id}") if r.path != "/api/docs"
    }
    assert documented - tested == set()


def _template(path: str) -> str:
    """The OpenAPI path template a concrete path in the table stands for."""
    replacements = {
        f"/api/jobs/{MISSING}": "/api/jobs/{job_id}",
        f"/api/user-tasks/{MISSING}": "/api/user-tasks/{task_id}",
        f"/api/incidents/{MISSING}": "/api/incidents/{incident_id}",
        f"/api/tokens/{MISSING}": "/api/tokens/{token_id}",
        "/api/users/admin": "/api/users/{name}",
        "/api/process-instances/none": "/api/process-instances/{instance_id}",
        "/api/process-definitions/authz": "/api/process-definitions/{process_id}",
        "/versions/1/": "/versions/{version}/",
        "/api/forms/none": "/api/forms/{form_id}",
        "/api/secrets/AUTHZ": "/api/secrets/{name}",
        "/api/secrets/NONE": "/api/secrets/{name}",
        "/hooks/authz-none": "/hooks/{path}",
        f"/hooks/callbacks/{_NO_TOKEN}": "/hooks/callbacks/{token}",
    }
    for concrete, template in replacements.items():
        path = path.replace(concrete, template)
    return path
