"""The Camunda 7 external-task REST protocol under ``/engine-rest``: fetch and lock (with long
polling), complete, failure, BPMN error, extend lock, lock, unlock, and a minimal task list, so
that workers written for Camunda 7 run against Stead unchanged. A service task's job type is
the topic name; every route needs the ``jobs`` permission."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from stead.api.camunda import locks
from stead.api.camunda.bodies import (
    BpmnErrorBody,
    CompleteBody,
    ExtendLockBody,
    FailureBody,
    FetchAndLockBody,
    LockBody,
)
from stead.api.camunda.completions import complete_task
from stead.api.camunda.errors import CamundaRoute, not_found
from stead.api.camunda.fetching import external_task, fetch_and_lock
from stead.api.camunda.job_rows import JobRow, job_row, list_job_rows
from stead.api.camunda.shapes import (
    CamundaErrorShape,
    EngineShape,
    ExternalTaskShape,
    LockedTaskShape,
    VersionShape,
)
from stead.api.camunda.variables import untyped_variables
from stead.api.deps import get_commands, get_settings
from stead.api.problems import PROBLEM_RESPONSES
from stead.api.security import requires
from stead.api.settings import ApiSettings
from stead.commands import Commands

__all__ = ["COMPATIBLE_VERSION", "router"]

COMPATIBLE_VERSION = "7.24.0"  # the Camunda 7 REST API these routes follow

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": CamundaErrorShape, "description": "Invalid request or not the lock holder"},
    404: {"model": CamundaErrorShape, "description": "No such external task"},
}

# Refusals before a route runs (credentials, permission, body size) are the API's problems.
_REFUSED_FIRST: dict[int | str, dict[str, Any]] = {
    status: PROBLEM_RESPONSES[status] for status in (401, 403, 413)
}

router = APIRouter(
    tags=["Camunda 7 external tasks"],
    route_class=CamundaRoute,
    dependencies=[Depends(requires("jobs"))],
    responses={
        **_REFUSED_FIRST,
        503: {"model": CamundaErrorShape, "description": "The database is unavailable"},
    },
)


CommandsDep = Annotated[Commands, Depends(get_commands)]
NO_CONTENT = 204


@router.get("/engine", response_model=list[EngineShape])
async def engines() -> list[dict[str, str]]:
    """The process engines: Stead answers as the one default engine."""
    return [{"name": "default"}]


@router.get("/version", response_model=VersionShape)
async def version() -> dict[str, str]:
    """The version of the Camunda REST API this protocol follows."""
    return {"version": COMPATIBLE_VERSION}


@router.post(
    "/external-task/fetchAndLock",
    response_model=list[LockedTaskShape],
    responses={400: _ERRORS[400]},
)
async def fetch_and_lock_route(
    request: Request,
    body: FetchAndLockBody,
    commands: CommandsDep,
    settings: Annotated[ApiSettings, Depends(get_settings)],
) -> Response:
    """Lock up to ``maxTasks`` tasks of the given topics for ``workerId``; with
    ``asyncResponseTimeout`` (ms) wait for the first one that long at most (the server's
    long-poll limit caps the wait; an empty answer asks the worker to poll again)."""
    tasks = await fetch_and_lock(
        commands,
        body,
        settings=settings,
        gone=request.is_disconnected,
    )
    return JSONResponse(tasks)


@router.post("/external-task/{task_id}/complete", status_code=NO_CONTENT, responses=_ERRORS)
async def complete(task_id: str, body: CompleteBody, commands: CommandsDep) -> Response:
    """Complete a task the worker holds; ``variables`` (and ``localVariables``, which Stead
    treats as task results for the task's output mappings) are its result. Completions that
    arrive together are committed together."""
    await complete_task(commands, task_id, body)
    return Response(status_code=NO_CONTENT)


@router.post("/external-task/{task_id}/failure", status_code=NO_CONTENT, responses=_ERRORS)
def failure(task_id: str, body: FailureBody, commands: CommandsDep) -> Response:
    """Report a failed attempt: ``retries`` left (0 raises an incident), ``retryTimeout`` ms
    until the task can be fetched again."""
    variables = untyped_variables(body.local_variables, field="localVariables")
    variables.update(untyped_variables(body.variables))
    message = body.error_message or ""
    if body.error_details:
        message = f"{message}\n{body.error_details}" if message else body.error_details
    locks.fail(
        commands,
        task_id,
        body.worker_id,
        error_message=message,
        retries=body.retries,
        retry_timeout_ms=body.retry_timeout,
        variables=variables,
    )
    return Response(status_code=NO_CONTENT)


@router.post("/external-task/{task_id}/bpmnError", status_code=NO_CONTENT, responses=_ERRORS)
def bpmn_error(task_id: str, body: BpmnErrorBody, commands: CommandsDep) -> Response:
    """Throw a BPMN error with ``errorCode`` from the task, for an error event to catch."""
    locks.throw_bpmn_error(
        commands,
        task_id,
        body.worker_id,
        error_code=body.error_code,
        error_message=body.error_message or "",
        variables=untyped_variables(body.variables),
    )
    return Response(status_code=NO_CONTENT)


@router.post("/external-task/{task_id}/extendLock", status_code=NO_CONTENT, responses=_ERRORS)
def extend_lock(task_id: str, body: ExtendLockBody, commands: CommandsDep) -> Response:
    """Keep the lock ``newDuration`` ms from now; only its holder can, and only before it ran
    out."""
    locks.extend_lock(commands, task_id, body.worker_id, body.new_duration)
    return Response(status_code=NO_CONTENT)


@router.post("/external-task/{task_id}/lock", status_code=NO_CONTENT, responses=_ERRORS)
def lock(task_id: str, body: LockBody, commands: CommandsDep) -> Response:
    """Lock a task by id for ``lockDuration`` ms."""
    locks.lock(commands, task_id, body.worker_id, body.lock_duration)
    return Response(status_code=NO_CONTENT)


@router.post("/external-task/{task_id}/unlock", status_code=NO_CONTENT, responses=_ERRORS)
def unlock(task_id: str, commands: CommandsDep) -> Response:
    """Clear the task's lock so that any worker can fetch it again."""
    locks.unlock(commands, task_id)
    return Response(status_code=NO_CONTENT)


def _shown(row: JobRow) -> dict[str, Any]:
    held = row.state == "activated"
    return external_task(
        job_id=row.key,
        topic=row.type,
        worker=row.lease_owner if held else None,
        lock_expires=row.lease_expires_at if held else None,
        retries=row.retries,
        instance_id=row.instance_id,
        process_id=row.process_id,
        element_id=row.element_id,
        row=row,
    )


@router.get("/external-task", response_model=list[ExternalTaskShape], responses={400: _ERRORS[400]})
def list_tasks(
    commands: CommandsDep,
    topic_name: Annotated[str | None, Query(alias="topicName", max_length=255)] = None,
    worker_id: Annotated[str | None, Query(alias="workerId", max_length=255)] = None,
    process_instance_id: Annotated[
        str | None, Query(alias="processInstanceId", max_length=64)
    ] = None,
    locked: bool | None = None,
    first_result: Annotated[int, Query(alias="firstResult", ge=0, le=10**9)] = 0,
    max_results: Annotated[int, Query(alias="maxResults", ge=0, le=1000)] = 100,
) -> Response:
    """Open external tasks (and those waiting in an incident), oldest first."""
    rows = list_job_rows(
        commands.runtime,
        topic=topic_name,
        instance_id=process_instance_id,
        worker=worker_id,
        locked=locked,
        offset=first_result,
        limit=max_results,
    )
    return JSONResponse([_shown(row) for row in rows])


@router.get("/external-task/{task_id}", response_model=ExternalTaskShape, responses=_ERRORS)
def get_task(task_id: str, commands: CommandsDep) -> Response:
    """One open external task."""
    row = job_row(commands.runtime, locks.job_key(task_id))
    if row is None or row.state not in ("activatable", "activated", "failed"):
        raise not_found(task_id)
    return JSONResponse(_shown(row))
