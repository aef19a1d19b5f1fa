"""CLI commands that keep running: ``serve`` (the HTTP API with timers, leases and workers) and
``worker run``."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from stead.cli.session import fail, open_commands
from stead.commands.inputs import parse_duration
from stead.handlers import HandlerFileError, load_handlers
from stead.runtime import Runtime, Worker, serve

__all__ = ["register"]

worker_app = typer.Typer(help="Run job handlers written in Python.", no_args_is_help=True)


LockOption = Annotated[
    str,
    typer.Option(
        "--lock-duration",
        help="How long a worker holds a job before another may take it over (PT5M, 30s).",
    ),
]


def _workers(
    runtime: Runtime, files: list[Path], name: str | None, lock_duration: str
) -> list[Worker]:
    lease = parse_duration(lock_duration, field="--lock-duration")
    workers = []
    for file in files:
        try:
            handlers = load_handlers(file)
        except HandlerFileError as error:
            raise fail(str(error)) from None
        worker = Worker(runtime, name=name, lock_duration=lease)
        for job_type, function in handlers.items():
            worker.register(job_type, function)
        workers.append(worker)
    return workers


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    worker_files: Annotated[
        list[Path] | None,
        typer.Option("--worker", help="Also run the handlers in this Python file (repeatable)."),
    ] = None,
    lock_duration: LockOption = "PT5M",
    verbose: Annotated[bool, typer.Option("--verbose", help="Debug logs and access log.")] = False,
    no_connectors: Annotated[
        bool,
        typer.Option("--no-connectors", help="Leave connector jobs to another Stead process."),
    ] = False,
) -> None:
    """Run Stead: the HTTP API, timers, stale lease expiry, the connectors and in-process
    workers, until stopped. On a database without users, creates ``admin`` with the password from
    STEAD_ADMIN_PASSWORD (or a generated one, printed once)."""
    # The web stack is imported here, not at module level, so other commands start quickly.
    from stead.api.server import catch_stop_signals, run_server
    from stead.api.settings import ApiSettings
    from stead.auth import Accounts
    from stead.connectors.callbacks import PUBLIC_URL_VARIABLE
    from stead.connectors.serving import connector_runner

    settings = ApiSettings()
    catch_stop_signals(settings.stopping)
    _configure_logging(verbose)
    with open_commands(ctx) as commands:
        workers = _workers(commands.runtime, worker_files or [], None, lock_duration)
        accounts = Accounts(commands.runtime.database, tenant=commands.runtime.tenant)
        generated = accounts.ensure_admin(os.environ.get("STEAD_ADMIN_PASSWORD") or None)
        if generated is not None:
            typer.echo(
                f"stead: created user admin with password {generated} (shown only once)",
                err=True,
            )
        typer.echo(f"stead: serving on http://{host}:{port} (Ctrl+C to stop)", err=True)
        # Callback URLs handed to other systems point here unless the deployment says where
        # Stead is reachable from outside (behind a proxy, say).
        os.environ.setdefault(PUBLIC_URL_VARIABLE, _reachable_url(host, port))
        run_server(
            commands,
            host=host,
            port=port,
            workers=workers,
            settings=settings,
            access_log=verbose,
            connectors=None if no_connectors else connector_runner(commands.runtime),
        )


@worker_app.command("run")
def run_worker(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A Python file with @handler functions.")],
    name: Annotated[str | None, typer.Option(help="Worker name shown on its jobs.")] = None,
    lock_duration: LockOption = "PT5M",
    verbose: Annotated[bool, typer.Option("--verbose")] = False,
) -> None:
    """Run the job handlers defined in FILE until stopped."""
    _configure_logging(verbose)
    with open_commands(ctx) as commands:
        workers = _workers(commands.runtime, [file], name, lock_duration)
        types = ", ".join(sorted(workers[0].handlers))
        typer.echo(f"stead: worker handling {types} (Ctrl+C to stop)", err=True)
        serve(commands.runtime, workers=workers)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.add_typer(worker_app, name="worker")


def _reachable_url(host: str, port: int) -> str:
    """This server's address as another machine would use it."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"
