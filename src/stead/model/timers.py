"""Timer values: parse ISO 8601 dates, durations, repeating intervals and cron, and say when a
timer is due.

Everything here is pure: the current time is always an argument. The model calls the parse
functions to validate static timer values at deploy time; the engine calls
:func:`first_occurrence` and :func:`next_occurrence` with either a static value from the model or
the result of a FEEL expression (a string, a FEEL duration, a date or a date and time).

Semantics:

- ``timeDate``: an ISO 8601 date and time with an offset (``2025-03-01T09:00:00Z``,
  ``...+01:00``) and optionally a zone id (``...+01:00[Europe/Berlin]``). A date and time without
  an offset is refused in the model; from FEEL it is taken as UTC.
- ``timeDuration``: ``PnYnMnWnDTnHnMnS`` (seconds may have a fraction). Years and months are
  calendar steps (one month after 31 January is the last day of February), days are calendar
  days in the start's time zone, hours/minutes/seconds are elapsed time.
- ``timeCycle``: ``R[n]/[start/]duration`` (``R`` alone repeats forever), or a cron expression:
  five fields (minute first) or six fields (second first, as Spring writes them), evaluated in
  UTC. With a start in the repeating interval the first occurrence is the start itself; without
  one it is one interval after the timer is created. Occurrences that passed while nothing was
  running are not fired one by one: the next occurrence is the first one after ``now``, and the
  skipped ones count against the repetitions.
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
import functools
import re
import zoneinfo
from dataclasses import dataclass
from typing import Literal

from croniter import croniter

from stead.feel.values import DayTimeDuration, YearMonthDuration
from stead.feel.wide_temporal import InvalidTemporal, WideDateTime

__all__ = [
    "CronSchedule",
    "Cycle",
    "IsoDuration",
    "RepeatingInterval",
    "TimerKind",
    "TimerOccurrence",
    "TimerValueError",
    "first_occurrence",
    "next_occurrence",
    "parse_cycle",
    "parse_date",
    "parse_duration",
    "parse_timer_value",
]

TimerKind = Literal["date", "duration", "cycle"]

# A timer further away than this is almost certainly a typo; it would also overflow datetime.
_MAX_DURATION_DAYS = 366 * 1000

# Skipping missed occurrences one by one must end; past this many, restart the series at now.
_MAX_SKIPPED_OCCURRENCES = 100_000


class TimerValueError(ValueError):
    """A timer value that is not a valid date, duration or cycle; the message says why."""


@dataclass(frozen=True, slots=True)
class IsoDuration:
    """An ISO 8601 duration: calendar years, months and days plus elapsed seconds."""

    years: int = 0
    months: int = 0
    days: int = 0
    seconds: decimal.Decimal = decimal.Decimal(0)
    negative: bool = False

    def add_to(self, start: dt.datetime) -> dt.datetime:
        """``start`` moved forward (or back, for a negative duration) by this duration."""
        sign = -1 if self.negative else 1
        try:
            moved = _add_months(start, sign * (self.years * 12 + self.months))
            moved = moved + dt.timedelta(days=sign * self.days)  # wall-clock days in its zone
            elapsed = dt.timedelta(seconds=float(self.seconds)) * sign
            if moved.tzinfo is None:
                return moved + elapsed
            # Elapsed time is measured in UTC so a daylight-saving change does not stretch it.
            return (moved.astimezone(dt.UTC) + elapsed).astimezone(moved.tzinfo)
        except OverflowError:
            raise TimerValueError("the timer would fall outside the years 1 to 9999") from None

    @property
    def is_zero(self) -> bool:
        return not (self.years or self.months or self.days or self.seconds)


@dataclass(frozen=True, slots=True)
class RepeatingInterval:
    """``R[n]/[start/]interval``; ``repetitions`` is None for a series without end."""

    repetitions: int | None
    interval: IsoDuration
    start: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A cron expression; ``seconds_first`` for six fields (second, minute, ... day of week)."""

    expression: str
    seconds_first: bool


Cycle = RepeatingInterval | CronSchedule


@dataclass(frozen=True, slots=True)
class TimerOccurrence:
    """When a timer fires next, and how many more times it fires after that (None: no end)."""

    due: dt.datetime
    remaining: int | None = 0


_DURATION = re.compile(
    r"(?P<sign>[-+])?P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
    r"(?:(?P<days>\d+)D)?(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?"
)
_ZONE_SUFFIX = re.compile(r"^(?P<stamp>[^\[]+)\[(?P<zone>[^\]]+)\]$")
_REPEAT = re.compile(r"R(?P<count>\d*)")


@functools.lru_cache(maxsize=1024)
def parse_duration(text: str) -> IsoDuration:
    """An ISO 8601 duration such as ``PT15M``, ``P1DT12H``, ``P2W`` or ``P1Y2M``."""
    stripped = text.strip()
    match = _DURATION.fullmatch(stripped)
    if match is None or stripped.endswith("T"):
        raise TimerValueError(
            f"{text!r} is not an ISO 8601 duration (e.g. PT15M, P1DT12H, P2W, P1Y2M)"
        )
    parts = match.groupdict()

    def number(name: str) -> int:
        return int(parts[name] or 0)

    seconds = decimal.Decimal((parts["seconds"] or "0").replace(",", "."))
    seconds += number("hours") * 3600 + number("minutes") * 60
    duration = IsoDuration(
        years=number("years"),
        months=number("months"),
        days=number("weeks") * 7 + number("days"),
        seconds=seconds,
        negative=parts["sign"] == "-",
    )
    approximate_days = (
        duration.years * 366 + duration.months * 31 + duration.days + float(seconds) / 86400
    )
    if approximate_days > _MAX_DURATION_DAYS:
        raise TimerValueError(f"duration {text!r} is longer than 1000 years")
    return duration


@functools.lru_cache(maxsize=1024)
def parse_date(text: str) -> dt.datetime:
    """An ISO 8601 date and time with an offset and/or a zone id, as an aware datetime."""
    stripped = text.strip()
    zone: zoneinfo.ZoneInfo | None = None
    suffixed = _ZONE_SUFFIX.match(stripped)
    if suffixed is not None:
        stripped = suffixed["stamp"]
        try:
            zone = zoneinfo.ZoneInfo(suffixed["zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise TimerValueError(f"{text!r} names an unknown time zone") from None
    if "T" not in stripped:
        raise TimerValueError(f"{text!r} is not a date and time (e.g. 2025-03-01T09:00:00Z)")
    try:
        moment = dt.datetime.fromisoformat(stripped)
    except ValueError:
        raise TimerValueError(
            f"{text!r} is not an ISO 8601 date and time (e.g. 2025-03-01T09:00:00Z)"
        ) from None
    if zone is not None:
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    if moment.tzinfo is None:
        raise TimerValueError(f"{text!r} needs a time zone offset (e.g. Z or +01:00)")
    return moment


@functools.lru_cache(maxsize=1024)
def parse_cycle(text: str) -> Cycle:
    """``R[n]/[start/]duration`` or a cron expression (five or six fields, or ``@daily``...)."""
    stripped = text.strip()
    if stripped.startswith("R"):
        return _parse_repeating(text, stripped)
    fields = stripped.split()
    if stripped.startswith("@") or len(fields) in (5, 6):
        seconds_first = len(fields) == 6
        if not croniter.is_valid(stripped, second_at_beginning=seconds_first):
            raise TimerValueError(f"{text!r} is not a valid cron expression")
        return CronSchedule(stripped, seconds_first)
    raise TimerValueError(
        f"{text!r} is neither a repeating interval (e.g. R3/PT10M) nor a cron expression"
    )


def _parse_repeating(text: str, stripped: str) -> RepeatingInterval:
    parts = stripped.split("/")
    count = _REPEAT.fullmatch(parts[0])
    if count is None or len(parts) not in (2, 3):
        raise TimerValueError(
            f"{text!r} is not a repeating interval (R[n]/[start/]duration, e.g. R3/PT10M)"
        )
    repetitions = int(count["count"]) if count["count"] else None
    if repetitions == 0:
        raise TimerValueError(f"{text!r} repeats zero times")
    start = parse_date(parts[1]) if len(parts) == 3 else None
    interval = parse_duration(parts[-1])
    if interval.negative or interval.is_zero:
        raise TimerValueError(f"{text!r} needs a positive interval")
    return RepeatingInterval(repetitions, interval, start)


def parse_timer_value(kind: TimerKind, text: str) -> dt.datetime | IsoDuration | Cycle:
    """The parsed form of a static timer value of the given kind."""
    if kind == "date":
        return parse_date(text)
    if kind == "duration":
        return parse_duration(text)
    return parse_cycle(text)


def first_occurrence(kind: TimerKind, value: object, *, now: dt.datetime) -> TimerOccurrence | None:
    """When a timer created at ``now`` first fires; None when a cycle has no occurrence left.

    ``value`` is the static text from the model or a FEEL result: a string, a FEEL duration
    (``DayTimeDuration``/``YearMonthDuration``), a ``timedelta``, a ``date`` or ``datetime``
    (naive values are UTC), or an already parsed value from this module.
    """
    now = _aware(now)
    if kind == "date":
        return TimerOccurrence(_as_datetime(value), 0)
    if kind == "duration":
        return TimerOccurrence(_as_duration(value).add_to(now), 0)
    cycle = _as_cycle(value)
    if isinstance(cycle, CronSchedule):
        return TimerOccurrence(_next_cron(cycle, now), None)
    if cycle.start is None:
        return TimerOccurrence(cycle.interval.add_to(now), _after_one(cycle.repetitions))
    # A series whose start has passed resumes at its first slot after now.
    if cycle.start >= now:
        return TimerOccurrence(cycle.start, _after_one(cycle.repetitions))
    passed = TimerOccurrence(cycle.start, _after_one(cycle.repetitions))
    return _skip_to_future(cycle, passed, now)


def next_occurrence(
    value: object, previous: TimerOccurrence, *, now: dt.datetime
) -> TimerOccurrence | None:
    """The occurrence of a cycle after ``previous`` (which just fired); None when it is over."""
    cycle = _as_cycle(value)
    now = _aware(now)
    if isinstance(cycle, CronSchedule):
        return TimerOccurrence(_next_cron(cycle, max(previous.due, now)), None)
    if previous.remaining == 0:
        return None
    return _skip_to_future(cycle, previous, now)


def _skip_to_future(
    cycle: RepeatingInterval, previous: TimerOccurrence, now: dt.datetime
) -> TimerOccurrence | None:
    """Step the series from ``previous`` to its first slot after ``now``, counting every slot
    stepped over (``previous.remaining`` counts slots after ``previous.due``)."""
    due, remaining = previous.due, previous.remaining
    interval = cycle.interval
    if not (interval.years or interval.months or interval.days) and due <= now:
        # Elapsed-time intervals: jump straight to the last slot not after now.
        step = dt.timedelta(seconds=float(interval.seconds))
        skipped = int((now - due) / step)
        if remaining is not None:
            skipped = min(skipped, remaining)
            remaining -= skipped
        due = due + step * skipped
    for _ in range(_MAX_SKIPPED_OCCURRENCES):
        if remaining == 0:
            return None
        due = cycle.interval.add_to(due)
        remaining = None if remaining is None else remaining - 1
        if due > now:
            return TimerOccurrence(due, remaining)
    return TimerOccurrence(cycle.interval.add_to(now), remaining)


def _after_one(repetitions: int | None) -> int | None:
    return None if repetitions is None else repetitions - 1


def _next_cron(cron: CronSchedule, after: dt.datetime) -> dt.datetime:
    schedule = croniter(
        cron.expression,
        after.astimezone(dt.UTC),
        second_at_beginning=cron.seconds_first,
        # Spring (six-field) cron requires both day fields to match; classic cron either one.
        day_or=not cron.seconds_first,
    )
    moment: dt.datetime = schedule.get_next(dt.datetime)
    return moment


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, WideDateTime):
        # FEEL keeps years beyond 9999 and nanoseconds; a due date needs a Python datetime.
        try:
            value = value.to_python()
        except InvalidTemporal as exc:
            raise TimerValueError(f"a timer date must fall in the years 1 to 9999: {exc}") from None
    if isinstance(value, dt.datetime):
        return _aware(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    raise TimerValueError(f"a timer date must be a date and time, not {_describe(value)}")


def _as_duration(value: object) -> IsoDuration:
    if isinstance(value, IsoDuration):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, DayTimeDuration):
        seconds = value.seconds
        return IsoDuration(seconds=abs(seconds), negative=seconds < 0)
    if isinstance(value, YearMonthDuration):
        return IsoDuration(months=abs(value.months), negative=value.months < 0)
    if isinstance(value, dt.timedelta):
        seconds = decimal.Decimal(str(value.total_seconds()))
        return IsoDuration(seconds=abs(seconds), negative=seconds < 0)
    raise TimerValueError(f"a timer duration must be a duration, not {_describe(value)}")


def _as_cycle(value: object) -> Cycle:
    if isinstance(value, RepeatingInterval | CronSchedule):
        return value
    if isinstance(value, str):
        return parse_cycle(value)
    raise TimerValueError(f"a timer cycle must be a string, not {_describe(value)}")


def _describe(value: object) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r}"[:80]


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """Calendar month arithmetic, keeping the day where the month has it, else its last day."""
    if months == 0:
        return moment
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise TimerValueError("the timer would fall outside the years 1 to 9999")
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
