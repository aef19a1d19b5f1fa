"""When a timer event is due: evaluating a timer definition against the variables and now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stead.engine.expressions import StepFailed, evaluate_raw
from stead.model import timers
from stead.model.graph import TimerDefinition

__all__ = ["TimerPlan", "following_due", "plan_timer"]


@dataclass(frozen=True, slots=True)
class TimerPlan:
    """The first due time and, for a repeating timer, its cycle text and how many more times
    it fires after the first (None: forever)."""

    due: dt.datetime
    cycle: str | None = None
    remaining: int | None = None


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def plan_timer(
    timer: TimerDefinition,
    context: Mapping[str, Any],
    element_id: str,
    now: dt.datetime,
    *,
    repeating: bool,
) -> TimerPlan:
    """Evaluate ``timer`` at ``now``. ``repeating`` is False where a cycle fires only once
    (interrupting events, intermediate catch events)."""
    value = evaluate_raw(timer.value, context, element_id, f"timer {timer.kind}")
    try:
        occurrence = timers.first_occurrence(timer.kind, value, now=now)
    except timers.TimerValueError as exc:
        raise StepFailed(
            "expression",
            f"Element '{element_id}': timer {timer.kind} '{timer.value.source}': {exc}",
        ) from exc
    if occurrence is None:
        raise StepFailed(
            "expression",
            f"Element '{element_id}': the timer cycle '{value}' has no occurrence left",
        )
    if timer.kind == "cycle" and repeating and isinstance(value, str) and occurrence.remaining != 0:
        return TimerPlan(_utc(occurrence.due), value, occurrence.remaining)
    return TimerPlan(_utc(occurrence.due))


def following_due(
    cycle: str, due: dt.datetime, remaining: int | None, now: dt.datetime
) -> tuple[dt.datetime, int | None] | None:
    """The next due time of a repeating timer that fired at ``due`` (and how many times it
    fires after that one); None when the cycle is over."""
    occurrence = timers.next_occurrence(cycle, timers.TimerOccurrence(due, remaining), now=now)
    if occurrence is None:
        return None
    return _utc(occurrence.due), occurrence.remaining
