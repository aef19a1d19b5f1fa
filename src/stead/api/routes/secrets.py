"""The secret store, for administrators: set a secret's value, list names and metadata, delete.
No route ever returns a value."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from pydantic import Field

from stead.api.models import RequestBody
from stead.api.problems import PROBLEM_RESPONSES
from stead.api.routes.common import CommandsDep
from stead.api.security import requires
from stead.auth import Principal
from stead.commands.secrets import Secret, SecretCommands

__all__ = ["router"]

router = APIRouter(prefix="/api/secrets", tags=["secrets"], responses=PROBLEM_RESPONSES)
SecretManager = Annotated[Principal, Depends(requires("secrets:manage"))]
# Checked by the command layer, which says what a valid name is.
SecretName = Annotated[str, Path(min_length=1, max_length=1024)]


class SetSecretRequest(RequestBody):
    value: str = Field(description="The secret's value; it cannot be read back.")


@router.get("", summary="Every secret's name and metadata (never a value)")
def list_secrets(_caller: SecretManager, commands: CommandsDep) -> list[Secret]:
    return SecretCommands(commands).secrets()


@router.put(
    "/{name}",
    summary="Create the secret (201) or replace its value (200)",
    responses={201: {"model": Secret, "description": "Created"}},
)
def set_secret(
    caller: SecretManager,
    commands: CommandsDep,
    name: SecretName,
    body: SetSecretRequest,
    response: Response,
) -> Secret:
    written = SecretCommands(commands).set_secret(name, body.value, actor=caller.name)
    response.status_code = 201 if written.created else 200
    return written.secret


@router.delete("/{name}", summary="Delete the secret", status_code=204)
def delete_secret(_caller: SecretManager, commands: CommandsDep, name: SecretName) -> Response:
    SecretCommands(commands).delete_secret(name)
    return Response(status_code=204)
