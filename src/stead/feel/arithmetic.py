"""FEEL arithmetic: + - * / ** and negation for numbers, strings, temporals and durations."""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

from stead.feel.temporal import to_timedelta
from stead.feel.values import (
    DECIMAL_CONTEXT,
    DayTimeDuration,
    FeelEvalError,
    YearMonthDuration,
    time_as_instant,
    type_name,
)
from stead.feel.wide_arithmetic import is_temporal, is_wide, wide_difference, wide_plus
from stead.feel.wide_temporal import WideDate, WideDateTime, WideTime

__all__ = [
    "add",
    "add_months",
    "divide",
    "multiply",
    "negate",
    "power",
    "subtract",
]

Number = decimal.Decimal
_UTC = dt.UTC


def _is_number(value: Any) -> bool:
    return isinstance(value, decimal.Decimal)


def _decimal_op(operation: Callable[[], Number], what: str) -> Number:
    """Run a Decimal operation, turning overflow, division by zero etc. into FeelEvalError."""
    try:
        result = operation()
    except decimal.DivisionByZero:
        raise FeelEvalError(f"{what}: division by zero") from None
    except decimal.DecimalException as exc:
        raise FeelEvalError(f"{what}: {type(exc).__name__}") from None
    if not result.is_finite():
        # FEEL numbers have no infinities: 0 ** -1 has no value.
        raise FeelEvalError(f"{what}: the result is not a finite number")
    return result


def _invalid(operator: str, left: Any, right: Any) -> FeelEvalError:
    return FeelEvalError(f"cannot apply '{operator}' to {type_name(left)} and {type_name(right)}")


def _temporal_guard(operation: Callable[[], Any], what: str) -> Any:
    """Run date arithmetic, turning a result outside the calendar into FeelEvalError."""
    try:
        return operation()
    except (OverflowError, ValueError):
        raise FeelEvalError(f"{what}: the result is outside the supported date range") from None


def add_months(value: dt.date, months: int) -> dt.date:
    """``value`` moved by whole months; the day is clamped to the end of a shorter month."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise FeelEvalError("the result is outside the supported date range")
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def _shift_date_time(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """An instant moved by an exact amount of time; a zone id keeps applying its rules."""
    if value.tzinfo is None:
        return value + delta
    return (value.astimezone(_UTC) + delta).astimezone(value.tzinfo)


def _shift_time(value: dt.time, delta: dt.timedelta) -> dt.time:
    """A time of day moved by an amount of time, wrapping around midnight."""
    base = dt.datetime.combine(dt.date(2000, 1, 1), value.replace(tzinfo=None))
    seconds = delta.total_seconds() % 86400
    moved = base + dt.timedelta(seconds=seconds)
    return moved.time().replace(tzinfo=value.tzinfo)


def _midnight_utc(value: dt.date) -> dt.datetime:
    # Where a date meets a date-time, FEEL takes it as UTC midnight of that day.
    return dt.datetime.combine(value, dt.time(), _UTC)


def _date_plus(value: dt.date, duration: Any, sign: int) -> Any:
    if isinstance(duration, YearMonthDuration):
        return add_months(value, sign * duration.months)
    if isinstance(duration, DayTimeDuration):
        delta = to_timedelta(duration) * sign
        return (dt.datetime.combine(value, dt.time()) + delta).date()
    return NotImplemented


def _date_time_plus(value: dt.datetime, duration: Any, sign: int) -> Any:
    if isinstance(duration, YearMonthDuration):
        moved = add_months(value.date(), sign * duration.months)
        return dt.datetime.combine(moved, value.timetz())
    if isinstance(duration, DayTimeDuration):
        return _shift_date_time(value, to_timedelta(duration) * sign)
    return NotImplemented


def _temporal_plus(value: Any, duration: Any, sign: int) -> Any:
    """A date, date-time or time moved by a duration; NotImplemented if not applicable."""
    if isinstance(value, WideDate | WideTime | WideDateTime):
        return wide_plus(value, duration, sign)
    try:
        return _python_plus(value, duration, sign)
    except (OverflowError, ValueError, FeelEvalError):
        # The result leaves Python's calendar: compute it on fields instead.
        if isinstance(value, dt.date | dt.time):
            return wide_plus(value, duration, sign)
        raise


def _python_plus(value: Any, duration: Any, sign: int) -> Any:
    if isinstance(value, dt.datetime):
        return _date_time_plus(value, duration, sign)
    if isinstance(value, dt.date):
        return _date_plus(value, duration, sign)
    if isinstance(value, dt.time) and isinstance(duration, DayTimeDuration):
        return _shift_time(value, to_timedelta(duration) * sign)
    return NotImplemented


def add(left: Any, right: Any) -> Any:
    """FEEL ``left + right``."""
    if left is None or right is None:
        return None
    if _is_number(left) and _is_number(right):
        return _decimal_op(lambda: DECIMAL_CONTEXT.add(left, right), "addition")
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    if isinstance(left, DayTimeDuration) and isinstance(right, DayTimeDuration):
        return DayTimeDuration(
            _decimal_op(lambda: DECIMAL_CONTEXT.add(left.seconds, right.seconds), "addition")
        )
    if isinstance(left, YearMonthDuration) and isinstance(right, YearMonthDuration):
        return YearMonthDuration(left.months + right.months)
    if isinstance(right, DayTimeDuration | YearMonthDuration):
        result = _temporal_guard(lambda: _temporal_plus(left, right, 1), "addition")
    elif isinstance(left, DayTimeDuration | YearMonthDuration):
        result = _temporal_guard(lambda: _temporal_plus(right, left, 1), "addition")
    else:
        result = NotImplemented
    if result is NotImplemented:
        raise _invalid("+", left, right)
    return result


def _seconds_between(later: dt.datetime, earlier: dt.datetime) -> DayTimeDuration:
    delta = later - earlier
    micro = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return DayTimeDuration(DECIMAL_CONTEXT.divide(Number(micro), Number(1_000_000)))


def _as_instant_pair(left: Any, right: Any) -> tuple[dt.datetime, dt.datetime] | None:
    """Two dates/date-times made comparable, or None when one is local and one zoned."""
    if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
        a, b = left, right
    elif isinstance(left, dt.datetime):
        a, b = left, _midnight_utc(right)
    elif isinstance(right, dt.datetime):
        a, b = _midnight_utc(left), right
    else:
        return dt.datetime.combine(left, dt.time()), dt.datetime.combine(right, dt.time())
    if (a.tzinfo is None) != (b.tzinfo is None):
        return None
    if a.tzinfo is not None:
        return a.astimezone(_UTC), b.astimezone(_UTC)
    return a, b


def _time_difference(left: dt.time, right: dt.time) -> DayTimeDuration | None:
    if (left.tzinfo is None) != (right.tzinfo is None):
        return None
    if left.tzinfo is None:
        day = dt.date(2000, 1, 1)
        return _seconds_between(dt.datetime.combine(day, left), dt.datetime.combine(day, right))
    a, b = time_as_instant(left), time_as_instant(right)
    if a is None or b is None:
        return None
    return _seconds_between(a, b)


def subtract(left: Any, right: Any) -> Any:
    """FEEL ``left - right``."""
    if left is None or right is None:
        return None
    if _is_number(left) and _is_number(right):
        return _decimal_op(lambda: DECIMAL_CONTEXT.subtract(left, right), "subtraction")
    if isinstance(left, DayTimeDuration) and isinstance(right, DayTimeDuration):
        return DayTimeDuration(
            _decimal_op(
                lambda: DECIMAL_CONTEXT.subtract(left.seconds, right.seconds), "subtraction"
            )
        )
    if isinstance(left, YearMonthDuration) and isinstance(right, YearMonthDuration):
        return YearMonthDuration(left.months - right.months)
    if (is_wide(left) or is_wide(right)) and is_temporal(left) and is_temporal(right):
        difference = wide_difference(left, right)
        if difference is not None:
            return difference
    if isinstance(left, dt.date) and isinstance(right, dt.date):
        pair = _temporal_guard(lambda: _as_instant_pair(left, right), "subtraction")
        if pair is None:
            raise FeelEvalError("cannot subtract a date and time with a time zone and one without")
        return _seconds_between(*pair)
    if isinstance(left, dt.time) and isinstance(right, dt.time):
        difference = _time_difference(left, right)
        if difference is None:
            raise FeelEvalError("cannot subtract a time with a time zone and one without")
        return difference
    if isinstance(right, DayTimeDuration | YearMonthDuration):
        result = _temporal_guard(lambda: _temporal_plus(left, right, -1), "subtraction")
        if result is not NotImplemented:
            return result
    raise _invalid("-", left, right)


def _scale_months(months: int, factor: Number, what: str) -> YearMonthDuration:
    # A fraction of a month is dropped (rounding toward zero).
    scaled = _decimal_op(lambda: DECIMAL_CONTEXT.multiply(Number(months), factor), what)
    return YearMonthDuration(int(scaled.to_integral_value(decimal.ROUND_DOWN)))


def multiply(left: Any, right: Any) -> Any:
    """FEEL ``left * right``."""
    if left is None or right is None:
        return None
    if _is_number(left) and _is_number(right):
        return _decimal_op(lambda: DECIMAL_CONTEXT.multiply(left, right), "multiplication")
    if _is_number(left) and isinstance(right, DayTimeDuration | YearMonthDuration):
        left, right = right, left
    if isinstance(left, DayTimeDuration) and _is_number(right):
        seconds = _decimal_op(
            lambda: DECIMAL_CONTEXT.multiply(left.seconds, right), "multiplication"
        )
        return DayTimeDuration(seconds)
    if isinstance(left, YearMonthDuration) and _is_number(right):
        return _scale_months(left.months, right, "multiplication")
    raise _invalid("*", left, right)


def divide(left: Any, right: Any) -> Any:
    """FEEL ``left / right``; division by zero is an error."""
    if left is None or right is None:
        return None
    if _is_number(right) and not right:
        raise FeelEvalError("division by zero")
    if _is_number(left) and _is_number(right):
        return _decimal_op(lambda: DECIMAL_CONTEXT.divide(left, right), "division")
    if isinstance(left, DayTimeDuration) and _is_number(right):
        return DayTimeDuration(
            _decimal_op(lambda: DECIMAL_CONTEXT.divide(left.seconds, right), "division")
        )
    if isinstance(left, YearMonthDuration) and _is_number(right):
        quotient = _decimal_op(lambda: DECIMAL_CONTEXT.divide(Number(left.months), right), "/")
        return YearMonthDuration(int(quotient.to_integral_value(decimal.ROUND_DOWN)))
    if isinstance(left, DayTimeDuration) and isinstance(right, DayTimeDuration):
        if not right.seconds:
            raise FeelEvalError("division by a zero duration")
        return _decimal_op(lambda: DECIMAL_CONTEXT.divide(left.seconds, right.seconds), "/")
    if isinstance(left, YearMonthDuration) and isinstance(right, YearMonthDuration):
        if not right.months:
            raise FeelEvalError("division by a zero duration")
        return _decimal_op(
            lambda: DECIMAL_CONTEXT.divide(Number(left.months), Number(right.months)), "/"
        )
    raise _invalid("/", left, right)


def power(left: Any, right: Any) -> Any:
    """FEEL ``left ** right`` for numbers."""
    if left is None or right is None:
        return None
    if not (_is_number(left) and _is_number(right)):
        raise _invalid("**", left, right)
    return _decimal_op(lambda: DECIMAL_CONTEXT.power(left, right), "exponentiation")


def negate(value: Any) -> Any:
    """FEEL unary minus."""
    if value is None:
        return None
    if _is_number(value):
        return DECIMAL_CONTEXT.minus(value)
    if isinstance(value, DayTimeDuration):
        return DayTimeDuration(-value.seconds)
    if isinstance(value, YearMonthDuration):
        return YearMonthDuration(-value.months)
    raise FeelEvalError(f"cannot negate a {type_name(value)}")
