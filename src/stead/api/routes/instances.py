"""Process instances: start, list with filters and cursor pagination, get, history, set
variables, cancel; and publishing messages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from stead.api.models import PublishMessageRequest, SetVariablesRequest, StartInstanceRequest
from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import CommandsDep, InstanceWriter, Reader
from stead.commands import InvalidRequestError
from stead.commands.resources import HistoryEntry, Instance, InstancePage, PublishResult

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=PROBLEM_RESPONSES)
InstanceId = Annotated[str, Path(min_length=1, max_length=64)]


@router.post(
    "/process-instances",
    tags=["process instances"],
    summary="Start an instance (an idempotency key already used returns that instance)",
    response_model=Instance,
    status_code=201,
)
def start_instance(
    caller: InstanceWriter, commands: CommandsDep, body: StartInstanceRequest
) -> Instance:
    return commands.start(
        body.process_id,
        body.variables,
        business_key=body.business_key,
        idempotency_key=body.idempotency_key,
        version=body.version,
        actor=caller.name,
    )


def _variable_filter(text: str | None) -> tuple[str, Any] | None:
    """``name=value``: the value is JSON when it parses as JSON, else the text itself."""
    if text is None:
        return None
    name, equals, raw = text.partition("=")
    if not equals or not name.strip():
        raise InvalidRequestError('variable: write name=value, e.g. orderId="A-1" or total=42')
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return name.strip(), value


@router.get(
    "/process-instances",
    tags=["process instances"],
    summary="List instances, newest first; pass nextCursor back as cursor for more",
    response_model=InstancePage,
)
def list_instances(
    _caller: Reader,
    commands: CommandsDep,
    process_id: Annotated[str | None, Query(alias="processId", max_length=255)] = None,
    state: Annotated[str | None, Query(pattern="^(active|completed|terminated)$")] = None,
    business_key: Annotated[str | None, Query(alias="businessKey", max_length=255)] = None,
    started_after: Annotated[dt.datetime | None, Query(alias="startedAfter")] = None,
    started_before: Annotated[dt.datetime | None, Query(alias="startedBefore")] = None,
    ended_after: Annotated[dt.datetime | None, Query(alias="endedAfter")] = None,
    ended_before: Annotated[dt.datetime | None, Query(alias="endedBefore")] = None,
    has_incident: Annotated[bool | None, Query(alias="hasIncident")] = None,
    variable: Annotated[
        str | None, Query(max_length=1000, description="name=value (value as JSON)")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> InstancePage:
    return commands.instances(
        process_id=process_id,
        state=state,
        business_key=business_key,
        started_after=_aware(started_after),
        started_before=_aware(started_before),
        ended_after=_aware(ended_after),
        ended_before=_aware(ended_before),
        has_incident=has_incident,
        variable_equals=_variable_filter(variable),
        cursor=cursor,
        limit=limit,
    )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


@router.get(
    "/process-instances/{instance_id}",
    tags=["process instances"],
    summary="An instance: state, variables, waiting tokens, open incidents",
    response_model=Instance,
)
def get_instance(_caller: Reader, commands: CommandsDep, instance_id: InstanceId) -> Instance:
    return commands.instance(instance_id)


@router.get(
    "/process-instances/{instance_id}/history",
    tags=["process instances"],
    summary="The instance's audit trail, oldest first",
    response_model=list[HistoryEntry],
)
def get_history(
    _caller: Reader, commands: CommandsDep, instance_id: InstanceId
) -> list[HistoryEntry]:
    return commands.history(instance_id)


@router.post(
    "/process-instances/{instance_id}/variables",
    tags=["process instances"],
    summary="Set (merge) variables in the instance's root scope",
    response_model=Instance,
)
def set_variables(
    caller: InstanceWriter,
    commands: CommandsDep,
    instance_id: InstanceId,
    body: SetVariablesRequest,
) -> Instance:
    return commands.set_variables(instance_id, body.variables, actor=caller.name)


@router.post(
    "/process-instances/{instance_id}/cancellation",
    tags=["process instances"],
    summary="Cancel the instance (and the instances its call activities started)",
    response_model=Instance,
)
def cancel_instance(
    caller: InstanceWriter, commands: CommandsDep, instance_id: InstanceId
) -> Instance:
    return commands.cancel(instance_id, actor=caller.name)


@router.post(
    "/messages",
    tags=["messages"],
    summary="Publish a message: correlate it, start processes, or keep it for its TTL",
    response_model=PublishResult,
)
def publish_message(
    caller: InstanceWriter, commands: CommandsDep, body: PublishMessageRequest
) -> PublishResult:
    return commands.publish_message(
        body.name,
        correlation_key=body.correlation_key,
        variables=body.variables,
        message_id=body.message_id,
        ttl=dt.timedelta(milliseconds=body.time_to_live_ms),
        actor=caller.name,
    )
