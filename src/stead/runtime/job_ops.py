"""Job operations inside a unit of work: activate (lease), complete, fail with backoff or
raise an incident when retries are exhausted, throw a BPMN error, extend a lease."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from stead.engine import CommandRejected, InstanceState, job_variables
from stead.engine import commands as c
from stead.runtime.errors import ConflictError, NotFoundError
from stead.runtime.retry import job_backoff, policy_from_json
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import ActivatedJob
from stead.store import incidents, jobs

__all__ = ["activate", "complete", "complete_locked", "extend_lock", "fail", "throw_error"]

_OPEN_STATES = ("activatable", "activated")
JOB_INCIDENT_KIND = "job-no-retries"


def _open_job(uow: UnitOfWork, job_id: int) -> Any:
    job = jobs.by_key(uow.conn, job_id, for_update=True)
    if job is None or job.tenant_id != uow.tenant:
        raise NotFoundError(f"no job {job_id}")
    if job.state not in _OPEN_STATES:
        raise ConflictError(f"job {job_id} is {job.state}")
    return job


def activate(
    uow: UnitOfWork, job_type: str, *, worker: str, max_jobs: int, lock_duration: dt.timedelta
) -> list[ActivatedJob]:
    deadline = uow.now + lock_duration
    rows = jobs.activate(
        uow.conn,
        tenant=uow.tenant,
        job_type=job_type,
        worker=worker,
        max_jobs=max_jobs,
        lease_until=deadline,
        now=uow.now,
    )
    # Instances this transaction already holds (a job just completed created the next one)
    # need no query: their newest state is in memory.
    owners: dict[str, tuple[str, int, InstanceState | None, Any]] = {}
    for instance_id in {row.instance_id for row in rows}:
        held = uow.already_loaded(instance_id)
        if held is not None:
            owners[instance_id] = (held.process_id, held.definition_version, held.state, None)
    missing = {row.instance_id for row in rows} - owners.keys()
    for instance_id, owner in jobs.owning_instances(uow.conn, missing).items():
        owners[instance_id] = (owner.process_id, owner.definition_version, None, owner.state)

    def current_variables(row: Any) -> dict[str, Any]:
        # What the task sees now, not what it saw when the job was created: an operator may
        # have fixed a variable before resolving the incident of a failed attempt.
        process_id, version, state, raw_state = owners[row.instance_id]
        if state is None:
            state = InstanceState.from_json(raw_state)
            owners[row.instance_id] = (process_id, version, state, None)
        try:
            return job_variables(state, row.engine_key)
        except CommandRejected:
            return dict(row.variables)

    return [
        ActivatedJob(
            id=row.key,
            type=row.type,
            instance_id=row.instance_id,
            process_id=owners[row.instance_id][0],
            process_version=owners[row.instance_id][1],
            element_id=row.element_id,
            element_instance_key=row.element_instance_key,
            retries=row.retries,
            attempt=row.attempts,
            variables=current_variables(row),
            headers=row.headers,
            worker=worker,
            deadline=deadline,
        )
        for row in rows
    ]


def complete(uow: UnitOfWork, job_id: int, variables: dict[str, Any], actor: str) -> None:
    complete_locked(uow, _open_job(uow, job_id), variables, actor)


def complete_locked(uow: UnitOfWork, job: Any, variables: dict[str, Any], actor: str) -> None:
    """Complete ``job``, a row of the jobs table this transaction has already read and locked
    (with at least its key, state, instance_id and engine_key): no second read."""
    if job.state not in _OPEN_STATES:
        raise ConflictError(f"job {job.key} is {job.state}")
    uow.apply(job.instance_id, c.CompleteJob(job.engine_key, variables, actor=actor))
    jobs.set_state(uow.conn, job.key, "completed")


def throw_error(
    uow: UnitOfWork,
    job_id: int,
    error_code: str,
    message: str,
    variables: dict[str, Any],
    actor: str,
) -> None:
    job = _open_job(uow, job_id)
    command = c.ThrowError(job.engine_key, error_code, message, variables, actor=actor)
    uow.apply(job.instance_id, command)
    jobs.set_state(uow.conn, job.key, "errored", last_error=f"{error_code}: {message}".rstrip(": "))


def fail(
    uow: UnitOfWork,
    job_id: int,
    *,
    error_message: str,
    retries: int | None,
    retry_backoff: dt.timedelta | None,
    actor: str,
    rng: random.Random,
    min_backoff: dt.timedelta | None = None,
) -> None:
    """Record a failed attempt. With retries left the job is due again after the backoff
    (the given one, else the job's policy with full jitter; never sooner than ``min_backoff``,
    say a server's Retry-After); without, an incident is raised."""
    job = _open_job(uow, job_id)
    retries_left = job.retries - 1 if retries is None else retries
    data: dict[str, Any] = {"jobId": job.key, "retries": retries_left, "error": error_message}
    if retries_left > 0:
        if retry_backoff is None:
            retry_backoff = job_backoff(policy_from_json(job.retry_policy), job.attempts, rng)
        if min_backoff is not None:
            retry_backoff = max(retry_backoff, min_backoff)
        due = uow.now + retry_backoff
        jobs.reschedule(uow.conn, job.key, retries=retries_left, due_at=due, error=error_message)
        data["retryAt"] = due.isoformat()
        data["backoffSeconds"] = retry_backoff.total_seconds()
        uow.record(
            job.instance_id, "job.failed", job.element_id, job.element_instance_key, actor, data
        )
        uow.created_work = True
        return
    jobs.set_state(uow.conn, job.key, "failed", retries=0, last_error=error_message)
    uow.record(job.instance_id, "job.failed", job.element_id, job.element_instance_key, actor, data)
    uow.incident_raised(job.instance_id)
    incident_id = incidents.insert(
        uow.conn,
        {
            "tenant_id": uow.tenant,
            "instance_id": job.instance_id,
            "element_instance_key": job.element_instance_key,
            "element_id": job.element_id,
            "kind": JOB_INCIDENT_KIND,
            "message": error_message or "the job failed and has no retries left",
            "job_key": job.key,
            "created_at": uow.now,
        },
    )
    uow.record(
        job.instance_id,
        "incident.raised",
        job.element_id,
        job.element_instance_key,
        "engine",
        {"incidentId": incident_id, "kind": JOB_INCIDENT_KIND, "message": error_message},
    )


def extend_lock(uow: UnitOfWork, job_id: int, lock_duration: dt.timedelta) -> dt.datetime:
    deadline = uow.now + lock_duration
    if not jobs.extend_lease(uow.conn, job_id, deadline):
        raise ConflictError(f"job {job_id} is not activated")
    return deadline
