"""The resource shapes users see, in JSON with camelCase fields: the CLI's ``--json`` output and
the HTTP API's bodies are these same models, built from the runtime's records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from stead.runtime import views

__all__ = [
    "Deployment",
    "HistoryEntry",
    "Incident",
    "Instance",
    "InstancePage",
    "Job",
    "PublishResult",
    "Resource",
    "UserTask",
    "WaitingToken",
]


class Resource(BaseModel):
    """Base of every resource: camelCase in JSON, snake_case in Python, immutable."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class Deployment(Resource):
    process_id: str
    name: str | None
    version: int
    resource_name: str
    deployed_at: dt.datetime
    created: bool  # False when unchanged content was deployed again

    @classmethod
    def of(cls, view: views.DeployedProcess) -> Deployment:
        return cls(
            process_id=view.process_id,
            name=view.name,
            version=view.version,
            resource_name=view.resource_name,
            deployed_at=view.deployed_at,
            created=view.created,
        )


class WaitingToken(Resource):
    element_id: str
    element_instance_key: int
    kind: str
    since: dt.datetime

    @classmethod
    def of(cls, view: views.WaitingToken) -> WaitingToken:
        return cls(
            element_id=view.element_id,
            element_instance_key=view.element_instance_key,
            kind=view.kind,
            since=view.since,
        )


class Incident(Resource):
    id: int
    process_instance_id: str
    element_id: str | None
    kind: str
    message: str
    state: str
    job_id: int | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None

    @classmethod
    def of(cls, view: views.Incident) -> Incident:
        return cls(
            id=view.id,
            process_instance_id=view.instance_id,
            element_id=view.element_id,
            kind=view.kind,
            message=view.message,
            state=view.state,
            job_id=view.job_id,
            created_at=view.created_at,
            resolved_at=view.resolved_at,
            resolved_by=view.resolved_by,
        )


class Instance(Resource):
    id: str
    process_id: str
    version: int
    business_key: str | None
    state: str
    variables: dict[str, Any]
    started_at: dt.datetime
    ended_at: dt.datetime | None
    parent_instance_id: str | None
    waiting: list[WaitingToken]
    incidents: list[Incident]

    @classmethod
    def of(cls, view: views.Instance) -> Instance:
        return cls(
            id=view.id,
            process_id=view.process_id,
            version=view.version,
            business_key=view.business_key,
            state=view.state,
            variables=view.variables,
            started_at=view.started_at,
            ended_at=view.ended_at,
            parent_instance_id=view.parent_instance_id,
            waiting=[WaitingToken.of(w) for w in view.waiting],
            incidents=[Incident.of(i) for i in view.incidents],
        )


class InstancePage(Resource):
    items: list[Instance]
    next_cursor: str | None


class UserTask(Resource):
    id: int
    element_id: str
    name: str | None
    process_instance_id: str
    process_id: str
    state: str
    assignee: str | None
    candidate_groups: list[str]
    candidate_users: list[str]
    form_key: str | None
    due_date: dt.datetime | None
    follow_up_date: dt.datetime | None
    created_at: dt.datetime
    completed_at: dt.datetime | None
    completed_by: str | None
    variables: dict[str, Any]

    @classmethod
    def of(cls, view: views.UserTask) -> UserTask:
        return cls(
            id=view.id,
            element_id=view.element_id,
            name=view.name,
            process_instance_id=view.instance_id,
            process_id=view.process_id,
            state=view.state,
            assignee=view.assignee,
            candidate_groups=view.candidate_groups,
            candidate_users=view.candidate_users,
            form_key=view.form_key,
            due_date=view.due_at,
            follow_up_date=view.follow_up_at,
            created_at=view.created_at,
            completed_at=view.completed_at,
            completed_by=view.completed_by,
            variables=view.variables,
        )


class Job(Resource):
    id: int
    type: str
    process_instance_id: str
    process_id: str
    process_version: int
    element_id: str
    retries: int
    attempt: int
    worker: str
    deadline: dt.datetime
    variables: dict[str, Any]
    custom_headers: dict[str, str]

    @classmethod
    def of(cls, view: views.ActivatedJob) -> Job:
        return cls(
            id=view.id,
            type=view.type,
            process_instance_id=view.instance_id,
            process_id=view.process_id,
            process_version=view.process_version,
            element_id=view.element_id,
            retries=view.retries,
            attempt=view.attempt,
            worker=view.worker,
            deadline=view.deadline,
            variables=view.variables,
            custom_headers=view.headers,
        )


class HistoryEntry(Resource):
    seq: int
    time: dt.datetime
    event: str
    element_id: str | None
    element_instance_key: int | None
    actor: str
    data: dict[str, Any]

    @classmethod
    def of(cls, view: views.HistoryEntry) -> HistoryEntry:
        return cls(
            seq=view.seq,
            time=view.at,
            event=view.event,
            element_id=view.element_id,
            element_instance_key=view.element_instance_key,
            actor=view.actor,
            data=view.data,
        )


class PublishResult(Resource):
    correlated: list[str]
    started: list[str]
    buffered: bool
    duplicate: bool

    @classmethod
    def of(cls, view: views.PublishResult) -> PublishResult:
        return cls(
            correlated=view.correlated,
            started=view.started,
            buffered=view.buffered,
            duplicate=view.duplicate,
        )
