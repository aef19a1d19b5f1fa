"""Operations on one locked external task, each refused unless the worker asking holds the
task's lock, as Camunda does: complete, fail, throw a BPMN error, extend the lock, plus
unlocking and locking a task by id.

The command layer's job operations do not ask who holds a job's lease, so each operation here
runs the runtime's job operation inside one transaction together with that check: the row is
locked, its holder compared, and the operation applied, with no window for another worker to
take the task over in between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from stead.api.camunda.errors import bad_request, not_found
from stead.api.camunda.job_rows import OPEN_STATES
from stead.commands import Commands
from stead.engine import commands as engine_commands
from stead.runtime import job_ops
from stead.runtime.unit_of_work import UnitOfWork
from stead.store.bulk import FastQuery
from stead.store.schema import jobs

__all__ = [
    "complete",
    "extend_lock",
    "fail",
    "job_key",
    "lock",
    "row_held_by",
    "throw_bpmn_error",
    "unlock",
]

Row = sa.Row[Any]
_KNOWN_STATES = (*OPEN_STATES, "failed")  # a failed job waits in an incident; it still exists
# What the checks and a completion need; the job's variables and headers are not read here.
# Built once: every complete, failure and BPMN error runs it.
_LOCKED_ROW = FastQuery(
    sa.select(
        jobs.c.key,
        jobs.c.tenant_id,
        jobs.c.instance_id,
        jobs.c.engine_key,
        jobs.c.state,
        jobs.c.lease_owner,
        jobs.c.lease_expires_at,
    )
    .where(jobs.c.key == sa.bindparam("job_key"))
    .with_for_update()
)


def job_key(task_id: str) -> int:
    """The job key a task id names; ids that cannot name a job are unknown tasks."""
    if not (task_id.isascii() and task_id.isdigit()) or len(task_id) > 18:
        raise not_found(task_id)
    return int(task_id)


def _locked_row(uow: UnitOfWork, task_id: str) -> Row:
    """The job's row, locked for this transaction; a completed, errored or cancelled job is
    gone, as Camunda deletes such external tasks."""
    row: Row | None = _LOCKED_ROW.first(uow.conn, {"job_key": job_key(task_id)})
    if row is None or row.tenant_id != uow.tenant or row.state not in _KNOWN_STATES:
        raise not_found(task_id)
    return row


def row_held_by(uow: UnitOfWork, task_id: str, worker: str, verb: str) -> Row:
    """The job's row, when ``worker`` holds its lock (else the 400 Camunda answers)."""
    row = _locked_row(uow, task_id)
    if row.lease_owner != worker:
        raise bad_request(
            f"External Task {task_id} cannot be {verb} by worker '{worker}'. "
            f"It is locked by worker '{row.lease_owner}'."
        )
    return row


def _as_holder(
    commands: Commands, task_id: str, worker: str, verb: str, act: Callable[[UnitOfWork, Row], Any]
) -> None:
    def work(uow: UnitOfWork) -> None:
        act(uow, row_held_by(uow, task_id, worker, verb))

    commands.runtime.transactions.run(work)


def complete(commands: Commands, task_id: str, worker: str, variables: dict[str, Any]) -> None:
    _as_holder(
        commands,
        task_id,
        worker,
        "completed",
        lambda uow, row: job_ops.complete_locked(uow, row, variables, worker),
    )


def fail(
    commands: Commands,
    task_id: str,
    worker: str,
    *,
    error_message: str,
    retries: int | None,
    retry_timeout_ms: int | None,
    variables: dict[str, Any],
) -> None:
    """Record the failure; with ``retries`` 0 the job raises an incident."""
    backoff = None if retry_timeout_ms is None else dt.timedelta(milliseconds=retry_timeout_ms)
    rng = commands.runtime.rng

    def act(uow: UnitOfWork, row: Row) -> None:
        if variables:
            command = engine_commands.SetVariables(dict(variables), None, False, worker)
            uow.apply(row.instance_id, command)
        job_ops.fail(
            uow,
            row.key,
            error_message=error_message,
            retries=retries,
            retry_backoff=backoff,
            actor=worker,
            rng=rng,
        )

    _as_holder(commands, task_id, worker, "failed", act)


def throw_bpmn_error(
    commands: Commands,
    task_id: str,
    worker: str,
    *,
    error_code: str,
    error_message: str,
    variables: dict[str, Any],
) -> None:
    _as_holder(
        commands,
        task_id,
        worker,
        "reported a BPMN error",
        lambda uow, row: job_ops.throw_error(
            uow, row.key, error_code, error_message, variables, worker
        ),
    )


def extend_lock(commands: Commands, task_id: str, worker: str, duration_ms: int) -> None:
    """Only the holder can extend a lock, and only before it ran out."""

    def work(uow: UnitOfWork) -> None:
        row = _locked_row(uow, task_id)
        holding = row.state == "activated" and row.lease_expires_at > uow.now
        if not holding:
            raise bad_request(
                f"Cannot extend the lock of external task {task_id}: it is not locked"
            )
        if row.lease_owner != worker:
            raise bad_request(
                f"The lock of the External Task {task_id} cannot be extended by worker "
                f"'{worker}'. It is locked by worker '{row.lease_owner}'."
            )
        job_ops.extend_lock(uow, row.key, dt.timedelta(milliseconds=duration_ms))

    commands.runtime.transactions.run(work)


def unlock(commands: Commands, task_id: str) -> None:
    """Clear the lock: the task can be fetched again at once."""

    def work(uow: UnitOfWork) -> None:
        row = _locked_row(uow, task_id)
        if row.state == "activated":
            uow.conn.execute(
                sa.update(jobs)
                .where(jobs.c.key == row.key)
                .values(state="activatable", lease_owner=None, lease_expires_at=None)
            )
            uow.created_work = True  # wakes waiting fetches

    commands.runtime.transactions.run(work)


def lock(commands: Commands, task_id: str, worker: str, duration_ms: int) -> None:
    """Lock a task by id for ``worker``: refused while another worker's lock lasts; the same
    worker locking again starts a new lock duration from now."""

    def work(uow: UnitOfWork) -> None:
        row = _locked_row(uow, task_id)
        if row.state == "failed":
            raise bad_request(f"External task {task_id} has no retries left and cannot be locked")
        held_by_other = (
            row.state == "activated"
            and row.lease_owner != worker
            and row.lease_expires_at > uow.now
        )
        if held_by_other:
            raise bad_request(
                f"External task {task_id} is already locked by worker '{row.lease_owner}'"
            )
        uow.conn.execute(
            sa.update(jobs)
            .where(jobs.c.key == row.key)
            .values(
                state="activated",
                lease_owner=worker,
                lease_expires_at=uow.now + dt.timedelta(milliseconds=duration_ms),
                attempts=jobs.c.attempts + 1,
            )
        )

    commands.runtime.transactions.run(work)
