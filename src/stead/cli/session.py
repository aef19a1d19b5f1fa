"""Opening Stead for one CLI command and turning every failure into a one-line message."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from stead.commands import Commands, SteadError, StoreUnavailableError

__all__ = ["fail", "open_commands"]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``stead: error: message`` on stderr; return the Exit to raise."""
    typer.echo(f"stead: error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def open_commands(ctx: typer.Context) -> Iterator[Commands]:
    """The command layer on the database chosen by ``--db`` / ``STEAD_DATABASE_URL`` (default: the
    embedded SQLite file in the data directory). Errors end the command with a one-line
    message and a non-zero exit; ``STEAD_DEBUG=1`` adds the traceback of unexpected ones."""
    database_url: str | None = ctx.obj
    commands: Commands | None = None
    try:
        commands = Commands.open(database_url)
        yield commands
    except SteadError as error:
        raise fail(str(error), 3 if isinstance(error, StoreUnavailableError) else 1) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:
        if os.environ.get("STEAD_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise fail(f"unexpected {type(error).__name__}: {detail}", 2) from None
    finally:
        if commands is not None:
            commands.close()
