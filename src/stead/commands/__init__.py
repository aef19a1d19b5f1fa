"""The command layer: every operation a user can perform on Stead, shared by the CLI and the
HTTP API, with input parsing and the resource shapes they show."""

from stead.commands.errors import (
    ConflictError,
    InvalidRequestError,
    ModelInvalidError,
    NotFoundError,
    SteadError,
    StoreUnavailableError,
    http_status,
)
from stead.commands.operations import Commands

__all__ = [
    "Commands",
    "ConflictError",
    "InvalidRequestError",
    "ModelInvalidError",
    "NotFoundError",
    "SteadError",
    "StoreUnavailableError",
    "http_status",
]
