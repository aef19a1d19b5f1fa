"""Letting long-polling fetches await the runtime's wake-up signal without holding a thread
each: one small thread per event loop waits on the signal and pulses an asyncio event."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref

from stead.runtime import Runtime
from stead.runtime.wakeup import WakeUp

__all__ = ["WakeUpBridge", "bridge_for"]

_THREAD_CHECK_SECONDS = 1.0  # how soon the thread notices that its loop has gone


class WakeUpBridge:
    """The runtime's wake-up signal, awaitable on one event loop."""

    def __init__(self, wakeup: WakeUp, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._wakeup = wakeup
        self._event = asyncio.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._watch, name="stead-camunda-wake", daemon=True)
        self._thread.start()

    @property
    def generation(self) -> int:
        return self._wakeup.generation

    @property
    def alive(self) -> bool:
        return not self._stopped and not self.loop.is_closed()

    async def wait(self, seen: int, timeout: float) -> None:
        """Return when work newer than generation ``seen`` arrived or ``timeout`` passed."""
        if self._wakeup.generation != seen:
            return
        event = self._event  # replaced by each pulse, so every pulse reaches current waiters
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def stop(self) -> None:
        self._stopped = True

    def _pulse(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def _watch(self) -> None:
        seen = self._wakeup.generation
        while self.alive:
            current = self._wakeup.wait(seen, _THREAD_CHECK_SECONDS)
            if current != seen:
                seen = current
                try:
                    self.loop.call_soon_threadsafe(self._pulse)
                except RuntimeError:  # the loop closed meanwhile
                    break
        self._stopped = True


_bridges: weakref.WeakKeyDictionary[Runtime, WakeUpBridge] = weakref.WeakKeyDictionary()
_bridges_lock = threading.Lock()


def bridge_for(runtime: Runtime) -> WakeUpBridge:
    """The bridge of ``runtime`` on the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    with _bridges_lock:
        bridge = _bridges.get(runtime)
        if bridge is None or bridge.loop is not loop or not bridge.alive:
            if bridge is not None:
                bridge.stop()
            bridge = _bridges[runtime] = WakeUpBridge(runtime.wakeup, loop)
        return bridge
