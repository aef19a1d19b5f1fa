"""Failures on the Camunda-compatible routes, answered in Camunda 7's error format
(``{"type": "...Exception", "message": "..."}``) with the status codes its REST API uses."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import sqlalchemy.exc
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from stead.commands import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    SteadError,
    StoreUnavailableError,
)

__all__ = ["CamundaError", "CamundaRoute", "as_camunda", "bad_request", "not_found"]

INVALID_REQUEST = "InvalidRequestException"


class CamundaError(Exception):
    """A request that failed the way Camunda reports it: an HTTP status, an exception type
    name and a message."""

    def __init__(self, status: int, message: str, kind: str = INVALID_REQUEST) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message

    def response(self) -> JSONResponse:
        return JSONResponse({"type": self.kind, "message": self.message}, status_code=self.status)


def bad_request(message: str) -> CamundaError:
    return CamundaError(400, message)


def not_found(task_id: str) -> CamundaError:
    return CamundaError(404, f"External task with id {task_id} does not exist")


def from_stead(error: SteadError) -> CamundaError:
    """Camunda knows no 409 or 422 here: a task in the wrong state and bad input are both
    rejected requests (400); an unknown task is 404; an unreachable database is 503."""
    message = str(error)
    if isinstance(error, NotFoundError):
        return CamundaError(404, message)
    if isinstance(error, ConflictError | InvalidRequestError):
        return CamundaError(400, message)
    if isinstance(error, StoreUnavailableError):
        return CamundaError(503, message, "ProcessEngineException")
    return CamundaError(400, message)


def _describe(error: RequestValidationError) -> str:
    problems = []
    for problem in error.errors():
        if problem.get("type") == "json_invalid":
            return "the request body is not valid JSON"
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        problems.append(f"{where or 'body'}: {problem.get('msg', 'invalid')}")
    return "; ".join(problems) or "invalid request body"


def as_camunda(error: Exception) -> CamundaError | None:
    """How Camunda would answer ``error`` (an unreadable body, a bad field, an unknown task, a
    refused operation, a database that is down), or None when it is not a request's failure:
    authentication refusals keep the API's own problem format, and anything else is a bug."""
    if isinstance(error, CamundaError):
        return error
    if isinstance(error, RequestValidationError):
        return bad_request(_describe(error))
    if isinstance(error, SteadError):
        return from_stead(error)
    if isinstance(error, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        reason = str(error.orig or error).strip().splitlines()[0]
        return CamundaError(503, f"the database is unavailable: {reason}", "ProcessEngineException")
    if isinstance(error, HTTPException) and error.status_code == 400:
        # FastAPI's answer to a body that is not even text.
        return bad_request(f"the request body is unreadable: {error.detail}")
    return None


class CamundaRoute(APIRoute):
    """A route whose failures come back in Camunda's error format (see :func:`as_camunda`)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_in_camunda_format(request: Request) -> Response:
            try:
                return await handle(request)
            except Exception as error:
                failure = as_camunda(error)
                if failure is None:
                    raise
                return failure.response()

        return handle_in_camunda_format
