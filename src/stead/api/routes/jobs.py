"""Jobs for workers in any language: activate (waiting up to a timeout for work), complete,
fail with retries and backoff, throw a BPMN error, extend the lock."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from stead.api.models import (
    ActivatedJobs,
    ActivateJobsRequest,
    CompleteRequest,
    ExtendLockRequest,
    FailJobRequest,
    LockDeadline,
    ThrowErrorRequest,
)
from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import CommandsDep, JobWorker, SettingsDep
from stead.api.settings import ApiSettings
from stead.commands import Commands
from stead.commands.resources import Job

__all__ = ["activate_waiting", "router"]

router = APIRouter(prefix="/api/jobs", tags=["jobs"], responses=PROBLEM_RESPONSES)
JobId = Annotated[int, Path(ge=1, le=2**62)]
_CHECK_EVERY = 0.02  # seconds between looks at the wake-up counter while waiting


async def activate_waiting(
    commands: Commands,
    settings: ApiSettings,
    *,
    job_type: str,
    worker: str,
    max_jobs: int,
    lock_duration: dt.timedelta,
    wait: dt.timedelta,
) -> list[Job]:
    """Activate jobs; when none are due, wait up to ``wait`` for new work (woken by the
    runtime's signal, and looking again every poll interval for other processes' work)."""
    wait = min(wait, settings.max_long_poll)
    deadline = time.monotonic() + wait.total_seconds()
    while True:
        seen = commands.work_generation
        jobs = await run_in_threadpool(
            commands.activate_jobs,
            job_type,
            worker=worker,
            max_jobs=max_jobs,
            lock_duration=lock_duration,
        )
        now = time.monotonic()
        if jobs or now >= deadline or settings.stopping.is_set():
            return jobs
        look_again = min(deadline, now + settings.poll_interval)
        while time.monotonic() < look_again and commands.work_generation == seen:
            if settings.stopping.is_set():
                return []
            await asyncio.sleep(_CHECK_EVERY)


@router.post(
    "/activation",
    summary="Activate (lock) up to maxJobs jobs of a type, waiting up to requestTimeoutMs",
    response_model=ActivatedJobs,
)
async def activate_jobs(
    caller: JobWorker,
    commands: CommandsDep,
    settings: SettingsDep,
    body: ActivateJobsRequest,
) -> ActivatedJobs:
    jobs = await activate_waiting(
        commands,
        settings,
        job_type=body.type,
        worker=body.worker or caller.name,
        max_jobs=body.max_jobs,
        lock_duration=dt.timedelta(milliseconds=body.lock_duration_ms),
        wait=dt.timedelta(milliseconds=body.request_timeout_ms),
    )
    if body.fetch_variables is not None:
        wanted = set(body.fetch_variables)
        jobs = [
            job.model_copy(
                update={"variables": {k: v for k, v in job.variables.items() if k in wanted}}
            )
            for job in jobs
        ]
    return ActivatedJobs(jobs=jobs)


@router.post("/{job_id}/completion", summary="Complete the job", status_code=204)
def complete_job(
    caller: JobWorker, commands: CommandsDep, job_id: JobId, body: CompleteRequest | None = None
) -> Response:
    variables = body.variables if body is not None else {}
    commands.complete_job(job_id, variables, worker=caller.name)
    return Response(status_code=204)


@router.post(
    "/{job_id}/failure",
    summary="Report a failed attempt: retry after the backoff, or raise an incident",
    status_code=204,
)
def fail_job(
    caller: JobWorker, commands: CommandsDep, job_id: JobId, body: FailJobRequest
) -> Response:
    backoff = None
    if body.retry_backoff_ms is not None:
        backoff = dt.timedelta(milliseconds=body.retry_backoff_ms)
    commands.fail_job(
        job_id,
        error_message=body.error_message,
        retries=body.retries,
        retry_backoff=backoff,
        worker=caller.name,
    )
    return Response(status_code=204)


@router.post(
    "/{job_id}/error",
    summary="Throw a BPMN error from the job's task",
    status_code=204,
)
def throw_error(
    caller: JobWorker, commands: CommandsDep, job_id: JobId, body: ThrowErrorRequest
) -> Response:
    commands.throw_error(
        job_id,
        body.error_code,
        error_message=body.error_message,
        variables=body.variables,
        worker=caller.name,
    )
    return Response(status_code=204)


@router.post("/{job_id}/lock", summary="Extend the job's lock", response_model=LockDeadline)
def extend_lock(
    _caller: JobWorker, commands: CommandsDep, job_id: JobId, body: ExtendLockRequest
) -> LockDeadline:
    duration = dt.timedelta(milliseconds=body.lock_duration_ms)
    deadline = commands.extend_job_lock(job_id, duration)
    return LockDeadline(deadline=deadline)
