"""The roles Stead knows and what each may do: one table, read by the HTTP API's checks and by
the tests that try every route with every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

__all__ = ["PERMISSIONS", "ROLES", "ROLE_PERMISSIONS", "Principal", "permissions_of"]

PERMISSIONS: Final[dict[str, str]] = {
    "admin": "manage users and API tokens",
    "deploy": "deploy process models and forms",
    "instances:read": "read definitions, instances, history, incidents and the event stream",
    "instances:write": "start and cancel instances, set variables, publish messages",
    "incidents": "resolve incidents",
    "tasks": "see and work on user tasks offered to oneself or one's groups",
    "tasks:all": "see and work on every user task, and assign tasks to anyone",
    "jobs": "activate and finish jobs as a worker",
    "secrets:manage": "set, list and delete connector secrets (values are never shown)",
}

ROLE_PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "admin": frozenset(PERMISSIONS),
    "author": frozenset({"deploy", "instances:read"}),
    "operator": frozenset({"instances:read", "instances:write", "incidents", "tasks", "tasks:all"}),
    "worker": frozenset({"jobs"}),
    "user": frozenset({"tasks"}),
}

ROLES: Final[tuple[str, ...]] = tuple(ROLE_PERMISSIONS)


def permissions_of(roles: tuple[str, ...]) -> frozenset[str]:
    """Everything the given roles allow together (unknown role names allow nothing)."""
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: a user, with the roles and groups it had when it signed in."""

    name: str
    roles: tuple[str, ...]
    groups: tuple[str, ...] = ()
    permissions: frozenset[str] = field(default=frozenset())
    via: str = "token"  # token | password | session: how the caller proved who it is

    @staticmethod
    def of(name: str, roles: tuple[str, ...], groups: tuple[str, ...], via: str) -> Principal:
        return Principal(name, roles, groups, permissions_of(roles), via)

    def may(self, permission: str) -> bool:
        return permission in self.permissions
