"""CLI commands for who may use Stead: ``user add``/``user list`` and ``token create``/
``token list``/``token revoke`` (a new token is printed once; only its digest is kept)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from stead.auth import ROLES, Accounts
from stead.cli.output import echo_table, format_time
from stead.cli.session import open_commands
from stead.commands import Commands

__all__ = ["register"]

user_app = typer.Typer(help="Manage users: roles, groups, passwords.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


def _accounts(commands: Commands) -> Accounts:
    return Accounts(commands.runtime.database, tenant=commands.runtime.tenant)


@user_app.command("add")
def add_user(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name.")],
    roles: Annotated[list[str], typer.Option("--role", help=f"Repeatable: {', '.join(ROLES)}.")],
    groups: Annotated[
        list[str] | None, typer.Option("--group", help="A group the user belongs to (repeatable).")
    ] = None,
    password_env: Annotated[
        str | None,
        typer.Option(
            "--password-env",
            help="Name of an environment variable holding the password (else no password: "
            "the user signs in with API tokens only).",
        ),
    ] = None,
) -> None:
    """Create a user."""
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            typer.echo(f"stead: error: environment variable {password_env} is empty", err=True)
            raise typer.Exit(1)
    with open_commands(ctx) as commands:
        account = _accounts(commands).create_user(
            name, roles=roles, groups=groups or [], password=password
        )
    typer.echo(f"created user {account.name} ({', '.join(account.roles)})")


@user_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List users with their roles and groups."""
    with open_commands(ctx) as commands:
        accounts = _accounts(commands).users()
    rows = [
        (a.name, ",".join(a.roles), ",".join(a.groups) or "-", "yes" if a.has_password else "no")
        for a in accounts
    ]
    echo_table(["NAME", "ROLES", "GROUPS", "PASSWORD"], rows, empty="no users")


@token_app.command("create")
def create_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Create an API token and print it (it cannot be shown again)."""
    with open_commands(ctx) as commands:
        created = _accounts(commands).create_token(name, label)
    typer.echo(created.token)
    typer.echo(f"stead: token {created.info.id} for {name}; store it now", err=True)


@token_app.command("list")
def list_tokens(ctx: typer.Context) -> None:
    """List API tokens (never their secrets)."""
    with open_commands(ctx) as commands:
        tokens = _accounts(commands).tokens()
    rows = [(t.id, t.user, t.label, format_time(t.created_at)) for t in tokens]
    echo_table(["ID", "USER", "LABEL", "CREATED"], rows, empty="no tokens")


@token_app.command("revoke")
def revoke_token(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="The token's id.")]
) -> None:
    """Revoke an API token."""
    with open_commands(ctx) as commands:
        _accounts(commands).revoke_token(token_id)
    typer.echo(f"revoked token {token_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
