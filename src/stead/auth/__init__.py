"""Who may do what in Stead: roles and their permissions, password and token secrets, and the
accounts (users, groups, API tokens, web sessions) kept in the database."""

from stead.auth.accounts import Accounts, NewToken, TokenInfo, UserAccount
from stead.auth.permissions import PERMISSIONS, ROLE_PERMISSIONS, ROLES, Principal

__all__ = [
    "PERMISSIONS",
    "ROLES",
    "ROLE_PERMISSIONS",
    "Accounts",
    "NewToken",
    "Principal",
    "TokenInfo",
    "UserAccount",
]
