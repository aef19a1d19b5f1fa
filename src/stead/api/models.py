"""The HTTP API's own bodies: requests (camelCase, unknown fields refused) and the resources
only the API shows (activated jobs, lock deadlines, accounts); the command layer's resources
are re-exported under their names here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from stead.commands.resources import (
    DefinitionVersion,
    DeploymentResult,
    Event,
    FormDeployment,
    Job,
    ProcessDefinitionSummary,
    Readiness,
    Resource,
    TaskForm,
)

__all__ = [
    "ActivateJobsRequest",
    "ActivatedJobs",
    "AssignTaskRequest",
    "CompleteRequest",
    "CreateTokenRequest",
    "CreateUserRequest",
    "CreatedToken",
    "DefinitionVersion",
    "DeploymentResult",
    "Event",
    "ExtendLockRequest",
    "FailJobRequest",
    "FormDeployment",
    "LockDeadline",
    "LoginRequest",
    "ProcessDefinitionSummary",
    "PublishMessageRequest",
    "Readiness",
    "ResolveIncidentRequest",
    "SessionInfo",
    "SetVariablesRequest",
    "StartInstanceRequest",
    "TaskForm",
    "ThrowErrorRequest",
    "Token",
    "User",
    "WhoAmI",
]

Variables = dict[str, Any]
_NAME = Field(min_length=1, max_length=255)


class RequestBody(BaseModel):
    """Base of every request body: camelCase, and a misspelt field is an error, not ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# -- requests ----------------------------------------------------------------------------------


class StartInstanceRequest(RequestBody):
    process_id: str = _NAME
    variables: Variables = Field(default_factory=dict)
    business_key: str | None = Field(default=None, max_length=255)
    idempotency_key: str | None = Field(default=None, max_length=255)
    version: int | None = Field(default=None, ge=1, le=2_147_483_647)


class SetVariablesRequest(RequestBody):
    variables: Variables


class CompleteRequest(RequestBody):
    variables: Variables = Field(default_factory=dict)


class PublishMessageRequest(RequestBody):
    name: str = _NAME
    correlation_key: str | None = Field(default=None, max_length=255)
    variables: Variables = Field(default_factory=dict)
    message_id: str | None = Field(default=None, max_length=255)
    time_to_live_ms: int = Field(default=0, ge=0, le=10 * 365 * 86_400_000)


class AssignTaskRequest(RequestBody):
    assignee: str | None = Field(default=None, max_length=255)


class ActivateJobsRequest(RequestBody):
    type: str = _NAME
    worker: str = _NAME
    max_jobs: int = Field(default=10, ge=1, le=1000)
    lock_duration_ms: int = Field(default=300_000, ge=1, le=7 * 86_400_000)
    request_timeout_ms: int = Field(
        default=0, ge=0, le=60_000, description="wait this long for jobs when none are due"
    )
    fetch_variables: list[str] | None = Field(
        default=None, description="only these variables (default: all)"
    )


class FailJobRequest(RequestBody):
    error_message: str = Field(default="", max_length=10_000)
    retries: int | None = Field(default=None, ge=0, le=1_000_000)
    retry_backoff_ms: int | None = Field(default=None, ge=0, le=365 * 86_400_000)


class ThrowErrorRequest(RequestBody):
    error_code: str = _NAME
    error_message: str = Field(default="", max_length=10_000)
    variables: Variables = Field(default_factory=dict)


class ExtendLockRequest(RequestBody):
    lock_duration_ms: int = Field(ge=1, le=7 * 86_400_000)


class ResolveIncidentRequest(RequestBody):
    retries: int | None = Field(default=None, ge=1, le=1_000_000)


class LoginRequest(RequestBody):
    username: str = _NAME
    password: str = Field(min_length=1, max_length=1024)


class CreateUserRequest(RequestBody):
    name: str = _NAME
    roles: list[str] = Field(min_length=1)
    groups: list[Annotated[str, Field(min_length=1, max_length=255)]] = Field(default_factory=list)
    password: str | None = Field(default=None, min_length=8, max_length=1024)


class CreateTokenRequest(RequestBody):
    label: str = Field(default="", max_length=255)


# -- resources ---------------------------------------------------------------------------------


class ActivatedJobs(Resource):
    jobs: list[Job]


class LockDeadline(Resource):
    deadline: dt.datetime


class User(Resource):
    name: str
    roles: list[str]
    groups: list[str]
    has_password: bool
    created_at: dt.datetime


class Token(Resource):
    id: int
    user: str
    label: str
    created_at: dt.datetime


class CreatedToken(Token):
    token: str  # shown only in this response


class WhoAmI(Resource):
    name: str
    roles: list[str]
    groups: list[str]
    permissions: list[str]


class SessionInfo(WhoAmI):
    csrf_token: str
