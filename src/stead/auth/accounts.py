"""Accounts on one Stead database: create users and API tokens, and tell who a caller is from
a token, a password or a web session. Successful checks are remembered for a few seconds so
that a busy worker does not cost a database read (or an argon2 hash) per request."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from stead.auth import credentials
from stead.auth.permissions import ROLES, Principal
from stead.runtime.errors import ConflictError, InvalidRequestError, NotFoundError
from stead.store import DEFAULT_TENANT, Database
from stead.store import auth as rows

__all__ = ["Accounts", "NewToken", "TokenInfo", "UserAccount"]

ADMIN_NAME = "admin"
_CACHE_SECONDS = 5.0


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class UserAccount:
    name: str
    roles: list[str]
    groups: list[str]
    has_password: bool
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    user: str
    label: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewToken:
    info: TokenInfo
    token: str  # shown once; only its digest is stored


@dataclass(frozen=True, slots=True)
class WebSession:
    principal: Principal
    csrf_token: str


def _token_key(token: str) -> str:
    return "t:" + credentials.digest(token)


def _password_key(name: str, password: str) -> str:
    return "p:" + credentials.digest(f"{name}\0{password}")


class _RecentChecks:
    """Principals recently proven by a credential digest, for a few seconds."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Principal | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            return entry[1]

    def put(self, key: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + _CACHE_SECONDS, principal)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Accounts:
    """Users, groups, API tokens and web sessions. Thread-safe."""

    def __init__(
        self,
        database: Database,
        *,
        tenant: str = DEFAULT_TENANT,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.database = database
        self.tenant = tenant
        self.clock = clock
        self._recent = _RecentChecks()

    # -- users ---------------------------------------------------------------------------

    def create_user(
        self,
        name: str,
        *,
        roles: list[str],
        groups: list[str] | None = None,
        password: str | None = None,
    ) -> UserAccount:
        name = name.strip()
        if not name or ":" in name or len(name) > 255:
            raise InvalidRequestError("name: 1 to 255 characters, without ':'")
        unknown = sorted(set(roles) - set(ROLES))
        if unknown or not roles:
            raise InvalidRequestError(
                f"roles: {', '.join(unknown) or 'none given'}; choose from {', '.join(ROLES)}"
            )
        if password is not None and len(password) < 8:
            raise InvalidRequestError("password: at least 8 characters")
        password_hash = credentials.hash_password(password) if password else None
        try:
            with self.database.transaction() as conn:
                if rows.user_by_name(conn, self.tenant, name) is not None:
                    raise ConflictError(f"a user named {name!r} exists")
                key = rows.insert_user(
                    conn,
                    tenant=self.tenant,
                    name=name,
                    password_hash=password_hash,
                    roles=sorted(set(roles)),
                    now=self.clock(),
                )
                for group in groups or []:
                    rows.add_to_group(conn, self.tenant, key, group.strip())
        except sa.exc.IntegrityError as error:
            raise ConflictError(f"a user named {name!r} exists") from error
        return self.user(name)

    def user(self, name: str) -> UserAccount:
        with self.database.read() as conn:
            row = rows.user_by_name(conn, self.tenant, name)
            if row is None:
                raise NotFoundError(f"no user {name}")
            return self._account(conn, row)

    def users(self) -> list[UserAccount]:
        with self.database.read() as conn:
            return [self._account(conn, row) for row in rows.list_users(conn, self.tenant)]

    def _account(self, conn: sa.Connection, row: Any) -> UserAccount:
        return UserAccount(
            row.name,
            list(row.roles),
            rows.groups_of(conn, row.key),
            row.password_hash is not None,
            row.created_at,
        )

    def ensure_admin(self, password: str | None) -> str | None:
        """On a database without users, create ``admin`` with ``password`` (or a generated
        one, returned so that it can be shown once). None when users already exist."""
        with self.database.read() as conn:
            if rows.count_users(conn, self.tenant) > 0:
                return None
        chosen = password or credentials.new_secret()[:24]
        try:
            self.create_user(ADMIN_NAME, roles=["admin"], password=chosen)
        except ConflictError:
            return None  # another Stead process on this database created it first
        return None if password else chosen

    # -- API tokens ----------------------------------------------------------------------

    def create_token(self, user_name: str, label: str = "") -> NewToken:
        token = credentials.new_token()
        now = self.clock()
        with self.database.transaction() as conn:
            user = rows.user_by_name(conn, self.tenant, user_name)
            if user is None:
                raise NotFoundError(f"no user {user_name}")
            key = rows.insert_token(
                conn,
                tenant=self.tenant,
                user_key=user.key,
                label=label or "token",
                token_hash=credentials.digest(token),
                now=now,
            )
        return NewToken(TokenInfo(key, user_name, label or "token", now), token)

    def tokens(self, user_name: str | None = None) -> list[TokenInfo]:
        with self.database.read() as conn:
            user_key = None
            if user_name is not None:
                user = rows.user_by_name(conn, self.tenant, user_name)
                if user is None:
                    raise NotFoundError(f"no user {user_name}")
                user_key = user.key
            found = rows.list_tokens(conn, self.tenant, user_key)
        return [TokenInfo(t.key, t.user_name, t.label, t.created_at) for t in found]

    def revoke_token(self, token_id: int) -> None:
        with self.database.transaction() as conn:
            if not rows.delete_token(conn, self.tenant, token_id):
                raise NotFoundError(f"no API token {token_id}")
        self._recent.clear()

    # -- proving who a caller is ---------------------------------------------------------

    def _principal(self, conn: sa.Connection, user: Any, via: str) -> Principal:
        groups = tuple(rows.groups_of(conn, user.key))
        return Principal.of(user.name, tuple(user.roles), groups, via)

    def recent_token(self, token: str) -> Principal | None:
        """Who ``token`` proved to be in the last few seconds, without asking the database
        (None when it has not been checked lately: call :meth:`by_token`)."""
        return self._recent.get(_token_key(token))

    def recent_password(self, name: str, password: str) -> Principal | None:
        """Like :meth:`recent_token`, for a username and password."""
        return self._recent.get(_password_key(name, password))

    def by_token(self, token: str) -> Principal | None:
        key = _token_key(token)
        known = self._recent.get(key)
        if known is not None:
            return known
        with self.database.read() as conn:
            row = rows.token_by_hash(conn, key[2:])
            user = rows.user_by_key(conn, row.user_key) if row is not None else None
            if user is None or user.tenant_id != self.tenant:
                return None
            principal = self._principal(conn, user, "token")
        self._recent.put(key, principal)
        return principal

    def by_password(self, name: str, password: str) -> Principal | None:
        key = _password_key(name, password)
        known = self._recent.get(key)
        if known is not None:
            return known
        with self.database.read() as conn:
            user = rows.user_by_name(conn, self.tenant, name)
            if user is None or user.password_hash is None:
                return None
            if not credentials.verify_password(user.password_hash, password):
                return None
            principal = self._principal(conn, user, "password")
        self._recent.put(key, principal)
        return principal

    # -- web sessions --------------------------------------------------------------------

    def open_session(self, principal: Principal, lifetime: dt.timedelta) -> tuple[str, str]:
        """A new session for a signed-in user: (session id for the cookie, CSRF token)."""
        session_id, csrf = credentials.new_secret(), credentials.new_secret()
        now = self.clock()
        with self.database.transaction() as conn:
            user = rows.user_by_name(conn, self.tenant, principal.name)
            if user is None:
                raise NotFoundError(f"no user {principal.name}")
            rows.delete_expired_sessions(conn, now)
            rows.insert_session(
                conn,
                tenant=self.tenant,
                user_key=user.key,
                session_hash=credentials.digest(session_id),
                csrf_token=csrf,
                now=now,
                expires_at=now + lifetime,
            )
        return session_id, csrf

    def by_session(self, session_id: str) -> WebSession | None:
        with self.database.read() as conn:
            row = rows.session_by_hash(conn, credentials.digest(session_id), self.clock())
            user = rows.user_by_key(conn, row.user_key) if row is not None else None
            if row is None or user is None:
                return None
            return WebSession(self._principal(conn, user, "session"), row.csrf_token)

    def close_session(self, session_id: str) -> None:
        with self.database.transaction() as conn:
            rows.delete_session(conn, credentials.digest(session_id))
