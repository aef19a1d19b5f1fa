"""Temporal arithmetic on calendar fields and nanoseconds, for any year and precision.

:mod:`stead.feel.arithmetic` uses Python's ``datetime`` arithmetic where it can; these
functions serve the values it cannot hold (see :mod:`stead.feel.wide_temporal`) and the
results that leave its range. Results are again Python values whenever one can hold them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import zoneinfo
from typing import Any

from stead.feel.values import DECIMAL_CONTEXT, DayTimeDuration, FeelEvalError, YearMonthDuration
from stead.feel.wide_temporal import (
    NANOS_PER_DAY,
    NANOS_PER_SECOND,
    WideDate,
    WideDateTime,
    WideTime,
    civil_from_days,
    clock_parts,
    date_parts,
    days_in_month,
    from_local_nanos,
    is_date,
    is_time,
    local_nanos,
    make_date,
    make_date_time,
    make_time,
    offset_at_instant,
    offset_of,
    time_from_nanos,
)

__all__ = ["duration_nanos", "is_temporal", "is_wide", "wide_difference", "wide_plus"]

Number = decimal.Decimal


def wide_plus(value: Any, duration: Any, sign: int) -> Any:
    """A temporal moved by a duration, on calendar fields and nanoseconds.

    This serves the values Python's ``datetime`` cannot hold (and results that leave its
    range); the result is again a Python value whenever one can hold it.
    """
    if isinstance(duration, YearMonthDuration):
        if is_time(value):
            return NotImplemented
        year, month, day = date_parts(value)
        shifted_year, month_index = divmod(year * 12 + month - 1 + sign * duration.months, 12)
        last_day = days_in_month(shifted_year, month_index + 1)
        moved = make_date(shifted_year, month_index + 1, min(day, last_day))
        return moved if is_date(value) else make_date_time(moved, make_time(*clock_parts(value)))
    if not isinstance(duration, DayTimeDuration):
        return NotImplemented
    delta = duration_nanos(duration) * sign
    if is_time(value):
        return time_from_nanos(local_nanos(value) + delta, value.tzinfo)
    if is_date(value):
        return make_date(*civil_from_days((local_nanos(value) + delta) // NANOS_PER_DAY))
    tzinfo = value.tzinfo
    if isinstance(tzinfo, zoneinfo.ZoneInfo):
        # Exact time passes on the instant; the zone's rules then give the new wall clock.
        instant = local_nanos(value) - _offset_nanos(value) + delta
        return from_local_nanos(instant + _nanos(offset_at_instant(instant, tzinfo)), tzinfo)
    return from_local_nanos(local_nanos(value) + delta, tzinfo)


def duration_nanos(duration: DayTimeDuration) -> int:
    """The duration in whole nanoseconds (finer fractions are dropped)."""
    try:
        return int(duration.seconds.scaleb(9).to_integral_value(decimal.ROUND_DOWN))
    except (OverflowError, decimal.DecimalException):
        raise FeelEvalError("the duration is too large for date arithmetic") from None


def _nanos(offset: dt.timedelta | None) -> int:
    if offset is None:
        return 0
    return (offset.days * 86400 + offset.seconds) * NANOS_PER_SECOND + offset.microseconds * 1000


def _offset_nanos(value: Any) -> int:
    return _nanos(offset_of(value))


def is_temporal(value: Any) -> bool:
    """Whether ``value`` is a date, time or date and time of either representation."""
    return isinstance(value, dt.date | dt.time | WideDate | WideTime | WideDateTime)


def is_wide(value: Any) -> bool:
    """Whether ``value`` is held by one of the wide classes."""
    return isinstance(value, WideDate | WideTime | WideDateTime)


def _instant_nanos(value: Any) -> tuple[int, bool]:
    """Nanoseconds from the epoch and whether they are an instant (zoned) or a local reading."""
    if is_date(value):
        return local_nanos(value), False
    offset = offset_of(value)
    return local_nanos(value) - _nanos(offset), offset is not None


def wide_difference(left: Any, right: Any) -> DayTimeDuration | None:
    """``left - right`` for dates, times and date-times of either representation."""
    if is_time(left) != is_time(right):
        return None
    if is_time(left):
        (a, a_zoned), (b, b_zoned) = _instant_nanos(left), _instant_nanos(right)
    elif is_date(left) and is_date(right):
        (a, a_zoned), (b, b_zoned) = (local_nanos(left), False), (local_nanos(right), False)
    else:
        # Where a date meets a date-time, FEEL takes it as UTC midnight of that day.
        a, a_zoned = _instant_nanos(left)
        b, b_zoned = _instant_nanos(right)
        if is_date(left):
            a_zoned = b_zoned
        if is_date(right):
            b_zoned = a_zoned
    if a_zoned != b_zoned:
        raise FeelEvalError("cannot subtract a value with a time zone and one without")
    return DayTimeDuration(DECIMAL_CONTEXT.divide(Number(a - b), Number(NANOS_PER_SECOND)))
