"""The resource shapes users see, in JSON with camelCase fields: the CLI's ``--json`` output and
the HTTP API's bodies are these same models, built from the runtime's records."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "DefinitionVersion",
    "Deployment",
    "DeploymentResult",
    "Event",
    "FormDeployment",
    "HistoryEntry",
    "Incident",
    "Instance",
    "InstancePage",
    "Job",
    "ProcessDefinitionSummary",
    "PublishResult",
    "Readiness",
    "Resource",
    "TaskForm",
    "UserTask",
    "WaitingToken",
]


class Resource(BaseModel):
    """Base of every resource: camelCase in JSON, snake_case in Python, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, from_attributes=True
    )

    @classmethod
    def of(cls, view: object) -> Self:
        """The resource for one of the runtime's records (``stead.runtime.views``), read by
        attribute; fields named differently here say where they come from (``_from``)."""
        return cls.model_validate(view)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def _from(attribute: str, field: str) -> Any:
    """A field the runtime's record calls ``attribute``; JSON still names it in camelCase."""
    return Field(validation_alias=AliasChoices(to_camel(field), field, attribute))


class Deployment(Resource):
    process_id: str
    name: str | None
    version: int
    resource_name: str
    deployed_at: dt.datetime
    created: bool  # False when unchanged content was deployed again


class FormDeployment(Resource):
    form_id: str
    version: int
    resource_name: str
    deployed_at: dt.datetime
    created: bool


class DeploymentResult(Resource):
    processes: list[Deployment]
    forms: list[FormDeployment]


class DefinitionVersion(Resource):
    version: int
    name: str | None
    resource_name: str
    deployed_at: dt.datetime
    instance_counts: dict[str, int]  # by state: active, completed, terminated


class ProcessDefinitionSummary(Resource):
    process_id: str
    name: str | None
    latest_version: int
    versions: list[DefinitionVersion]  # newest first
    instance_counts: dict[str, int]  # over every version


class TaskForm(Resource):
    task_id: int
    form_key: str
    form_id: str | None
    version: int | None  # of a deployed form; None for a form embedded in the process
    schema_: dict[str, Any] = Field(alias="schema")


class Event(Resource):
    seq: int
    time: dt.datetime
    event: str
    process_instance_id: str
    element_id: str | None
    actor: str
    data: dict[str, Any]


class Readiness(Resource):
    ready: bool
    database: str
    schema_version: str | None
    expected_schema_version: str


class WaitingToken(Resource):
    element_id: str
    element_instance_key: int
    kind: str
    since: dt.datetime


class Incident(Resource):
    id: int
    process_instance_id: str = _from("instance_id", "process_instance_id")
    element_id: str | None
    kind: str
    message: str
    state: str
    job_id: int | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None


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


class InstancePage(Resource):
    items: list[Instance]
    next_cursor: str | None


class UserTask(Resource):
    id: int
    element_id: str
    name: str | None
    process_instance_id: str = _from("instance_id", "process_instance_id")
    process_id: str
    state: str
    assignee: str | None
    candidate_groups: list[str]
    candidate_users: list[str]
    form_key: str | None
    due_date: dt.datetime | None = _from("due_at", "due_date")
    follow_up_date: dt.datetime | None = _from("follow_up_at", "follow_up_date")
    created_at: dt.datetime
    completed_at: dt.datetime | None
    completed_by: str | None
    variables: dict[str, Any]


class Job(Resource):
    id: int
    type: str
    process_instance_id: str = _from("instance_id", "process_instance_id")
    process_id: str
    process_version: int
    element_id: str
    retries: int
    attempt: int
    worker: str
    deadline: dt.datetime
    variables: dict[str, Any]
    custom_headers: dict[str, str] = _from("headers", "custom_headers")


class HistoryEntry(Resource):
    seq: int
    time: dt.datetime = _from("at", "time")
    event: str
    element_id: str | None
    element_instance_key: int | None
    actor: str
    data: dict[str, Any]


class PublishResult(Resource):
    correlated: list[str]
    started: list[str]
    buffered: bool
    duplicate: bool
