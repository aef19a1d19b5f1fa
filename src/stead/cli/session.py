"""Opening Stead for one CLI command, on the database or (``--server``) on a running server,
and turning every failure into a one-line message."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer

from stead.commands import (
    Commands,
    ServerFailedError,
    SteadError,
    StoreUnavailableError,
)
from stead.commands.interface import CommandInterface

__all__ = ["Target", "fail", "open_client", "open_commands"]


@dataclass(frozen=True)
class Target:
    """Where the command works: a database (``--db``) or a running server (``--server``)."""

    database_url: str | None = None
    server: str | None = None
    token: str | None = None
    server_from_env: bool = False


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``stead: error: message`` on stderr; return the Exit to raise."""
    typer.echo(f"stead: error: {message}", err=True)
    return typer.Exit(code)


def _target(ctx: typer.Context) -> Target:
    target = ctx.find_root().obj
    return target if isinstance(target, Target) else Target()


def _command_name(ctx: typer.Context) -> str:
    names: list[str] = []
    current: Any = ctx  # click's context class, which typer's extends
    while current.parent is not None:
        names.append(current.info_name or "")
        current = current.parent
    return " ".join(["stead", *reversed(names)])


def _exit_code(error: SteadError) -> int:
    if isinstance(error, StoreUnavailableError):
        return 3  # nothing could be done: try again later
    if isinstance(error, ServerFailedError):
        return 2  # as an unexpected failure of a local command
    return 1


@contextmanager
def _reported() -> Iterator[None]:
    """Errors end the command with a one-line message and a non-zero exit; ``STEAD_DEBUG=1``
    adds the traceback of unexpected ones."""
    try:
        yield
    except SteadError as error:
        raise fail(str(error), _exit_code(error)) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:
        if os.environ.get("STEAD_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise fail(f"unexpected {type(error).__name__}: {detail}", 2) from None


@contextmanager
def open_commands(ctx: typer.Context) -> Iterator[Commands]:
    """The command layer on the database chosen by ``--db`` / ``STEAD_DATABASE_URL`` (default: the
    embedded SQLite file in the data directory), for commands that need the database itself:
    with ``--server`` they refuse to run."""
    target = _target(ctx)
    if target.server:
        given = "STEAD_SERVER is set" if target.server_from_env else "--server was given"
        raise fail(
            f"`{_command_name(ctx)}` works on the database itself, not through a server, "
            f"but {given} ({target.server}); run it where the database is, without it",
            2,
        )
    commands: Commands | None = None
    try:
        with _reported():
            commands = Commands.open(target.database_url)
            yield commands
    finally:
        if commands is not None:
            commands.close()


@contextmanager
def open_client(ctx: typer.Context) -> Iterator[CommandInterface]:
    """The CLI's operations on the server named by ``--server`` / ``STEAD_SERVER`` (over its
    HTTP API, with the token from ``--token`` / ``STEAD_TOKEN``) or, without one, on the
    database as :func:`open_commands` opens it. Either prints the same."""
    target = _target(ctx)
    if not target.server:
        with open_commands(ctx) as commands:
            yield commands
        return
    # Imported here: the HTTP client is needed only with --server.
    from stead.commands.remote import RemoteCommands

    remote = RemoteCommands(target.server, target.token)
    try:
        with _reported():
            yield remote
    finally:
        remote.close()
