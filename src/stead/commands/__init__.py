"""The command layer: every operation a user can perform on Stead, shared by the CLI, the HTTP
API and the web app, with input parsing and the resource shapes they show."""

from stead.commands.errors import (
    AccessDeniedError,
    ConflictError,
    InvalidRequestError,
    ModelInvalidError,
    NotFoundError,
    ServerFailedError,
    ServerUnreachableError,
    SteadError,
    StoreUnavailableError,
    http_status,
)
from stead.commands.operations import Commands

__all__ = [
    "AccessDeniedError",
    "Commands",
    "ConflictError",
    "InvalidRequestError",
    "ModelInvalidError",
    "NotFoundError",
    "ServerFailedError",
    "ServerUnreachableError",
    "SteadError",
    "StoreUnavailableError",
    "http_status",
]
