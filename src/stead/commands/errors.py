"""How operations fail, for every surface: the runtime's error family, plus the failures
that start outside it (an invalid model, an unreachable database; for the CLI talking to a
server: refused credentials, an unreachable or failing server), each with its HTTP status.

    SteadError                      one line a user can act on
     ├── NotFoundError              an id that does not exist                       404
     ├── ConflictError              not in a state that allows the operation       409
     ├── InvalidRequestError        bad input: which field and why                 422
     │    └── ModelInvalidError     a BPMN model that cannot be deployed           422
     ├── AccessDeniedError          the server refused who is asking or what        403
     ├── ServerFailedError          the server failed (or is not a Stead server)   502
     └── StoreUnavailableError      the database cannot be reached                  503
          └── ServerUnreachableError  the server cannot be reached                  503
"""

from __future__ import annotations

from stead.model import ModelError, Problem
from stead.runtime.errors import ConflictError, InvalidRequestError, NotFoundError, SteadError

__all__ = [
    "AccessDeniedError",
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


class ModelInvalidError(InvalidRequestError):
    """A model failed validation: every problem, each naming its element (None: the document)
    and, where known, its line in the file."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error) or f"{error.source}: invalid model")
        self.source = error.source
        self.problems: list[Problem] = list(error.problems)


class StoreUnavailableError(SteadError):
    """The database refused or dropped the connection; nothing was changed."""


class AccessDeniedError(SteadError):
    """The server did not accept the credentials, or the user lacks the permission."""


class ServerFailedError(SteadError):
    """The server answered with an error of its own, or with something that is not Stead's."""


class ServerUnreachableError(StoreUnavailableError):
    """No answer from the server at its URL; nothing was changed there."""


def http_status(error: SteadError) -> int:
    """The HTTP status an error maps to."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, InvalidRequestError):
        return 422
    if isinstance(error, AccessDeniedError):
        return 403
    if isinstance(error, ServerFailedError):
        return 502
    if isinstance(error, StoreUnavailableError):
        return 503
    return 400
