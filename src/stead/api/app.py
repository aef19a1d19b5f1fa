"""The FastAPI application: routers for every resource over one command layer, the problem
handlers, the body size limit, the OpenAPI document with its security schemes, and the
Camunda 7 external-task routes when they are installed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from stead.api.limits import BodySizeLimit
from stead.api.problems import install_problem_handlers
from stead.api.routes import (
    accounts,
    connectors,
    deployments,
    docs,
    events,
    health,
    hooks,
    incidents,
    instances,
    jobs,
    secrets,
    tasks,
)
from stead.api.settings import ApiSettings
from stead.auth import Accounts
from stead.commands import Commands
from stead.webapp import static_dir

__all__ = ["create_app"]

_SECURITY_SCHEMES = {
    "bearerToken": {"type": "http", "scheme": "bearer", "description": "an API token"},
    "basic": {
        "type": "http",
        "scheme": "basic",
        "description": "username with password, or username with an API token",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "stead_session",
        "description": "the web app's session; unsafe methods also need X-CSRF-Token",
    },
}
_OPEN_PATHS = frozenset({"/health"})
# Other systems call /hooks without a Stead account: the webhook's verification or the
# one-time callback token is the credential.
_OPEN_PREFIX = "/hooks/"
_PUBLIC_OPERATIONS = frozenset({("/api/session", "post")})


def _openapi_with_security(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    document.setdefault("components", {})["securitySchemes"] = _SECURITY_SCHEMES
    requirement: list[dict[str, list[str]]] = [{"bearerToken": []}, {"basic": []}, {"session": []}]
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            open_path = path in _OPEN_PATHS or path.startswith(_OPEN_PREFIX)
            if open_path or (path, method) in _PUBLIC_OPERATIONS:
                operation["security"] = []
            else:
                operation["security"] = requirement
    app.openapi_schema = document
    return document


def _camunda_router() -> APIRouter | None:
    """The Camunda 7 external-task routes, when they are installed."""
    try:
        from stead.api.camunda import router
    except ImportError:
        return None
    return router


def create_app(commands: Commands, *, settings: ApiSettings) -> FastAPI:
    """The HTTP API over ``commands``; accounts live in the same database."""
    app = FastAPI(
        title="Stead",
        version="0.1.0",
        description="Durable BPMN processes over HTTP: deploy, start, work, operate.",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.commands = commands
    app.state.accounts = Accounts(
        commands.runtime.database, tenant=commands.runtime.tenant, clock=commands.runtime.clock
    )
    app.state.settings = settings
    camunda_router = _camunda_router()
    if camunda_router is not None:
        # Added first, so that it runs inside the body size limit and the last-resort error
        # handler that install_problem_handlers and BodySizeLimit add around it.
        from stead.api.camunda.fast_lane import WorkerFastLane

        app.add_middleware(WorkerFastLane)
    install_problem_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_json_bytes=settings.max_json_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    # Routes are matched in the order they are included, each candidate at a cost, so the
    # routes workers call for every task come first: the Camunda external-task routes, then
    # the job routes. No two routers share a path, so the order changes nothing else.
    if camunda_router is not None:
        app.include_router(camunda_router, prefix="/engine-rest")
    for module in (
        jobs,
        health,
        accounts,
        deployments,
        instances,
        tasks,
        incidents,
        events,
        docs,
        connectors,
        hooks,
        secrets,
    ):
        app.include_router(module.router)

    def openapi() -> dict[str, Any]:
        return _openapi_with_security(app)

    app.openapi = openapi  # type: ignore[method-assign]
    # The web app last, so every API route above wins; its client routes are "#/...", so no
    # server-side fallback is needed.
    if (static_dir() / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static_dir(), html=True), name="webapp")
    return app
