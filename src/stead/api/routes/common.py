"""Shorthands the routers share: the command layer, accounts, settings and the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from stead.api.deps import get_accounts, get_commands, get_settings
from stead.api.security import authenticate, requires
from stead.api.settings import ApiSettings
from stead.auth import Accounts, Principal
from stead.commands import Commands

__all__ = [
    "AccountsDep",
    "Admin",
    "Caller",
    "CommandsDep",
    "Deployer",
    "IncidentResolver",
    "InstanceWriter",
    "JobWorker",
    "Reader",
    "SettingsDep",
    "TaskWorker",
]

CommandsDep = Annotated[Commands, Depends(get_commands)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]

# The caller, authenticated and (but for Caller) holding the named permission.
Caller = Annotated[Principal, Depends(authenticate)]
Admin = Annotated[Principal, Depends(requires("admin"))]
Deployer = Annotated[Principal, Depends(requires("deploy"))]
Reader = Annotated[Principal, Depends(requires("instances:read"))]
InstanceWriter = Annotated[Principal, Depends(requires("instances:write"))]
IncidentResolver = Annotated[Principal, Depends(requires("incidents"))]
TaskWorker = Annotated[Principal, Depends(requires("tasks"))]
JobWorker = Annotated[Principal, Depends(requires("jobs"))]
