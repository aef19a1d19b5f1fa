"""``serve``: fire timers, release expired job leases, purge expired messages and run
in-process workers and the connector runner until stopped (SIGINT/SIGTERM stop it gracefully)."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Protocol

from stead.runtime.runtime import Runtime
from stead.runtime.wakeup import PostgresListener
from stead.runtime.worker import Worker

__all__ = ["Loop", "serve"]

_log = logging.getLogger("stead.runtime.serve")


class Loop(Protocol):
    """Something that works until ``stop`` is set (the connector runner, say)."""

    def run(self, stop: threading.Event) -> None: ...


def _timer_loop(runtime: Runtime, stop: threading.Event, batch: int, max_sleep: float) -> None:
    while not stop.is_set():
        seen = runtime.wakeup.generation
        try:
            fired = runtime.fire_due_timers(limit=batch)
            if fired:
                continue
            due = runtime.next_timer_due()
        except Exception:
            _log.exception("firing timers failed")
            fired, due = 0, None
        sleep = max_sleep
        if due is not None:
            sleep = min(max_sleep, max(0.0, (due - runtime.clock()).total_seconds()))
        runtime.wakeup.wait(seen, sleep)


def _maintenance_loop(runtime: Runtime, stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            runtime.release_expired_leases()
            runtime.purge_expired_messages()
        except Exception:
            _log.exception("maintenance failed")


def _install_signal_handlers(stop: threading.Event) -> Callable[[], None]:
    def on_signal(signum: int, _frame: FrameType | None) -> None:
        _log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def serve(
    runtime: Runtime,
    *,
    workers: Sequence[Worker] = (),
    connectors: Loop | None = None,
    stop: threading.Event | None = None,
    handle_signals: bool = True,
    timer_batch: int = 100,
    max_idle_sleep: float = 1.0,
    maintenance_interval: float = 5.0,
) -> None:
    """Run until ``stop`` is set (or SIGINT/SIGTERM when ``handle_signals`` and on the main
    thread); background threads finish their current step before this returns."""
    stop = stop or threading.Event()
    for worker in workers:
        if not worker.attached:
            worker.attach(runtime)
    restore = None
    if handle_signals and threading.current_thread() is threading.main_thread():
        restore = _install_signal_handlers(stop)
    listener = None
    if runtime.database.is_postgres:
        listener = PostgresListener(runtime.database.engine.url, runtime.wakeup)
        listener.start()
    threads = [
        threading.Thread(
            target=_timer_loop,
            args=(runtime, stop, timer_batch, max_idle_sleep),
            name="stead-timers",
        ),
        threading.Thread(
            target=_maintenance_loop,
            args=(runtime, stop, maintenance_interval),
            name="stead-maintenance",
        ),
    ]
    threads += [
        threading.Thread(target=worker.run, args=(stop,), name=f"stead-worker-{index}")
        for index, worker in enumerate(workers)
    ]
    if connectors is not None:
        threads.append(
            threading.Thread(target=connectors.run, args=(stop,), name="stead-connectors")
        )
    for thread in threads:
        thread.start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        stop.set()
        runtime.wakeup.notify()  # wake sleeping loops so they see the stop
        for thread in threads:
            thread.join()
        if listener is not None:
            listener.stop()
        if restore is not None:
            restore()
        _log.info("stopped at %s", dt.datetime.now(dt.UTC).isoformat())
