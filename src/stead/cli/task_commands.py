"""CLI commands for user tasks: list, show, form, claim, unclaim, assign, complete; on the
database or, with ``--server``, on a running server."""

from __future__ import annotations

from typing import Annotated

import typer

from stead.cli.output import echo_json, echo_table, format_time
from stead.cli.session import open_client
from stead.commands import resources as r
from stead.commands.inputs import parse_variables

__all__ = ["register"]

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (camelCase fields).")]
TaskId = Annotated[int, typer.Argument(help="The task id.")]
task_app = typer.Typer(help="Work on one user task.", no_args_is_help=True)


def tasks(
    ctx: typer.Context,
    assignee: Annotated[str | None, typer.Option(help="Only tasks assigned to this user.")] = None,
    group: Annotated[str | None, typer.Option(help="Only tasks offered to this group.")] = None,
    user: Annotated[
        str | None, typer.Option(help="Only tasks offered to this candidate user.")
    ] = None,
    process: Annotated[str | None, typer.Option(help="Only this process id.")] = None,
    instance: Annotated[str | None, typer.Option(help="Only this instance.")] = None,
    all_states: Annotated[
        bool, typer.Option("--all", help="Include completed and cancelled tasks.")
    ] = False,
    json_: JsonFlag = False,
) -> None:
    """List open user tasks."""
    with open_client(ctx) as commands:
        found = commands.tasks(
            assignee=assignee,
            candidate_group=group,
            candidate_user=user,
            process_id=process,
            instance_id=instance,
            state=None if all_states else "created",
        )
    if json_:
        echo_json(found)
        return
    rows = [
        (
            t.id,
            t.name or t.element_id,
            t.process_id,
            t.assignee,
            ",".join(t.candidate_groups) or None,
            t.state,
            format_time(t.due_date) if t.due_date else None,
        )
        for t in found
    ]
    headers = ("ID", "TASK", "PROCESS", "ASSIGNEE", "GROUPS", "STATE", "DUE")
    echo_table(headers, rows, empty="no tasks")


def _show(task: r.UserTask, json_: bool, verb: str) -> None:
    if json_:
        echo_json(task)
    else:
        who = f" (assignee: {task.assignee})" if task.assignee else ""
        typer.echo(f"task {task.id} {verb}{who}")


@task_app.command("show")
def show(ctx: typer.Context, task_id: TaskId, json_: JsonFlag = False) -> None:
    """Show one task with its variables."""
    with open_client(ctx) as commands:
        task = commands.task(task_id)
    if json_:
        echo_json(task)
        return
    typer.echo(f"task       {task.id} {task.name or task.element_id} ({task.state})")
    typer.echo(f"instance   {task.process_instance_id} ({task.process_id})")
    typer.echo(f"assignee   {task.assignee or '-'}")
    typer.echo(f"groups     {', '.join(task.candidate_groups) or '-'}")
    typer.echo(f"form       {task.form_key or '-'}")
    typer.echo(f"due        {format_time(task.due_date)}")


@task_app.command("form")
def form(ctx: typer.Context, task_id: TaskId, json_: JsonFlag = False) -> None:
    """Show the task's form: where it comes from and its fields (--json: the whole schema)."""
    with open_client(ctx) as commands:
        found = commands.task_form(commands.task(task_id))
    if json_:
        echo_json(found)
        return
    origin = "embedded in the process" if found.version is None else f"version {found.version}"
    typer.echo(f"task       {found.task_id}")
    typer.echo(f"form       {found.form_id or found.form_key} ({origin})")
    components = found.schema_.get("components")
    fields = [c for c in components if isinstance(c, dict)] if isinstance(components, list) else []
    rows = [(c.get("key"), c.get("type"), c.get("label")) for c in fields]
    echo_table(("FIELD", "TYPE", "LABEL"), rows, empty="no fields")


@task_app.command("claim")
def claim(
    ctx: typer.Context,
    task_id: TaskId,
    user: Annotated[str, typer.Argument(help="Who takes the task.")],
    json_: JsonFlag = False,
) -> None:
    """Take a task (refused when someone else holds it)."""
    with open_client(ctx) as commands:
        _show(commands.claim_task(task_id, user), json_, "claimed")


@task_app.command("unclaim")
def unclaim(ctx: typer.Context, task_id: TaskId, json_: JsonFlag = False) -> None:
    """Give a task back to its candidates."""
    with open_client(ctx) as commands:
        _show(commands.unclaim_task(task_id), json_, "unclaimed")


@task_app.command("assign")
def assign(
    ctx: typer.Context,
    task_id: TaskId,
    assignee: Annotated[str, typer.Argument(help="The new assignee.")],
    json_: JsonFlag = False,
) -> None:
    """Assign a task to someone."""
    with open_client(ctx) as commands:
        _show(commands.assign_task(task_id, assignee), json_, "assigned")


@task_app.command("complete")
def complete(
    ctx: typer.Context,
    task_id: TaskId,
    variables: Annotated[
        str | None, typer.Option("--variables", "-v", help="A JSON object: the form's result.")
    ] = None,
    as_user: Annotated[str, typer.Option("--as", help="Who completes it.")] = "user",
    json_: JsonFlag = False,
) -> None:
    """Complete a task; the process goes on."""
    with open_client(ctx) as commands:
        task = commands.complete_task(task_id, parse_variables(variables), actor=as_user)
        _show(task, json_, "completed")


def register(app: typer.Typer) -> None:
    app.command()(tasks)
    app.add_typer(task_app, name="task")
