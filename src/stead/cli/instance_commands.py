"""CLI commands for deploying processes, browsing definitions, and starting, inspecting and
cancelling instances. Each runs on the database or, with ``--server``, on a running server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from stead.cli.output import echo_json, echo_table, format_time, shorten
from stead.cli.session import open_client
from stead.commands import InvalidRequestError
from stead.commands import resources as r
from stead.commands.deployments import DEPLOYABLE_SUFFIXES
from stead.commands.inputs import parse_datetime, parse_variables

__all__ = ["register"]

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (camelCase fields).")]
VariablesOption = Annotated[
    str | None, typer.Option("--variables", "-v", help="A JSON object, e.g. '{\"amount\": 250}'.")
]


definition_app = typer.Typer(help="Look at one deployed process.", no_args_is_help=True)


def _deployable_files(paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    """The files named, folders expanded to the .bpmn and .form files inside them, read."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = (p for p in sorted(path.rglob("*")) if p.is_file())
            found.extend(p for p in inside if p.name.lower().endswith(DEPLOYABLE_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidRequestError(f"{path}: no such file or folder")
    return [(str(path), path.read_bytes()) for path in found]


def deploy(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="BPMN models and .form files, or folders of them.")
    ],
    json_: JsonFlag = False,
) -> None:
    """Deploy BPMN models and forms, all or none. Unchanged content keeps its version; changed
    content gets a new one."""
    with open_client(ctx) as commands:
        deployed = commands.deploy_files(_deployable_files(paths))
    if json_:
        echo_json(deployed)
        return
    for d in deployed.processes:
        status = "deployed" if d.created else "unchanged"
        typer.echo(f"{status}: {d.process_id} version {d.version} ({d.resource_name})")
    for f in deployed.forms:
        status = "deployed" if f.created else "unchanged"
        typer.echo(f"{status}: form {f.form_id} version {f.version} ({f.resource_name})")


def _counts(counts: dict[str, int]) -> tuple[int, int, int]:
    return counts.get("active", 0), counts.get("completed", 0), counts.get("terminated", 0)


def definitions(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """List deployed processes: newest version and instances by state over every version."""
    with open_client(ctx) as commands:
        found = commands.process_definitions()
    if json_:
        echo_json(found)
        return
    rows = [
        (
            d.process_id,
            d.latest_version,
            d.name,
            *_counts(d.instance_counts),
            format_time(d.versions[0].deployed_at),
        )
        for d in found
    ]
    headers = ("PROCESS", "LATEST", "NAME", "ACTIVE", "COMPLETED", "TERMINATED", "DEPLOYED")
    echo_table(headers, rows, empty="no processes deployed")


@definition_app.command("show")
def show_definition(
    ctx: typer.Context,
    process_id: Annotated[str, typer.Argument(help="The BPMN process id.")],
    json_: JsonFlag = False,
) -> None:
    """Every version of a process with its instances by state, newest first."""
    with open_client(ctx) as commands:
        found = commands.process_definitions(process_id)[0]
    if json_:
        echo_json(found)
        return
    typer.echo(f"process    {found.process_id} ({found.name or 'no name'})")
    rows = [
        (
            v.version,
            v.name,
            *_counts(v.instance_counts),
            v.resource_name,
            format_time(v.deployed_at),
        )
        for v in found.versions
    ]
    headers = ("VERSION", "NAME", "ACTIVE", "COMPLETED", "TERMINATED", "RESOURCE", "DEPLOYED")
    echo_table(headers, rows, empty="no versions")


@definition_app.command("source")
def definition_source(
    ctx: typer.Context,
    process_id: Annotated[str, typer.Argument(help="The BPMN process id.")],
    version: Annotated[int | None, typer.Option(min=1, help="Default: the newest.")] = None,
) -> None:
    """Print the BPMN XML of a version as it was deployed."""
    with open_client(ctx) as commands:
        source = commands.definition_source(process_id, version)
    typer.echo(source, nl=not source.endswith("\n"))


def start(
    ctx: typer.Context,
    process_id: Annotated[str, typer.Argument(help="The BPMN process id.")],
    variables: VariablesOption = None,
    business_key: Annotated[str | None, typer.Option(help="Your own reference.")] = None,
    idempotency_key: Annotated[
        str | None, typer.Option(help="Starting again with this key returns the same instance.")
    ] = None,
    version: Annotated[int | None, typer.Option(help="Default: the newest version.")] = None,
    json_: JsonFlag = False,
) -> None:
    """Start a process instance."""
    with open_client(ctx) as commands:
        instance = commands.start(
            process_id,
            parse_variables(variables),
            business_key=business_key,
            idempotency_key=idempotency_key,
            version=version,
        )
    if json_:
        echo_json(instance)
    else:
        typer.echo(f"started {instance.id} ({process_id} version {instance.version})")
        _echo_instance_state(instance)


TimeOption = Annotated[str | None, typer.Option(help="An ISO 8601 date or date-time.")]


def _time(text: str | None, field: str) -> dt.datetime | None:
    return None if text is None else parse_datetime(text, field=field)


def instances(
    ctx: typer.Context,
    process: Annotated[str | None, typer.Option(help="Only this process id.")] = None,
    state: Annotated[str | None, typer.Option(help="active, completed or terminated.")] = None,
    business_key: Annotated[str | None, typer.Option()] = None,
    with_incident: Annotated[
        bool, typer.Option("--with-incident", help="Only instances with an open incident.")
    ] = False,
    started_after: TimeOption = None,
    started_before: TimeOption = None,
    ended_after: TimeOption = None,
    ended_before: TimeOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    cursor: Annotated[str | None, typer.Option(help="From a previous page's next cursor.")] = None,
    json_: JsonFlag = False,
) -> None:
    """List process instances, newest first (times: ISO 8601, UTC unless an offset is given)."""
    if state is not None and state not in ("active", "completed", "terminated"):
        raise typer.BadParameter("must be active, completed or terminated", param_hint="--state")
    with open_client(ctx) as commands:
        page = commands.instances(
            process_id=process,
            state=state,
            business_key=business_key,
            started_after=_time(started_after, "--started-after"),
            started_before=_time(started_before, "--started-before"),
            ended_after=_time(ended_after, "--ended-after"),
            ended_before=_time(ended_before, "--ended-before"),
            has_incident=True if with_incident else None,
            cursor=cursor,
            limit=limit,
        )
    if json_:
        echo_json(page)
        return
    rows = [
        (i.id, i.process_id, i.version, i.state, i.business_key, format_time(i.started_at))
        for i in page.items
    ]
    headers = ("ID", "PROCESS", "VERSION", "STATE", "BUSINESS KEY", "STARTED")
    echo_table(headers, rows, empty="no instances")
    if page.next_cursor:
        typer.echo(f"more: --cursor {page.next_cursor}")


def instance(
    ctx: typer.Context,
    instance_id: Annotated[str, typer.Argument(help="The instance id.")],
    json_: JsonFlag = False,
) -> None:
    """Show an instance: state, variables, where tokens wait, open incidents, history."""
    with open_client(ctx) as commands:
        found = commands.instance(instance_id)
        history = commands.history(instance_id)
    if json_:
        data = found.to_json()
        data["history"] = [h.to_json() for h in history]
        echo_json(data)
        return
    typer.echo(f"instance   {found.id}")
    typer.echo(f"process    {found.process_id} version {found.version}")
    if found.business_key:
        typer.echo(f"business   {found.business_key}")
    typer.echo(f"started    {format_time(found.started_at)}")
    if found.ended_at:
        typer.echo(f"ended      {format_time(found.ended_at)}")
    _echo_instance_state(found)
    typer.echo("variables")
    for name, value in found.variables.items():
        typer.echo(f"  {name} = {shorten(value, 90)}")
    typer.echo("history")
    for h in history:
        element = h.element_id or ""
        detail = shorten(h.data, 70) if h.data else ""
        typer.echo(f"  {format_time(h.time)}  {h.event:<22} {element:<20} {h.actor:<10} {detail}")


def _echo_instance_state(found: r.Instance) -> None:
    typer.echo(f"state      {found.state}")
    for w in found.waiting:
        typer.echo(f"waiting    at {w.element_id} ({w.kind}) since {format_time(w.since)}")
    for i in found.incidents:
        typer.echo(f"incident   {i.id} at {i.element_id}: {i.message}")


def cancel(
    ctx: typer.Context,
    instance_id: Annotated[str, typer.Argument(help="The instance id.")],
    json_: JsonFlag = False,
) -> None:
    """Cancel (terminate) a running instance."""
    with open_client(ctx) as commands:
        found = commands.cancel(instance_id)
    if json_:
        echo_json(found)
    else:
        typer.echo(f"{found.id} {found.state}")


def set_variables(
    ctx: typer.Context,
    instance_id: Annotated[str, typer.Argument(help="The instance id.")],
    variables: Annotated[str, typer.Argument(help="A JSON object of variables to set.")],
    json_: JsonFlag = False,
) -> None:
    """Set variables on a running instance (recorded in its history)."""
    with open_client(ctx) as commands:
        found = commands.set_variables(instance_id, parse_variables(variables))
    if json_:
        echo_json(found)
    else:
        typer.echo(f"{found.id}: variables set")


def register(app: typer.Typer) -> None:
    app.command()(deploy)
    app.command()(definitions)
    app.add_typer(definition_app, name="definition")
    app.command()(start)
    app.command()(instances)
    app.command()(instance)
    app.command()(cancel)
    app.command("set-variables")(set_variables)
