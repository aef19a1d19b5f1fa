"""Waking idle loops when work arrives: an in-process signal, fed on PostgreSQL also by
LISTEN/NOTIFY so that other processes' new jobs and timers wake this one."""

from __future__ import annotations

import logging
import threading

import psycopg
import sqlalchemy as sa

__all__ = ["NOTIFY_CHANNEL", "PostgresListener", "WakeUp"]

NOTIFY_CHANNEL = "stead_work"
_log = logging.getLogger("stead.runtime")


class WakeUp:
    """A generation counter: waiters sleep until it moves (or their timeout passes)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def notify(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Sleep until something newer than generation ``seen`` arrives or ``timeout`` passes;
        returns the generation now current."""
        with self._condition:
            self._condition.wait_for(lambda: self._generation != seen, timeout)
            return self._generation


class PostgresListener:
    """A thread holding one connection that LISTENs for new work and wakes this process."""

    def __init__(self, url: sa.URL, wakeup: WakeUp) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._wakeup = wakeup
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="stead-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self._wakeup.notify()
            except psycopg.Error as error:
                # The loops still poll; reconnect after a pause.
                _log.warning("listening for new work failed: %s", error)
                self._stop.wait(2.0)
