"""The ``stead`` command: deploy models, start and inspect instances, work on tasks, publish
messages, resolve incidents, and run the engine and workers."""

from __future__ import annotations

from typing import Annotated

import typer

from stead.cli import (
    event_commands,
    instance_commands,
    run_commands,
    secret_commands,
    task_commands,
    user_commands,
)
from stead.cli.session import Target

__all__ = ["app", "main"]

app = typer.Typer(
    name="stead",
    help="Stead: durable BPMN processes. Data: --db URL, STEAD_DATABASE_URL, or ./data/stead.db;"
    " or a running server: --server URL (STEAD_SERVER) with --token (STEAD_TOKEN).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="STEAD_DATABASE_URL",
            help="Database URL: sqlite:///path.db or postgresql+psycopg://user@host/db.",
        ),
    ] = None,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="STEAD_SERVER",
            help="Work through a running `stead serve` at this URL (http://host:8080) instead "
            "of the database; commands that work on the database itself refuse it.",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", envvar="STEAD_TOKEN", help="API token for --server (stead token create)."
        ),
    ] = None,
) -> None:
    if server is not None and not server.startswith(("http://", "https://")):
        raise typer.BadParameter(
            f"{server!r} is not a URL; write http://host:port or https://host",
            param_hint="--server",
        )
    ctx.obj = Target(
        database_url=db,
        server=server or None,
        token=token or None,
        server_from_env=getattr(ctx.get_parameter_source("server"), "name", "") == "ENVIRONMENT",
    )


instance_commands.register(app)
task_commands.register(app)
event_commands.register(app)
run_commands.register(app)
user_commands.register(app)
secret_commands.register(app)


def main() -> None:
    app()
