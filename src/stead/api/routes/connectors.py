"""The connectors this server runs: their contracts and the element templates the modeler
applies to service tasks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import Caller, CommandsDep

__all__ = ["router"]

router = APIRouter(prefix="/api/connectors", tags=["connectors"], responses=PROBLEM_RESPONSES)


@router.get("", summary="The connectors' contracts: inputs and outputs as JSON Schema")
def list_connectors(_caller: Caller, commands: CommandsDep) -> list[dict[str, Any]]:
    return commands.connectors()


@router.get("/templates", summary="Element templates for the modeler, one per connector version")
def list_templates(_caller: Caller, commands: CommandsDep) -> list[dict[str, Any]]:
    return commands.connector_templates()
