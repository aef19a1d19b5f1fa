"""A clock the tests move by hand, for timers and due dates."""

from __future__ import annotations

import datetime as dt
import threading


class ManualClock:
    """The time as the test says; starts at a fixed moment and only moves on ``advance``."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return self._now

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        with self._lock:
            self._now += delta
            return self._now
