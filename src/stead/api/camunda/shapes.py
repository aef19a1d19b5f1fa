"""The response shapes of the Camunda-compatible routes, for the OpenAPI document: the
routes build plain JSON for speed, in exactly these shapes (camelCase, as Camunda names them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "CamundaErrorShape",
    "EngineShape",
    "ExternalTaskShape",
    "LockedTaskShape",
    "VersionShape",
]


class Shape(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class TypedValueShape(Shape):
    value: Any = None
    type: str
    value_info: dict[str, Any] = Field(default_factory=dict)


class ExternalTaskShape(Shape):
    id: str
    topic_name: str
    worker_id: str | None
    lock_expiration_time: str | None
    create_time: str | None
    retries: int
    error_message: str | None
    error_details: str | None
    suspended: bool
    process_instance_id: str
    process_definition_id: str | None
    process_definition_key: str
    process_definition_version_tag: str | None
    activity_id: str
    activity_instance_id: str | None
    execution_id: str | None
    business_key: str | None
    priority: int
    tenant_id: str | None


class LockedTaskShape(ExternalTaskShape):
    variables: dict[str, TypedValueShape]
    extension_properties: dict[str, str]


class CamundaErrorShape(Shape):
    type: str
    message: str


class EngineShape(Shape):
    name: str


class VersionShape(Shape):
    version: str
