"""Firing one due timer inside a unit of work: an instance's timer becomes ``FireTimer``; a
timer start event starts an instance and is rescheduled for its next occurrence."""

from __future__ import annotations

from typing import Any

from stead.engine import commands as c
from stead.model.timers import TimerOccurrence, first_occurrence, next_occurrence
from stead.runtime.unit_of_work import UnitOfWork
from stead.store import definitions, timers

__all__ = ["fire", "fire_batch", "fire_row", "start_timer_schedule"]


def start_timer_schedule(kind: str, value: Any, now: Any) -> tuple[dict[str, Any], Any] | None:
    """The stored schedule and first due time of a timer start event (None: never fires)."""
    occurrence = first_occurrence(kind, value, now=now)  # type: ignore[arg-type]
    if occurrence is None:
        return None
    return {"kind": kind, "value": value, "remaining": occurrence.remaining}, occurrence.due


def fire(uow: UnitOfWork, timer_key: int) -> bool:
    """Fire the timer if it is still due and nobody else took it; True when it fired."""
    row = timers.take(uow.conn, timer_key, uow.now)
    if row is None:
        return False
    fire_row(uow, row)
    return True


def fire_batch(uow: UnitOfWork, limit: int) -> list[int]:
    """Fire up to ``limit`` due timers in this one transaction; returns their keys."""
    rows = timers.take_due(uow.conn, uow.now, limit)
    owned = [row for row in rows if row.instance_id is not None]
    # Instance timers: removed and their instances loaded with one statement each. (A timer
    # that another one's firing cancels is then rejected by the engine, as before.)
    timers.remove_many(uow.conn, [row.key for row in owned])
    uow.preload([row.instance_id for row in owned])
    for row in rows:
        if row.instance_id is not None:
            uow.try_apply(row.instance_id, c.FireTimer(row.engine_key))
        else:
            fire_row(uow, row)
    return [row.key for row in rows]


def fire_row(uow: UnitOfWork, row: Any) -> None:
    if row.instance_id is not None:
        timers.remove(uow.conn, row.key)
        uow.try_apply(row.instance_id, c.FireTimer(row.engine_key))
        return
    definition = definitions.by_key(uow.conn, row.definition_key)
    assert definition is not None
    uow.start(definition, {}, start_event_id=row.element_id, trigger="timer", actor="engine")
    schedule = row.schedule
    if schedule["kind"] != "cycle":
        timers.remove(uow.conn, row.key)
        return
    previous = TimerOccurrence(row.due_at, schedule.get("remaining"))
    following = next_occurrence(schedule["value"], previous, now=uow.now)
    if following is None:
        timers.remove(uow.conn, row.key)
    else:
        timers.reschedule(
            uow.conn, row.key, following.due, {**schedule, "remaining": following.remaining}
        )
