"""Incidents: list them and resolve (retry) one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stead.api.models import ResolveIncidentRequest
from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import CommandsDep, IncidentResolver, Reader
from stead.commands.resources import Incident

__all__ = ["router"]

router = APIRouter(prefix="/api/incidents", tags=["incidents"], responses=PROBLEM_RESPONSES)


@router.get("", summary="List incidents (open ones by default)", response_model=list[Incident])
def list_incidents(
    _caller: Reader,
    commands: CommandsDep,
    instance_id: Annotated[str | None, Query(alias="processInstanceId", max_length=64)] = None,
    state: Annotated[str | None, Query(pattern="^(open|resolved)$")] = "open",
) -> list[Incident]:
    return commands.incidents(instance_id=instance_id, state=state)


@router.post(
    "/{incident_id}/resolution",
    summary="Resolve the incident: retry what failed",
    response_model=Incident,
)
def resolve_incident(
    caller: IncidentResolver,
    commands: CommandsDep,
    incident_id: Annotated[int, Path(ge=1, le=2**62)],
    body: ResolveIncidentRequest | None = None,
) -> Incident:
    retries = body.retries if body is not None else None
    return commands.resolve_incident(incident_id, retries=retries, actor=caller.name)
