"""CLI commands for messages and incidents, on the database or (``--server``) a server."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from stead.cli.output import echo_json, echo_table, format_time, shorten
from stead.cli.session import open_client
from stead.commands.inputs import parse_duration, parse_variables

__all__ = ["register"]

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (camelCase fields).")]
message_app = typer.Typer(help="Publish messages to waiting instances.", no_args_is_help=True)
incident_app = typer.Typer(help="Resolve incidents.", no_args_is_help=True)


@message_app.command("publish")
def publish(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The message name the model waits for.")],
    correlation_key: Annotated[str | None, typer.Option(help="Which instance it is for.")] = None,
    variables: Annotated[
        str | None, typer.Option("--variables", "-v", help="A JSON object.")
    ] = None,
    message_id: Annotated[
        str | None, typer.Option(help="Publishing the same id again has no effect.")
    ] = None,
    ttl: Annotated[
        str | None, typer.Option(help="Keep it this long if no one waits yet (PT1H, 10m).")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Publish a message: it reaches the instances waiting for it, or waits for its TTL."""
    with open_client(ctx) as commands:
        result = commands.publish_message(
            name,
            correlation_key=correlation_key,
            variables=parse_variables(variables),
            message_id=message_id,
            ttl=parse_duration(ttl, field="--ttl") if ttl else dt.timedelta(0),
        )
    if json_:
        echo_json(result)
    elif result.duplicate:
        typer.echo(f"message id {message_id} was published before: nothing done")
    else:
        for instance_id in result.correlated:
            typer.echo(f"correlated to {instance_id}")
        for instance_id in result.started:
            typer.echo(f"started {instance_id}")
        if result.buffered:
            typer.echo("no instance waits for it yet: kept for its time-to-live")
        elif not (result.correlated or result.started):
            typer.echo("no instance waits for it (give --ttl to keep it)")


def incidents(
    ctx: typer.Context,
    instance: Annotated[str | None, typer.Option(help="Only this instance.")] = None,
    json_: JsonFlag = False,
) -> None:
    """List open incidents."""
    with open_client(ctx) as commands:
        found = commands.incidents(instance_id=instance)
    if json_:
        echo_json(found)
        return
    rows = [
        (
            i.id,
            i.process_instance_id,
            i.element_id,
            i.kind,
            format_time(i.created_at),
            shorten(i.message),
        )
        for i in found
    ]
    headers = ("ID", "INSTANCE", "ELEMENT", "KIND", "RAISED", "MESSAGE")
    echo_table(headers, rows, empty="no open incidents")


@incident_app.command("resolve")
def resolve(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(help="The incident id.")],
    retries: Annotated[
        int | None, typer.Option(min=1, help="Retries to give a failed job (default 1).")
    ] = None,
    json_: JsonFlag = False,
) -> None:
    """Retry the step that failed."""
    with open_client(ctx) as commands:
        incident = commands.resolve_incident(incident_id, retries=retries)
    if json_:
        echo_json(incident)
    else:
        typer.echo(f"incident {incident.id} {incident.state}")


def register(app: typer.Typer) -> None:
    app.add_typer(message_app, name="message")
    app.command()(incidents)
    app.add_typer(incident_app, name="incident")
