"""Liveness (``/health``, open to anyone) and readiness (``/ready``: the database answers and
its schema is at the newest migration)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import Caller, CommandsDep
from stead.commands.resources import Readiness

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness: the process answers")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Readiness: the database is reachable and migrated",
    response_model=Readiness,
    responses={**PROBLEM_RESPONSES, 503: {"model": Readiness, "description": "not ready"}},
)
def ready(_caller: Caller, commands: CommandsDep) -> JSONResponse:
    readiness = commands.readiness()
    return JSONResponse(readiness.to_json(), status_code=200 if readiness.ready else 503)
