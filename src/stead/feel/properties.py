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
from stead.feel.wide_temporal import (
    WideDate,
    WideDateTime,
    WideTime,
    clock_parts,
    offset_of,
    proxy_date,
)

__all__ = ["get_property", "time_offset", "timezone_name"]

Number = decimal.Decimal


def time_offset(value: Any) -> DayTimeDuration | None:
    """The offset from UTC as a duration; None when local or (for a time) zone-dependent."""
    if isinstance(value, dt.time | dt.datetime):
        offset = value.utcoffset()
    elif isinstance(value, WideTime) and isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        offset = None  # like a Python time with a zone id: no offset without a date
    else:
        offset = offset_of(value)
    if offset is None:
        return None
    return DayTimeDuration(Number(int(offset.total_seconds())))


def timezone_name(value: Any) -> str | None:
    """The IANA zone id of a zoned value; None for a local or fixed-offset one."""
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        return value.tzinfo.key
    return None


def _seconds(value: Any) -> Number:
    _, _, second, nanosecond, _ = clock_parts(value)
    whole = Number(second)
    if not nanosecond:
        return whole
    return whole + Number(nanosecond).scaleb(-9)


_DATE_PROPERTIES: dict[str, Callable[[Any], Any]] = {
    "year": lambda d: Number(d.year),
    "month": lambda d: Number(d.month),
    "day": lambda d: Number(d.day),
    # Weekdays repeat with the 400-year cycle, so a proxy year in range gives the same one.
    "weekday": lambda d: Number(proxy_date(d).isoweekday()),
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
    if isinstance(value, dt.datetime | WideDateTime):
        if name in _DATE_PROPERTIES:
            return _DATE_PROPERTIES[name](value)
        return _lookup(_TIME_PROPERTIES, value, name)
    if isinstance(value, dt.date | WideDate):
        return _lookup(_DATE_PROPERTIES, value, name)
    if isinstance(value, dt.time | WideTime):
        return _lookup(_TIME_PROPERTIES, value, name)
    if isinstance(value, DayTimeDuration):
        return _lookup(_DAY_TIME_PROPERTIES, value, name)
    if isinstance(value, YearMonthDuration):
        return _lookup(_YEAR_MONTH_PROPERTIES, value, name)
    if isinstance(value, Range):
        return _lookup(_RANGE_PROPERTIES, value, name)
    raise FeelEvalError(f"a {type_name(value)} has no property {name!r}")
