"""FastAPI dependencies that hand routes the objects the application was created with.

They are coroutines although they do no I/O: FastAPI runs a plain function dependency on a
worker thread, and that hand-off costs more than the lookup itself on every request."""

from __future__ import annotations

from typing import cast

from fastapi import Request

from stead.api.settings import ApiSettings
from stead.auth import Accounts
from stead.commands import Commands

__all__ = ["accounts_of", "get_accounts", "get_commands", "get_settings"]


def accounts_of(request: Request) -> Accounts:
    """The application's accounts, for code that is not a dependency."""
    return cast(Accounts, request.app.state.accounts)


async def get_commands(request: Request) -> Commands:
    return cast(Commands, request.app.state.commands)


async def get_accounts(request: Request) -> Accounts:
    return accounts_of(request)


async def get_settings(request: Request) -> ApiSettings:
    return cast(ApiSettings, request.app.state.settings)
