"""Managing the secret store, for the HTTP API and the CLI: set (create or replace), list and
delete secrets. A value goes in and never comes out: every result is metadata only."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from stead.commands.errors import StoreUnavailableError
from stead.commands.operations import Commands, _reported
from stead.commands.resources import Resource
from stead.secrets import SecretInfo, SecretKeyError, SecretStore

__all__ = ["Secret", "SecretCommands", "SecretWrite"]

P = ParamSpec("P")
T = TypeVar("T")


class Secret(Resource):
    """A secret as anyone may see it: its name and who changed it when, never the value."""

    name: str
    key_id: str  # the encryption key's id, to follow a key rotation
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str


class SecretWrite(Resource):
    secret: Secret
    created: bool  # False when an existing secret's value was replaced


def _keys_reported(operation: Callable[P, T]) -> Callable[P, T]:
    """A missing or broken key is the server's configuration, not the caller's request."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return operation(*args, **kwargs)
        except SecretKeyError as error:
            raise StoreUnavailableError(f"the secret store is unavailable: {error}") from error

    return _reported(run)


class SecretCommands:
    """The secret store of the runtime's tenant, as an administrator sees it."""

    def __init__(self, commands: Commands) -> None:
        runtime = commands.runtime
        self.store = SecretStore(runtime.database, runtime.tenant, clock=runtime.clock)

    @_keys_reported
    def set_secret(self, name: str, value: str, *, actor: str) -> SecretWrite:
        info, created = self.store.put(name, value, actor=actor)
        return SecretWrite(secret=_secret(info), created=created)

    @_keys_reported
    def secrets(self) -> list[Secret]:
        return [_secret(info) for info in self.store.entries()]

    @_keys_reported
    def delete_secret(self, name: str) -> None:
        self.store.delete(name)

    @_keys_reported
    def reencrypt_secrets(self) -> list[Secret]:
        """Encrypt every value under the current key (the first in STEAD_SECRET_KEY)."""
        return [_secret(info) for info in self.store.reencrypt()]


def _secret(info: SecretInfo) -> Secret:
    return Secret.of(info)
