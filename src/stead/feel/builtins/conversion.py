"""Conversion functions: date, time, date and time, duration, number, string."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

from stead.feel import temporal
from stead.feel.builtins.registry import (
    builtin,
    require_date_like,
    require_integer,
    require_number,
    require_string,
    unwrap_singleton,
)
from stead.feel.values import (
    DayTimeDuration,
    FeelEvalError,
    FeelFunction,
    Range,
    YearMonthDuration,
    type_name,
)
from stead.feel.wide_temporal import (
    InvalidTemporal,
    WideDate,
    WideDateTime,
    WideTime,
    clock_parts,
    make_date,
    make_date_time,
    make_time,
)

__all__ = ["format_number", "to_feel_string"]

Number = decimal.Decimal

_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPING_SEPARATORS = (" ", ",", ".")
_DECIMAL_SEPARATORS = (",", ".")


def format_number(value: Number) -> str:
    """A number in plain notation (no exponent), as ``string()`` shows it."""
    if value.is_zero():
        # Negative zero reads as zero; a zero that underflowed keeps no scale of thousands.
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -34:
            return "0"
        return format(abs(value), "f")
    return format(value, "f")


# A context key shown bare must read back as a name; any other key is shown as a string.
_PLAIN_KEY = re.compile(r"[^\W\d]\w*(?: \w+)*")


def _key_string(key: str) -> str:
    return key if _PLAIN_KEY.fullmatch(key) else _nested_string(key)


def _nested_string(value: Any) -> str:
    """How a value reads inside a list, context or range shown by ``string()``."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    return to_feel_string(value)


def to_feel_string(value: Any) -> str:
    """The FEEL ``string()`` form of any non-null value."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Number):
        return format_number(value)
    text = temporal.format_temporal(value)
    if text is not None:
        return text
    if isinstance(value, list):
        return "[" + ", ".join(_nested_string(item) for item in value) + "]"
    if isinstance(value, dict):
        entries = (f"{_key_string(key)}: {_nested_string(item)}" for key, item in value.items())
        return "{" + ", ".join(entries) + "}"
    if isinstance(value, Range):
        start = "" if value.start is None else _nested_string(value.start)
        end = "" if value.end is None else _nested_string(value.end)
        opening = "[" if value.start_included else "("
        closing = "]" if value.end_included else ")"
        return f"{opening}{start}..{end}{closing}"
    if isinstance(value, FeelFunction):
        return f"function {value.name}"
    return str(value)


@builtin("string", "from")
def string(value: Any) -> str | None:
    if value is None:
        return None
    return to_feel_string(value)


@builtin("date", "from")
def date_from(value: Any) -> dt.date | WideDate:
    value = unwrap_singleton(value)
    if isinstance(value, str):
        return temporal.parse_date(value)
    return require_date_like("date", "from", value)


@builtin("date", "year", "month", "day")
def date_from_parts(year: Any, month: Any, day: Any) -> dt.date | WideDate:
    y = require_integer("date", "year", year)
    m = require_integer("date", "month", month)
    d = require_integer("date", "day", day)
    try:
        return make_date(y, m, d)
    except InvalidTemporal as exc:
        raise FeelEvalError(f"date: {exc}") from None


@builtin("date and time", "from")
def date_and_time_from(value: Any) -> dt.datetime | WideDateTime:
    value = unwrap_singleton(value)
    if isinstance(value, str):
        return temporal.parse_date_time(value)
    if isinstance(value, dt.datetime | WideDateTime):
        return value
    if isinstance(value, dt.date | WideDate):
        return make_date_time(value, dt.time())
    raise FeelEvalError(f"date and time: cannot convert a {type_name(value)}")


@builtin("date and time", "date", "time")
def date_and_time_from_parts(date: Any, time: Any) -> dt.datetime | WideDateTime:
    # Only the calendar day of ``date`` counts; the zone, if any, comes from ``time``.
    day = require_date_like("date and time", "date", date)
    time = unwrap_singleton(time)
    if not isinstance(time, dt.time | WideTime):
        raise FeelEvalError(
            f"date and time: parameter 'time' must be a time, not {type_name(time)}"
        )
    return make_date_time(day, time)


@builtin("time", "from")
def time_from(value: Any) -> dt.time | WideTime:
    value = unwrap_singleton(value)
    if isinstance(value, str):
        return temporal.parse_time(value)
    if isinstance(value, dt.datetime):
        return value.timetz()
    if isinstance(value, WideDateTime):
        return make_time(*clock_parts(value))
    if isinstance(value, dt.date | WideDate):
        # A date converts as UTC midnight.
        return dt.time(0, 0, 0, tzinfo=dt.UTC)
    if isinstance(value, dt.time | WideTime):
        return value
    raise FeelEvalError(f"time: cannot convert a {type_name(value)}")


@builtin("time", "hour", "minute", "second", "offset?")
def time_from_parts(hour: Any, minute: Any, second: Any, offset: Any = None) -> dt.time | WideTime:
    h = require_integer("time", "hour", hour)
    m = require_integer("time", "minute", minute)
    s = require_number("time", "second", second)
    if not (0 <= h <= 23 and 0 <= m <= 59 and 0 <= s < 60):
        raise FeelEvalError(f"time: {h}:{m}:{s} is not a valid time of day")
    whole = int(s)
    nano = int(((s - whole) * 1_000_000_000).to_integral_value(decimal.ROUND_DOWN))
    tzinfo: dt.tzinfo | None = None
    offset = unwrap_singleton(offset)
    if offset is not None:
        if not isinstance(offset, DayTimeDuration):
            raise FeelEvalError(
                f"time: parameter 'offset' must be a days and time duration, "
                f"not {type_name(offset)}"
            )
        tzinfo = temporal.make_offset(temporal.to_timedelta(offset))
    return make_time(h, m, whole, nano, tzinfo)


@builtin("duration", "from")
def duration(value: Any) -> DayTimeDuration | YearMonthDuration:
    return temporal.parse_duration(require_string("duration", "from", value))


def _months_between(start: dt.date | WideDate, end: dt.date | WideDate) -> int:
    """Whole months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


@builtin("years and months duration", "from", "to")
def years_and_months_duration(start: Any, end: Any) -> YearMonthDuration:
    first = require_date_like("years and months duration", "from", start)
    last = require_date_like("years and months duration", "to", end)
    return YearMonthDuration(_months_between(first, last))


def _separator(value: Any, allowed: tuple[str, ...], parameter: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise FeelEvalError(f"number: parameter '{parameter}' must be one of {shown} or null")
    return value


@builtin("number", "from")
def number_from(text: Any) -> Number:
    return number(text, None, None)


@builtin("number", "from", "grouping separator", "decimal separator")
def number(text: Any, grouping: Any, decimal_separator: Any) -> Number:
    source = require_string("number", "from", text)
    group = _separator(grouping, _GROUPING_SEPARATORS, "grouping separator")
    point = _separator(decimal_separator, _DECIMAL_SEPARATORS, "decimal separator")
    if group is not None and group == point:
        raise FeelEvalError("number: the grouping and decimal separators must differ")
    if group is not None:
        source = source.replace(group, "")
    if point is not None and point != ".":
        if "." in source:
            raise FeelEvalError(f"number: {text!r} is not a number")
        source = source.replace(point, ".")
    if not _NUMBER_TEXT.fullmatch(source):
        raise FeelEvalError(f"number: {text!r} is not a number")
    return Number(source)
