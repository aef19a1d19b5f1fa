"""Running Stead as a server: the HTTP API (uvicorn) in the main thread and the runtime's
loops (timers, leases, in-process workers) beside it, stopping both gracefully on SIGINT or
SIGTERM."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator, Sequence
from types import FrameType

import uvicorn

from stead.api.app import create_app
from stead.api.settings import ApiSettings
from stead.commands import Commands
from stead.connectors.runner import ConnectorRunner
from stead.runtime import Worker, serve

__all__ = ["catch_stop_signals", "run_server"]

_log = logging.getLogger("stead.api")
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def catch_stop_signals(stopping: threading.Event) -> None:
    """From now on, SIGINT/SIGTERM set ``stopping``: a stop asked for while the server is still
    starting up ends it gracefully as soon as it is up, instead of killing it mid-start."""
    if threading.current_thread() is not threading.main_thread():
        return

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    for sig in _STOP_SIGNALS:
        signal.signal(sig, on_signal)


class _Server(uvicorn.Server):
    """A uvicorn server that also tells the runtime loops and long requests to stop."""

    def __init__(self, config: uvicorn.Config, stopping: threading.Event) -> None:
        super().__init__(config)
        self.stopping = stopping

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.stopping.set()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn's own version raises the signal again after a graceful stop, so the process
        # would end "killed by SIGTERM"; a stop that went well should exit with status 0.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _STOP_SIGNALS}
        if self.stopping.is_set():  # asked to stop while starting up
            self.should_exit = True
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run_server(
    commands: Commands,
    *,
    host: str,
    port: int,
    workers: Sequence[Worker] = (),
    settings: ApiSettings | None = None,
    access_log: bool = False,
    connectors: ConnectorRunner | None = None,
) -> None:
    """Serve the API on ``host:port`` and run the runtime (with the connector runner, if
    given) until a stop signal."""
    settings = settings or ApiSettings()
    catch_stop_signals(settings.stopping)
    app = create_app(commands, settings=settings)
    loops = threading.Thread(
        target=serve,
        args=(commands.runtime,),
        kwargs={
            "workers": workers,
            "connectors": connectors,
            "stop": settings.stopping,
            "handle_signals": False,
        },
        name="stead-runtime",
    )
    loops.start()
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=access_log,
        log_config=None,  # keep the logging Stead configured
        timeout_graceful_shutdown=5,
        server_header=False,
    )
    try:
        _Server(config, settings.stopping).run()
    finally:
        settings.stopping.set()
        loops.join()
        _log.info("stopped")
