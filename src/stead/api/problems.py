"""Every failure as an RFC 9457 problem (``application/problem+json``): Stead's errors with
their statuses, validation errors naming each field and reason, and a catch-all that logs the
traceback but shows none of it."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stead.commands import ModelInvalidError, SteadError, http_status

__all__ = [
    "PROBLEM_RESPONSES",
    "CatchAll",
    "FieldProblem",
    "Problem",
    "ProblemError",
    "install_problem_handlers",
    "problem_response",
]

_log = logging.getLogger("stead.api")
PROBLEM_TYPE_BASE = "https://stead.dev/problems/"
MEDIA_TYPE = "application/problem+json"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    410: "Gone",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid request",
    500: "Internal error",
    503: "Service unavailable",
}
_SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    410: "gone",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    500: "internal-error",
    503: "unavailable",
}


class FieldProblem(BaseModel):
    field: str
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


# For route declarations: every route may answer with these.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": _TITLES[status]}
    for status in (400, 401, 403, 404, 409, 413, 422, 503)
}


class ProblemError(Exception):
    """Raised by the API itself (authentication, permissions, CSRF, ...)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def problem_response(
    status: int,
    detail: str,
    *,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        type=PROBLEM_TYPE_BASE + _SLUGS.get(status, "error"),
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def _field_name(location: tuple[Any, ...]) -> str:
    # ("body", "variables", "x") -> "variables.x"; ("query", "limit") -> "limit"
    parts = [str(p) for p in location[1:]] if len(location) > 1 else [str(p) for p in location]
    return ".".join(parts) or "body"


def _validation_problems(error: RequestValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(field=_field_name(tuple(item.get("loc", ()))), reason=str(item.get("msg")))
        for item in error.errors()
    ]


async def _on_validation(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = _validation_problems(error)
    detail = "; ".join(f"{p.field}: {p.reason}" for p in problems) or "invalid request"
    return problem_response(422, detail, errors=problems)


async def _on_stead_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SteadError)
    errors = None
    if isinstance(error, ModelInvalidError):
        errors = [
            FieldProblem(field=problem.element_id or "model", reason=problem.message)
            for problem in error.problems
        ]
    return problem_response(http_status(error), str(error), errors=errors)


async def _on_unstorable(_request: Request, error: Exception) -> JSONResponse:
    # e.g. a NUL character or an out-of-range number that PostgreSQL refuses to store
    _log.info("refused a value the database cannot store: %s", error)
    return problem_response(422, "the request holds a value the database cannot store")


async def _on_database_down(_request: Request, error: Exception) -> JSONResponse:
    _log.warning("database unavailable: %s", error)
    return problem_response(503, "the database is unavailable; try again shortly")


async def _on_problem(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ProblemError)
    return problem_response(error.status, error.detail, headers=error.headers)


async def _on_http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    headers = dict(error.headers) if error.headers else None
    return problem_response(error.status_code, str(error.detail), headers=headers)


class CatchAll:
    """ASGI middleware: an unexpected exception is logged with its traceback and answered
    with a 500 problem that shows none of it. (Starlette's own last-resort handler re-raises,
    which makes the server drop the connection.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            _log.error("%s %s failed", scope.get("method"), scope.get("path"), exc_info=error)
            if started:
                raise
            response = problem_response(500, "the server failed to handle the request")
            await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(SteadError, _on_stead_error)
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(sa.exc.DataError, _on_unstorable)
    app.add_exception_handler(sa.exc.OperationalError, _on_database_down)
    app.add_exception_handler(sa.exc.InterfaceError, _on_database_down)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_middleware(CatchAll)
