"""The ``stead`` command: deploy models, start and inspect instances, work on tasks, publish
messages, resolve incidents, and run the engine and workers."""

from __future__ import annotations

from typing import Annotated

import typer

from stead.cli import event_commands, instance_commands, run_commands, task_commands, user_commands

__all__ = ["app", "main"]

app = typer.Typer(
    name="stead",
    help="Stead: durable BPMN processes. Data: --db URL, STEAD_DATABASE_URL, or ./data/stead.db.",
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
) -> None:
    ctx.obj = db


instance_commands.register(app)
task_commands.register(app)
event_commands.register(app)
run_commands.register(app)
user_commands.register(app)


def main() -> None:
    app()
