"""What the external-task protocol shows about a job beyond what activation returns (the
instance's business key, the last error, who holds the lock), read from the job queue in one
query per request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from stead.runtime import Runtime
from stead.store.schema import instances, jobs

__all__ = ["JobRow", "job_row", "job_rows", "list_job_rows"]

OPEN_STATES = ("activatable", "activated")


@dataclass(frozen=True, slots=True)
class JobRow:
    key: int
    type: str
    state: str
    instance_id: str
    element_id: str
    element_instance_key: int
    retries: int
    due_at: dt.datetime
    lease_owner: str | None
    lease_expires_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime
    process_id: str
    process_version: int
    definition_key: int
    business_key: str | None
    tenant_id: str

    def locked_by(self, now: dt.datetime) -> str | None:
        """The worker holding the lock now (None when unlocked or the lock ran out)."""
        if self.state != "activated" or self.lease_expires_at is None:
            return None
        return self.lease_owner if self.lease_expires_at > now else None

    @property
    def definition_id(self) -> str:
        return f"{self.process_id}:{self.process_version}:{self.definition_key}"


_COLUMNS = (
    jobs.c.key,
    jobs.c.type,
    jobs.c.state,
    jobs.c.instance_id,
    jobs.c.element_id,
    jobs.c.element_instance_key,
    jobs.c.retries,
    jobs.c.due_at,
    jobs.c.lease_owner,
    jobs.c.lease_expires_at,
    jobs.c.last_error,
    jobs.c.created_at,
    instances.c.process_id,
    instances.c.definition_version.label("process_version"),
    instances.c.definition_key,
    instances.c.business_key,
    jobs.c.tenant_id,
)
_SELECT = sa.select(*_COLUMNS).select_from(
    jobs.join(instances, jobs.c.instance_id == instances.c.id)
)


def _of(row: sa.Row[Any]) -> JobRow:
    return JobRow(**row._asdict())


def job_row(runtime: Runtime, key: int) -> JobRow | None:
    with runtime.database.read() as conn:
        row = conn.execute(
            _SELECT.where(jobs.c.key == key, jobs.c.tenant_id == runtime.tenant)
        ).first()
    return None if row is None else _of(row)


def job_rows(runtime: Runtime, keys: Iterable[int]) -> dict[int, JobRow]:
    wanted = list(keys)
    if not wanted:
        return {}
    with runtime.database.read() as conn:
        rows = conn.execute(_SELECT.where(jobs.c.key.in_(wanted)))
        return {row.key: _of(row) for row in rows}


def list_job_rows(
    runtime: Runtime,
    *,
    topic: str | None,
    instance_id: str | None,
    worker: str | None,
    locked: bool | None,
    offset: int,
    limit: int,
) -> list[JobRow]:
    """Open jobs (and failed ones, which wait for an operator) in creation order."""
    query = _SELECT.where(
        jobs.c.tenant_id == runtime.tenant, jobs.c.state.in_((*OPEN_STATES, "failed"))
    )
    if topic is not None:
        query = query.where(jobs.c.type == topic)
    if instance_id is not None:
        query = query.where(jobs.c.instance_id == instance_id)
    if worker is not None:
        query = query.where(jobs.c.lease_owner == worker)
    if locked is not None:
        held = jobs.c.state == "activated"
        query = query.where(held if locked else sa.not_(held))
    with runtime.database.read() as conn:
        rows = conn.execute(query.order_by(jobs.c.key).offset(offset).limit(limit))
        return [_of(row) for row in rows]
