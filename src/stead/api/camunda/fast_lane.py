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
from starlette.requests import Request
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
        request = _worker_request(scope)
        if request is None:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        headers = _headers(scope)
        accounts = cast(Accounts, state.accounts)
        principal = recently_proven(accounts, headers.get("authorization", ""))
        if (
            principal is None
            or not principal.may(_PERMISSION)
            or not _is_json(headers.get("content-type", ""))
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the worker hung up before it sent the whole body
        try:
            if request == _FETCH:
                answer = await _fetch(scope, receive, body)
            else:
                answer = await _complete(scope, request, body)
        except Exception as error:
            failure = as_camunda(error)
            if failure is None:
                raise
            answer = failure.response()
        if answer is None:  # a body that does not validate: the route says what is wrong
            await self.app(scope, _replaying(body, receive), send)
            return
        await answer(scope, receive, send)


async def _fetch(scope: Scope, receive: Receive, body: bytes) -> Response | None:
    try:
        fetch = FetchAndLockBody.model_validate_json(body)
    except ValidationError:
        return None
    state = scope["app"].state
    settings = cast(ApiSettings, state.settings)
    tasks = await fetch_and_lock(
        cast(Commands, state.commands),
        fetch,
        max_wait=settings.max_long_poll.total_seconds(),
        stopping=settings.stopping,
        gone=Request(scope, receive).is_disconnected,
    )
    return JSONResponse(tasks)


async def _complete(scope: Scope, task_id: str, body: bytes) -> Response | None:
    try:
        completion = CompleteBody.model_validate_json(body)
    except ValidationError:
        return None
    await complete_task(cast(Commands, scope["app"].state.commands), task_id, completion)
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


def _headers(scope: Scope) -> dict[str, str]:
    """The two headers the lane looks at (the first of each, as Starlette reads them)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name in (b"authorization", b"content-type"):
            found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json"


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


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
