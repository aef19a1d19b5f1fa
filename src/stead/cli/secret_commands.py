"""CLI commands for the secret store: ``secret set NAME`` (the value from a hidden prompt or
from standard input, never from the command line, where it would stay in the shell history
and the process list), ``secret list``, ``secret delete NAME`` and ``secret reencrypt``."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from stead.cli.output import echo_json, echo_table, format_time
from stead.cli.session import fail, open_commands
from stead.commands import SteadError
from stead.commands.secrets import SecretCommands
from stead.secrets.store import check_name

__all__ = ["register"]

secret_app = typer.Typer(
    help="Manage secrets for connectors ({{secrets.NAME}}); values are never shown.",
    no_args_is_help=True,
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (camelCase fields).")]
NameArgument = Annotated[str, typer.Argument(help="The secret's name, e.g. CRM_TOKEN.")]


def _actor() -> str:
    """Who changed a secret from the command line: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "cli"


def _read_value(name: str) -> str:
    if sys.stdin.isatty():
        value = getpass.getpass(f"Value of {name}: ")
        if value != getpass.getpass(f"Value of {name} again: "):
            raise fail("the two values differ; nothing was stored")
        return value
    # Piped in: the whole input, without the line break `echo` or a file adds at the end.
    value = sys.stdin.read()
    return value.removesuffix("\n").removesuffix("\r")


@secret_app.command("set")
def set_secret(ctx: typer.Context, name: NameArgument, json_: JsonFlag = False) -> None:
    """Create a secret or replace its value, read from a hidden prompt or standard input."""
    try:
        check_name(name)  # before asking for a value that could not be stored
    except SteadError as error:
        raise fail(str(error)) from None
    value = _read_value(name)
    with open_commands(ctx) as commands:
        written = SecretCommands(commands).set_secret(name, value, actor=_actor())
    if json_:
        echo_json(written.secret)
    else:
        typer.echo(f"{'created' if written.created else 'replaced'} secret {name}")


@secret_app.command("list")
def list_secrets(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """List secrets: names and who changed them when (never their values)."""
    with open_commands(ctx) as commands:
        found = SecretCommands(commands).secrets()
    if json_:
        echo_json(found)
        return
    rows = [(s.name, format_time(s.updated_at), s.updated_by, s.key_id) for s in found]
    echo_table(["NAME", "UPDATED", "BY", "KEY"], rows, empty="no secrets")


@secret_app.command("delete")
def delete_secret(ctx: typer.Context, name: NameArgument, json_: JsonFlag = False) -> None:
    """Delete a secret."""
    with open_commands(ctx) as commands:
        SecretCommands(commands).delete_secret(name)
    if json_:
        echo_json({"name": name, "deleted": True})
    else:
        typer.echo(f"deleted secret {name}")


@secret_app.command("reencrypt")
def reencrypt_secrets(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Encrypt every value under the current key (the first in STEAD_SECRET_KEY), so older
    keys can then be removed."""
    with open_commands(ctx) as commands:
        changed = SecretCommands(commands).reencrypt_secrets()
    if json_:
        echo_json(changed)
    else:
        typer.echo(f"re-encrypted {len(changed)} secret{'' if len(changed) == 1 else 's'}")


def register(app: typer.Typer) -> None:
    app.add_typer(secret_app, name="secret")
