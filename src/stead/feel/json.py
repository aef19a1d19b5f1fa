"""Conversion between FEEL values and JSON-compatible Python values (see docs/feel.md)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import zoneinfo
from typing import Any

from stead.feel.temporal import format_date
from stead.feel.values import DayTimeDuration, YearMonthDuration
from stead.feel.wide_temporal import clock_parts, is_date, is_date_time, is_time, offset_of

__all__ = ["from_json", "to_json"]


def from_json(obj: Any) -> Any:
    """A FEEL value for a JSON-decoded value: numbers become Decimals, strings stay strings."""
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, int):
        return decimal.Decimal(obj)
    if isinstance(obj, float):
        # The shortest repr gives the number the JSON text meant: 0.1, not 0.1000000000000000055.
        return decimal.Decimal(repr(obj)) if math.isfinite(obj) else None
    if isinstance(obj, decimal.Decimal):
        return obj if obj.is_finite() else None
    if isinstance(obj, list | tuple):
        return [from_json(item) for item in obj]
    if isinstance(obj, dict):
        return {str(key): from_json(value) for key, value in obj.items()}
    raise TypeError(f"not a JSON value: {type(obj).__name__}")


def to_json(value: Any) -> Any:
    """A JSON-compatible value for a FEEL value (ranges and functions become None)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value() and value.adjusted() < 34:
            return int(value)
        number = float(value)
        # Beyond the range of a double there is no JSON number for it: keep the digits.
        return number if math.isfinite(number) else str(value)
    if isinstance(value, int | float):
        return value
    if is_date_time(value):
        return _date_time(value)
    if is_date(value):
        return format_date(value)
    if is_time(value):
        return _time(value)
    if isinstance(value, DayTimeDuration):
        return _day_time(value.seconds)
    if isinstance(value, YearMonthDuration):
        return _year_month(value.months)
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    return None  # ranges, functions: no JSON form


def _clock(value: Any) -> str:
    hour, minute, second, nanosecond, _ = clock_parts(value)
    text = f"{hour:02d}:{minute:02d}:{second:02d}"
    if nanosecond:
        text += f".{nanosecond:09d}".rstrip("0")
    return text


def _offset(delta: dt.timedelta | None) -> str:
    if delta is None:
        return ""
    if not delta:
        return "Z"
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    text = f"{sign}{hours:02d}:{rest // 60:02d}"
    return text + (f":{rest % 60:02d}" if rest % 60 else "")


def _date_time(value: Any) -> str:
    text = format_date(value) + "T" + _clock(value) + _offset(offset_of(value))
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        text += f"[{value.tzinfo.key}]"  # RFC 9557 zone suffix
    return text


def _time(value: Any) -> str:
    if isinstance(value.tzinfo, zoneinfo.ZoneInfo):
        # A time alone has no offset in a zone with daylight saving: FEEL's own form.
        return _clock(value) + "@" + value.tzinfo.key
    return _clock(value) + _offset(offset_of(value))


def _day_time(seconds: decimal.Decimal) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    whole = int(seconds)
    fraction = seconds - whole
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{sign}P" + (f"{days}D" if days else "")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if secs or fraction:
        clock += _number(secs + fraction) + "S"
    if clock:
        text += "T" + clock
    return text if text not in ("P", "-P") else "PT0S"


def _number(value: decimal.Decimal | int) -> str:
    text = format(decimal.Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _year_month(months: int) -> str:
    sign = "-" if months < 0 else ""
    years, rest = divmod(abs(months), 12)
    text = f"{sign}P" + (f"{years}Y" if years else "") + (f"{rest}M" if rest else "")
    return text if text not in ("P", "-P") else "P0M"
