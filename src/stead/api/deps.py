"""FastAPI dependencies that hand routes the objects the application was created with."""

from __future__ import annotations

from typing import cast

from fastapi import Request

from stead.api.settings import ApiSettings
from stead.auth import Accounts
from stead.commands import Commands

__all__ = ["get_accounts", "get_commands", "get_settings"]


def get_commands(request: Request) -> Commands:
    return cast(Commands, request.app.state.commands)


def get_accounts(request: Request) -> Accounts:
    return cast(Accounts, request.app.state.accounts)


def get_settings(request: Request) -> ApiSettings:
    return cast(ApiSettings, request.app.state.settings)
