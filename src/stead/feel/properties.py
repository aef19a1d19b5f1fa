"""Properties of non-context values: ``date.year``, ``time.hour``, ``range.start`` ..."""

from __future__ import annotations

import datetime as dt
import decimal
import zoneinfo
from collections.abc import Callable
from typing import Any

from stead.feel.values import (
    DayTimeDuration,
    FeelEvalError,
    Range,
    YearMonthDuration,
    type_name,
)

__all__ = ["get_property", "time_offset", "timezone_name"]

Number = decimal.Decimal


def time_offset(value: dt.time | dt.datetime) -> DayTimeDuration | None:
    """The offset from UTC as a duration; None when local or (for a time) zone-dependent."""
    offset = value.utcoffset()
    if offset is None:
        return None
    return DayTimeDuration(Number(int(offset.total_seconds())))


def timezone_name(value: dt.time | dt.datetime) -> str | None:
    """The IANA zone id of a zoned value; None for a local or fixed-offset one."""
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        return value.tzinfo.key
    return None


def _seconds(value: dt.time | dt.datetime) -> Number:
    whole = Number(value.second)
    if not value.microsecond:
        return whole
    return whole + Number(value.microsecond).scaleb(-6)


_DATE_PROPERTIES: dict[str, Callable[[dt.date], Any]] = {
    "year": lambda d: Number(d.year),
    "month": lambda d: Number(d.month),
    "day": lambda d: Number(d.day),
    "weekday": lambda d: Number(d.isoweekday()),
}

_TIME_PROPERTIES: dict[str, Callable[[Any], Any]] = {
    "hour": lambda t: Number(t.hour),
    "minute": lambda t: Number(t.minute),
    "second": _seconds,
    "time offset": time_offset,
    "timezone": timezone_name,
}


def _signed_component(duration: DayTimeDuration, unit: int, modulus: int | None) -> Number:
    magnitude = abs(duration.seconds)
    whole = int(magnitude) // unit
    value = whole % modulus if modulus is not None else whole
    return Number(-value if duration.seconds < 0 else value)


def _duration_seconds(duration: DayTimeDuration) -> Number:
    magnitude = abs(duration.seconds)
    seconds = magnitude - (int(magnitude) // 60) * 60
    return -seconds if duration.seconds < 0 else seconds


_DAY_TIME_PROPERTIES: dict[str, Callable[[DayTimeDuration], Any]] = {
    "days": lambda d: _signed_component(d, 86400, None),
    "hours": lambda d: _signed_component(d, 3600, 24),
    "minutes": lambda d: _signed_component(d, 60, 60),
    "seconds": _duration_seconds,
}


def _year_month_component(duration: YearMonthDuration, years: bool) -> Number:
    magnitude = abs(duration.months)
    value = magnitude // 12 if years else magnitude % 12
    return Number(-value if duration.months < 0 else value)


_YEAR_MONTH_PROPERTIES: dict[str, Callable[[YearMonthDuration], Any]] = {
    "years": lambda d: _year_month_component(d, True),
    "months": lambda d: _year_month_component(d, False),
}

_RANGE_PROPERTIES: dict[str, Callable[[Range], Any]] = {
    "start": lambda r: r.start,
    "end": lambda r: r.end,
    "start included": lambda r: r.start_included,
    "end included": lambda r: r.end_included,
}


def _lookup(table: dict[str, Callable[[Any], Any]], value: Any, name: str) -> Any:
    getter = table.get(name)
    if getter is None:
        known = ", ".join(table)
        raise FeelEvalError(f"a {type_name(value)} has no property {name!r} (it has: {known})")
    return getter(value)


def get_property(value: Any, name: str) -> Any:
    """The property ``name`` of a date, time, date and time, duration or range.

    Null has every property (all null); any other value raises FeelEvalError for a name
    it does not have.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if name in _DATE_PROPERTIES:
            return _DATE_PROPERTIES[name](value.date())
        return _lookup(_TIME_PROPERTIES, value, name)
    if isinstance(value, dt.date):
        return _lookup(_DATE_PROPERTIES, value, name)
    if isinstance(value, dt.time):
        return _lookup(_TIME_PROPERTIES, value, name)
    if isinstance(value, DayTimeDuration):
        return _lookup(_DAY_TIME_PROPERTIES, value, name)
    if isinstance(value, YearMonthDuration):
        return _lookup(_YEAR_MONTH_PROPERTIES, value, name)
    if isinstance(value, Range):
        return _lookup(_RANGE_PROPERTIES, value, name)
    raise FeelEvalError(f"a {type_name(value)} has no property {name!r}")
