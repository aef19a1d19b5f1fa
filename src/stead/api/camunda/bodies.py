"""The request bodies of Camunda 7's external-task protocol, with the limits it documents.

Fields Camunda clients send that do not change what Stead does (``sorting``,
``deserializeValues``, ``includeExtensionProperties``) are accepted and ignored; filters
Stead cannot apply are refused when they are set (see ``routes``), never silently dropped.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "BpmnErrorBody",
    "CompleteBody",
    "ExtendLockBody",
    "FailureBody",
    "FetchAndLockBody",
    "LockBody",
    "Topic",
]

MAX_ASYNC_RESPONSE_TIMEOUT_MS = 1_800_000  # Camunda's own ceiling: 30 minutes
MAX_TASKS = 1_000
MAX_LOCK_MS = 10 * 366 * 24 * 3600 * 1000  # ten years, in milliseconds: far beyond any real lock


class Body(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Topic(Body):
    topic_name: str = Field(min_length=1, max_length=255)
    lock_duration: int = Field(gt=0, le=MAX_LOCK_MS, description="Milliseconds.")
    variables: list[str] | None = Field(
        default=None, description="Names of the variables to fetch; absent or null: all."
    )
    local_variables: bool = False
    # Filters Camunda offers; Stead refuses a request that sets one (see ``unsupported``).
    business_key: str | None = None
    process_definition_id: str | None = None
    process_definition_id_in: list[str] | None = None
    process_definition_key: str | None = None
    process_definition_key_in: list[str] | None = None
    process_definition_version_tag: str | None = None
    process_variables: dict[str, Any] | None = None
    tenant_id_in: list[str] | None = None
    without_tenant_id: bool | None = None

    def unsupported(self) -> list[str]:
        """The names of the filters this topic sets, which Stead cannot apply."""
        filters = {
            "businessKey": self.business_key,
            "processDefinitionId": self.process_definition_id,
            "processDefinitionIdIn": self.process_definition_id_in,
            "processDefinitionKey": self.process_definition_key,
            "processDefinitionKeyIn": self.process_definition_key_in,
            "processDefinitionVersionTag": self.process_definition_version_tag,
            "processVariables": self.process_variables,
            "tenantIdIn": self.tenant_id_in,
            "withoutTenantId": self.without_tenant_id,
        }
        return [name for name, value in filters.items() if value]


class FetchAndLockBody(Body):
    worker_id: str = Field(min_length=1, max_length=255)
    max_tasks: int = Field(ge=0, le=MAX_TASKS)
    use_priority: bool | None = False
    async_response_timeout: int | None = Field(
        default=None, ge=0, le=MAX_ASYNC_RESPONSE_TIMEOUT_MS, description="Milliseconds."
    )
    topics: list[Topic] = Field(default_factory=list, max_length=100)


class CompleteBody(Body):
    worker_id: str = Field(min_length=1, max_length=255)
    variables: dict[str, Any] | None = None
    local_variables: dict[str, Any] | None = None


class FailureBody(Body):
    worker_id: str = Field(min_length=1, max_length=255)
    error_message: str | None = Field(default=None, max_length=100_000)
    error_details: str | None = Field(default=None, max_length=1_000_000)
    retries: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="Retries left; 0 raises an incident."
    )
    retry_timeout: int | None = Field(
        default=None, ge=0, le=MAX_LOCK_MS, description="Milliseconds until the next try."
    )
    variables: dict[str, Any] | None = None
    local_variables: dict[str, Any] | None = None


class BpmnErrorBody(Body):
    worker_id: str = Field(min_length=1, max_length=255)
    error_code: str = Field(min_length=1, max_length=255)
    error_message: str | None = Field(default=None, max_length=100_000)
    variables: dict[str, Any] | None = None


class ExtendLockBody(Body):
    worker_id: str = Field(min_length=1, max_length=255)
    new_duration: int = Field(gt=0, le=MAX_LOCK_MS, description="Milliseconds from now.")


class LockBody(Body):
    worker_id: str = Field(min_length=1, max_length=255)
    lock_duration: int = Field(gt=0, le=MAX_LOCK_MS, description="Milliseconds from now.")
