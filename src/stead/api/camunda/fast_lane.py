"""The fast lane for the two requests external-task workers send all the time, ``POST
/engine-rest/external-task/fetchAndLock`` and ``POST /engine-rest/external-task/{id}/complete``
(one per task): a plain ASGI middleware that serves the common case (credentials proven
moments ago, a JSON body that validates) without the framework's routing and dependency
machinery, which otherwise costs more than the database work of a completion.

It serves only what it can serve exactly as the route would. Anything else (credentials to
prove, a missing permission, a body that does not validate, another content type) goes on to
the application with the body replayed, so that every refusal is the route's own answer.
Failures of the completion are answered in Camunda's format by the same mapping the routes
use; the body size limit and the last-resort error handler sit outside this middleware.
"""

from __future__ import annotations

from typing import cast

from pydantic import ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stead.api.camunda.bodies import CompleteBody, FetchAndLockBody
from stead.api.camunda.completions import complete_task
from stead.api.camunda.errors import as_camunda
from stead.api.camunda.fetching import fetch_and_lock
from stead.api.security import recently_proven
from stead.api.settings import ApiSettings
from stead.auth import Accounts
from stead.commands import Commands

__all__ = ["WorkerFastLane"]

_PREFIX = "/engine-rest/external-task/"
_FETCH = "fetchAndLock"
_FETCH_PATH = _PREFIX + _FETCH
_SUFFIX = "/complete"
_PERMISSION = "jobs"


class WorkerFastLane:
    """ASGI middleware: fetches and completes external tasks directly when it can (see the
    module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = _worker_request(scope)
        if kind is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        accounts = cast(Accounts, scope["app"].state.accounts)
        principal = recently_proven(accounts, request.headers.get("authorization", ""))
        if (
            principal is None
            or not principal.may(_PERMISSION)
            or not _is_json(request.headers.get("content-type", ""))
        ):
            await self.app(scope, receive, send)
            return
        try:
            body = await request.body()
        except ClientDisconnect:
            return  # the worker hung up before it sent the whole body
        try:
            if kind == _FETCH:
                answer = await _fetch(request, body)
            else:
                answer = await _complete(request, kind, body)
        except Exception as error:
            failure = as_camunda(error)
            if failure is None:
                raise
            answer = failure.response()
        if answer is None:  # a body that does not validate: the route says what is wrong
            await self.app(scope, _replaying(body, receive), send)
            return
        await answer(scope, receive, send)


async def _fetch(request: Request, body: bytes) -> Response | None:
    try:
        fetch = FetchAndLockBody.model_validate_json(body)
    except ValidationError:
        return None
    state = request.app.state
    tasks = await fetch_and_lock(
        cast(Commands, state.commands),
        fetch,
        settings=cast(ApiSettings, state.settings),
        gone=request.is_disconnected,
    )
    return JSONResponse(tasks)


async def _complete(request: Request, task_id: str, body: bytes) -> Response | None:
    try:
        completion = CompleteBody.model_validate_json(body)
    except ValidationError:
        return None
    await complete_task(cast(Commands, request.app.state.commands), task_id, completion)
    return Response(status_code=204)


def _worker_request(scope: Scope) -> str | None:
    """``_FETCH`` for a fetch-and-lock request, the task id of a complete request, else
    None."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    path: str = scope["path"]
    if path == _FETCH_PATH:
        return _FETCH
    if not (path.startswith(_PREFIX) and path.endswith(_SUFFIX)):
        return None
    task_id = path[len(_PREFIX) : -len(_SUFFIX)]
    return task_id if task_id and "/" not in task_id and task_id != _FETCH else None


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json"


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive channel that first hands over the body already read."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
