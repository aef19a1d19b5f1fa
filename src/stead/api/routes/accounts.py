"""Signing in to the web app (a session cookie plus a CSRF token), who the caller is, and, for
admins, users and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from stead.api.models import (
    CreatedToken,
    CreateTokenRequest,
    CreateUserRequest,
    LoginRequest,
    SessionInfo,
    Token,
    User,
    WhoAmI,
)
from stead.api.problems import PROBLEM_RESPONSES, ProblemError
from stead.api.routes.common import AccountsDep, Admin, Caller, SettingsDep
from stead.api.security import CSRF_COOKIE, SESSION_COOKIE
from stead.auth import Principal, TokenInfo, UserAccount

__all__ = ["router"]

router = APIRouter(prefix="/api", responses=PROBLEM_RESPONSES)
UserName = Annotated[str, Path(min_length=1, max_length=255)]


def _who(principal: Principal) -> WhoAmI:
    return WhoAmI(
        name=principal.name,
        roles=list(principal.roles),
        groups=list(principal.groups),
        permissions=sorted(principal.permissions),
    )


def _user(account: UserAccount) -> User:
    return User(
        name=account.name,
        roles=account.roles,
        groups=account.groups,
        has_password=account.has_password,
        created_at=account.created_at,
    )


def _token(info: TokenInfo) -> Token:
    return Token(id=info.id, user=info.user, label=info.label, created_at=info.created_at)


@router.post(
    "/session",
    tags=["session"],
    summary="Sign in with username and password: sets the session cookie",
    response_model=SessionInfo,
)
async def sign_in(accounts: AccountsDep, settings: SettingsDep, body: LoginRequest) -> JSONResponse:
    principal = await run_in_threadpool(accounts.by_password, body.username, body.password)
    if principal is None:
        raise ProblemError(401, "wrong username or password")
    session_id, csrf = await run_in_threadpool(
        accounts.open_session, principal, settings.session_lifetime
    )
    who = _who(principal)
    info = SessionInfo(**who.model_dump(), csrf_token=csrf)
    response = JSONResponse(info.to_json())
    max_age = int(settings.session_lifetime.total_seconds())
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/",
    )
    # Readable by the web app, which repeats it in the X-CSRF-Token header.
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        max_age=max_age,
        httponly=False,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


@router.delete("/session", tags=["session"], summary="Sign out", status_code=204)
def sign_out(request: Request, _caller: Caller, accounts: AccountsDep) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        accounts.close_session(session_id)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me", tags=["session"], summary="Who the caller is", response_model=WhoAmI)
def who_am_i(caller: Caller) -> WhoAmI:
    return _who(caller)


@router.get("/users", tags=["users"], summary="Every user", response_model=list[User])
def list_users(_caller: Admin, accounts: AccountsDep) -> list[User]:
    return [_user(a) for a in accounts.users()]


@router.post("/users", tags=["users"], summary="Create a user", status_code=201)
def create_user(_caller: Admin, accounts: AccountsDep, body: CreateUserRequest) -> User:
    account = accounts.create_user(
        body.name, roles=body.roles, groups=body.groups, password=body.password
    )
    return _user(account)


@router.get("/users/{name}", tags=["users"], summary="One user", response_model=User)
def get_user(_caller: Admin, accounts: AccountsDep, name: UserName) -> User:
    return _user(accounts.user(name))


@router.post(
    "/users/{name}/tokens",
    tags=["users"],
    summary="Create an API token for the user; the token is shown only in this response",
    status_code=201,
)
def create_token(
    _caller: Admin, accounts: AccountsDep, name: UserName, body: CreateTokenRequest
) -> CreatedToken:
    created = accounts.create_token(name, body.label)
    return CreatedToken(**_token(created.info).model_dump(), token=created.token)


@router.get("/tokens", tags=["users"], summary="Every API token (never the secret)")
def list_tokens(_caller: Admin, accounts: AccountsDep) -> list[Token]:
    return [_token(t) for t in accounts.tokens()]


@router.delete("/tokens/{token_id}", tags=["users"], summary="Revoke a token", status_code=204)
def revoke_token(
    _caller: Admin, accounts: AccountsDep, token_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Response:
    accounts.revoke_token(token_id)
    return Response(status_code=204)
