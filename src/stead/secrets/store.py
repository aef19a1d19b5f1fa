"""The secret store of one tenant: set, list, delete and read secrets, encrypted at rest.

The connector runner resolves ``{{secrets.NAME}}`` with it::

    store = SecretStore(runtime.database, runtime.tenant)
    resolver = SecretResolver(store)  # stead.connectors.secrets: the store, then the environment

``get(name)`` returns the value or None when there is no such secret; it raises
:class:`~stead.secrets.keys.SecretKeyError` when the value cannot be decrypted (no key, a wrong
key), which is a ``PermanentError`` to a connector: an incident naming the secret, until an
operator fixes the key. Listing never decrypts and never returns a value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from stead.connectors.secrets import is_secret_name
from stead.runtime.errors import InvalidRequestError, NotFoundError
from stead.secrets.keys import KeyRing, Sealed, load_key_ring
from stead.store import DEFAULT_TENANT, Database
from stead.store import secrets as rows

__all__ = ["MAX_NAME_LENGTH", "MAX_VALUE_BYTES", "SecretInfo", "SecretStore", "check_name"]

MAX_NAME_LENGTH = 255
MAX_VALUE_BYTES = 64 * 1024


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class SecretInfo:
    """What anyone may know about a secret: everything but its value."""

    name: str
    key_id: str
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str

    @staticmethod
    def of(row: sa.Row[Any]) -> SecretInfo:
        return SecretInfo(
            row.name, row.key_id, row.created_at, row.created_by, row.updated_at, row.updated_by
        )


def check_name(name: str) -> str:
    if len(name) > MAX_NAME_LENGTH or not is_secret_name(name):
        raise InvalidRequestError(
            f"invalid secret name {name[:80]!r}: use a letter or '_' followed by letters, "
            f"digits and '_' (at most {MAX_NAME_LENGTH} characters)"
        )
    return name


def _check_value(name: str, value: str) -> str:
    if not value:
        raise InvalidRequestError(f"secret {name!r}: the value is empty")
    try:
        encoded = value.encode()
    except UnicodeEncodeError:
        raise InvalidRequestError(
            f"secret {name!r}: the value is not valid Unicode (it holds a lone surrogate)"
        ) from None
    if len(encoded) > MAX_VALUE_BYTES:
        raise InvalidRequestError(
            f"secret {name!r}: the value is longer than {MAX_VALUE_BYTES} bytes"
        )
    return value


class SecretStore:
    """Secrets of one tenant on one database. Thread-safe: every call is its own transaction;
    the keys are read at each call, so a changed key file or environment is seen at once."""

    def __init__(
        self,
        database: Database,
        tenant: str = DEFAULT_TENANT,
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.database = database
        self.tenant = tenant
        self.clock = clock
        self.environ = environ

    def _keys(self, *, create: bool) -> KeyRing:
        return load_key_ring(self.database.engine.url, self.environ, create=create)

    def get(self, name: str) -> str | None:
        """The secret's value, or None when there is no such secret."""
        check_name(name)
        with self.database.read() as conn:
            row = rows.get(conn, self.tenant, name)
        if row is None:
            return None
        sealed = Sealed(row.key_id, bytes(row.nonce), bytes(row.ciphertext))
        return self._keys(create=False).open(self.tenant, name, sealed)

    def put(self, name: str, value: str, *, actor: str) -> tuple[SecretInfo, bool]:
        """Create the secret or replace its value; True when it is new."""
        check_name(name)
        _check_value(name, value)
        sealed = self._keys(create=True).seal(self.tenant, name, value)
        for attempt in (1, 2):
            try:
                with self.database.transaction() as conn:
                    row, created = rows.upsert(
                        conn,
                        tenant=self.tenant,
                        name=name,
                        key_id=sealed.key_id,
                        nonce=sealed.nonce,
                        ciphertext=sealed.ciphertext,
                        actor=actor,
                        now=self.clock(),
                    )
                return SecretInfo.of(row), created
            except sa.exc.IntegrityError:
                # Two first writes of one name at once on PostgreSQL: the loser becomes an
                # update of the winner's row.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def entries(self) -> list[SecretInfo]:
        """Every secret's name and metadata, by name."""
        with self.database.read() as conn:
            return [SecretInfo.of(row) for row in rows.list_all(conn, self.tenant)]

    def delete(self, name: str) -> None:
        check_name(name)
        with self.database.transaction() as conn:
            if not rows.delete(conn, self.tenant, name):
                raise NotFoundError(f"no secret named {name!r}")

    def reencrypt(self) -> list[SecretInfo]:
        """Encrypt every value held under an older key with the current one (after a new key
        was put first in ``STEAD_SECRET_KEY``); return the secrets that changed."""
        keys = self._keys(create=True)
        changed: list[SecretInfo] = []
        with self.database.transaction() as conn:
            for row in rows.list_with_values(conn, self.tenant):
                if row.key_id == keys.current.id:
                    continue
                sealed = Sealed(row.key_id, bytes(row.nonce), bytes(row.ciphertext))
                value = keys.open(self.tenant, row.name, sealed)
                fresh = keys.seal(self.tenant, row.name, value)
                rows.replace_value(
                    conn,
                    row.key,
                    key_id=fresh.key_id,
                    nonce=fresh.nonce,
                    ciphertext=fresh.ciphertext,
                )
                changed.append(dataclasses.replace(SecretInfo.of(row), key_id=fresh.key_id))
        return changed
