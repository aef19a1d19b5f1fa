"""Who is calling and whether they may: API tokens (bearer, or as the password of HTTP basic),
username and password (HTTP basic), and the web app's session cookie, whose unsafe requests
must repeat the session's CSRF token in a header (double submit).

Credentials proven in the last few seconds are recognised on the event loop; anything that
needs the database or a password hash is checked on a worker thread."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from stead.api.deps import accounts_of
from stead.api.problems import ProblemError
from stead.auth import Accounts, Principal
from stead.auth.credentials import TOKEN_PREFIX, same

__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "authenticate",
    "recently_proven",
    "requires",
    "requires_any",
]

SESSION_COOKIE = "stead_session"
CSRF_COOKIE = "stead_csrf"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="stead", Basic realm="stead"'}


def _unauthenticated(detail: str) -> ProblemError:
    return ProblemError(401, detail, headers=_CHALLENGE)


def _basic_credentials(encoded: str) -> tuple[str, str]:
    try:
        name, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthenticated("malformed basic credentials") from None
    return name, secret


def _basic(request: Request, encoded: str) -> Principal:
    accounts = accounts_of(request)
    name, secret = _basic_credentials(encoded)
    if secret.startswith(TOKEN_PREFIX):
        principal = accounts.by_token(secret)
        if principal is not None and principal.name == name:
            return principal
    else:
        principal = accounts.by_password(name, secret)
        if principal is not None:
            return principal
    raise _unauthenticated("wrong username, password or token")


def _session(request: Request, session_id: str) -> Principal:
    session = accounts_of(request).by_session(session_id)
    if session is None:
        raise _unauthenticated("the session has ended; sign in again")
    if request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not same(sent, session.csrf_token):
            raise ProblemError(403, f"missing or wrong {CSRF_HEADER} header for this session")
    return session.principal


async def authenticate(request: Request) -> Principal:
    """The caller, from (in this order) the Authorization header or the session cookie;
    raises the 401 problem when there are no valid credentials."""
    known = getattr(request.state, "principal", None)
    if isinstance(known, Principal):
        return known
    principal = _recently_proven(request)
    if principal is None:
        principal = await run_in_threadpool(_prove, request)
    request.state.principal = principal
    return principal


def _recently_proven(request: Request) -> Principal | None:
    """The caller when its Authorization header was proven moments ago, else None."""
    return recently_proven(accounts_of(request), request.headers.get("authorization", ""))


def recently_proven(accounts: Accounts, authorization: str) -> Principal | None:
    """Who an Authorization header value proved to be in the last few seconds, else None
    (also None for malformed credentials: the full check answers those)."""
    scheme, _, value = authorization.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        return accounts.recent_token(value)
    if scheme.lower() == "basic" and value:
        try:
            name, secret = _basic_credentials(value)
        except ProblemError:
            return None
        if secret.startswith(TOKEN_PREFIX):
            principal = accounts.recent_token(secret)
            return principal if principal is not None and principal.name == name else None
        return accounts.recent_password(name, secret)
    return None


def _prove(request: Request) -> Principal:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        found = accounts_of(request).by_token(value)
        if found is None:
            raise _unauthenticated("unknown or revoked API token")
        return found
    if scheme.lower() == "basic" and value:
        return _basic(request, value)
    if scheme:
        raise _unauthenticated(f"unsupported authorization scheme {scheme!r}")
    if session_id := request.cookies.get(SESSION_COOKIE):
        return _session(request, session_id)
    raise _unauthenticated("send an API token (Bearer), basic credentials or a session")


Authenticated = Annotated[Principal, Depends(authenticate)]


def requires(permission: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the caller, who must hold ``permission`` (else the 403 problem)."""
    return requires_any(permission)


def requires_any(*permissions: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the caller, who must hold at least one of ``permissions``."""

    async def check(principal: Authenticated) -> Principal:
        if not any(principal.may(p) for p in permissions):
            needed = " or ".join(permissions)
            raise ProblemError(403, f"{principal.name} lacks the permission {needed}")
        return principal

    return check
