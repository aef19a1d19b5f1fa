"""Errors the runtime's operations raise; the CLI and HTTP API map them to messages/statuses.

SteadError
├── NotFoundError      unknown instance, job, task, incident or process
├── ConflictError      the thing exists but is not in a state that allows the operation
└── InvalidRequestError the request itself is wrong (bad variables, bad version)
"""

from __future__ import annotations

__all__ = ["ConflictError", "InvalidRequestError", "NotFoundError", "SteadError"]


class SteadError(Exception):
    """Base of every error an operation reports to its caller."""


class NotFoundError(SteadError):
    pass


class ConflictError(SteadError):
    pass


class InvalidRequestError(SteadError):
    pass
