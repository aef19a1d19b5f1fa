"""What the runtime's operations return: plain, immutable records built from database rows.

Public ids: an instance's id is a UUID string; jobs, user tasks and incidents are identified by
the integer key their table assigns (unique across the database), which maps to the owning
instance and the engine's own key inside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

__all__ = [
    "ActivatedJob",
    "CompletedBatch",
    "DeployedProcess",
    "HistoryEntry",
    "Incident",
    "Instance",
    "InstancePage",
    "Job",
    "PublishResult",
    "UserTask",
    "WaitingSummary",
    "WaitingToken",
]

JsonObject = dict[str, Any]
Row = sa.Row[Any]


@dataclass(frozen=True, slots=True)
class DeployedProcess:
    process_id: str
    version: int
    definition_key: int
    name: str | None
    resource_name: str
    deployed_at: dt.datetime
    created: bool  # False when the content was unchanged and the existing version is reused

    @staticmethod
    def from_row(row: Row, *, created: bool) -> DeployedProcess:
        return DeployedProcess(
            row.process_id,
            row.version,
            row.key,
            row.name,
            row.resource_name,
            row.deployed_at,
            created,
        )


@dataclass(frozen=True, slots=True)
class WaitingToken:
    element_id: str
    element_instance_key: int
    kind: str
    since: dt.datetime

    @staticmethod
    def from_row(row: Row) -> WaitingToken:
        return WaitingToken(row.element_id, row.element_instance_key, row.kind, row.since)


@dataclass(frozen=True, slots=True)
class Incident:
    id: int
    instance_id: str
    element_id: str | None
    element_instance_key: int | None
    kind: str
    message: str
    state: str  # "open" | "resolved"
    job_id: int | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None

    @staticmethod
    def from_row(row: Row) -> Incident:
        return Incident(
            row.key,
            row.instance_id,
            row.element_id,
            row.element_instance_key,
            row.kind,
            row.message,
            row.state,
            row.job_key,
            row.created_at,
            row.resolved_at,
            row.resolved_by,
        )


@dataclass(frozen=True, slots=True)
class Instance:
    id: str
    process_id: str
    version: int  # the definition version the instance runs on
    definition_key: int
    business_key: str | None
    state: str  # "active" | "completed" | "terminated"
    variables: JsonObject
    started_at: dt.datetime
    ended_at: dt.datetime | None
    parent_instance_id: str | None
    parent_element_instance_key: int | None
    idempotency_key: str | None
    waiting: tuple[WaitingToken, ...] = ()  # filled by get_instance only
    incidents: tuple[Incident, ...] = ()  # open incidents; filled by get_instance only

    @staticmethod
    def from_row(
        row: Row,
        waiting: tuple[WaitingToken, ...] = (),
        incidents: tuple[Incident, ...] = (),
    ) -> Instance:
        return Instance(
            row.id,
            row.process_id,
            row.definition_version,
            row.definition_key,
            row.business_key,
            row.status,
            row.variables,
            row.started_at,
            row.ended_at,
            row.parent_instance_id,
            row.parent_element_instance_key,
            row.idempotency_key,
            waiting,
            incidents,
        )


@dataclass(frozen=True, slots=True)
class InstancePage:
    items: list[Instance]
    next_cursor: str | None  # pass back as ``cursor`` for the next page; None: no more


@dataclass(frozen=True, slots=True)
class ActivatedJob:
    id: int
    type: str
    instance_id: str
    process_id: str
    process_version: int
    element_id: str
    element_instance_key: int
    retries: int
    attempt: int  # 1 for the first activation
    variables: JsonObject
    headers: dict[str, str]
    worker: str
    deadline: dt.datetime  # the lease ends then unless extended


@dataclass(frozen=True, slots=True)
class Job:
    """A job as listed for operators (workers get :class:`ActivatedJob`)."""

    id: int
    type: str
    state: str  # activatable | activated | failed | completed | errored | cancelled
    instance_id: str
    element_id: str
    element_instance_key: int
    retries: int
    attempts: int
    due_at: dt.datetime
    worker: str | None
    lease_expires_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime

    @staticmethod
    def from_row(row: Row) -> Job:
        return Job(
            row.key,
            row.type,
            row.state,
            row.instance_id,
            row.element_id,
            row.element_instance_key,
            row.retries,
            row.attempts,
            row.due_at,
            row.lease_owner,
            row.lease_expires_at,
            row.last_error,
            row.created_at,
        )


@dataclass(frozen=True, slots=True)
class WaitingSummary:
    """How many active instances of a process wait at one element, and since when."""

    process_id: str
    element_id: str
    kind: str
    count: int
    oldest_since: dt.datetime


@dataclass(frozen=True, slots=True)
class UserTask:
    id: int
    instance_id: str
    process_id: str
    element_id: str
    element_instance_key: int
    name: str | None
    state: str  # "created" | "completed" | "cancelled"
    assignee: str | None
    candidate_groups: list[str]
    candidate_users: list[str]
    form_key: str | None
    due_at: dt.datetime | None
    follow_up_at: dt.datetime | None
    variables: JsonObject
    created_at: dt.datetime
    completed_by: str | None
    completed_at: dt.datetime | None

    @staticmethod
    def from_row(row: Row) -> UserTask:
        return UserTask(
            row.key,
            row.instance_id,
            row.process_id,
            row.element_id,
            row.element_instance_key,
            row.name,
            row.state,
            row.assignee,
            list(row.candidate_groups),
            list(row.candidate_users),
            row.form_key,
            row.due_at,
            row.follow_up_at,
            row.variables,
            row.created_at,
            row.completed_by,
            row.completed_at,
        )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    seq: int
    instance_id: str
    at: dt.datetime
    event: str
    element_id: str | None
    element_instance_key: int | None
    actor: str
    data: JsonObject

    @staticmethod
    def from_row(row: Row) -> HistoryEntry:
        return HistoryEntry(
            row.seq,
            row.instance_id,
            row.at,
            row.event,
            row.element_id,
            row.element_instance_key,
            row.actor,
            row.data,
        )


@dataclass(frozen=True, slots=True)
class CompletedBatch:
    """What completing several jobs in one transaction did: the completions refused (by job
    id, with why: the job was cancelled or completed meanwhile, ...) and the jobs leased in
    the same transaction."""

    refused: dict[int, Exception]
    activated: list[ActivatedJob]


@dataclass(frozen=True, slots=True)
class PublishResult:
    correlated: list[str] = field(default_factory=list)  # instances the message reached
    started: list[str] = field(default_factory=list)  # instances a message start event started
    buffered: bool = False  # kept for its time-to-live, waiting for a subscription
    duplicate: bool = False  # a message with this id was published before; nothing happened
