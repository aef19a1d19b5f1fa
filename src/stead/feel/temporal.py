"""Parsing and canonical formatting of FEEL dates, times, date-times and durations."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import zoneinfo
from typing import Any

from stead.feel.values import DayTimeDuration, FeelEvalError, YearMonthDuration
from stead.feel.wide_temporal import (
    NANOS_PER_DAY,
    InvalidTemporal,
    WideDate,
    WideDateTime,
    WideTime,
    clock_parts,
    from_local_nanos,
    local_nanos,
    make_date,
    make_date_time,
    make_time,
    offset_of,
)

__all__ = [
    "format_date",
    "format_date_time",
    "format_day_time_duration",
    "format_temporal",
    "format_time",
    "format_year_month_duration",
    "make_offset",
    "parse_at_literal",
    "parse_date",
    "parse_date_time",
    "parse_duration",
    "parse_time",
    "parse_zone",
    "to_timedelta",
]

# XML Schema lexical forms, as FEEL's conversion functions accept them. A year has at least
# four digits and no superfluous leading zero; a leading "+" is not allowed.
_YEAR = r"(?P<year>-?(?:[1-9]\d{4,8}|\d{4}))"
_DATE = _YEAR + r"-(?P<month>\d{2})-(?P<day>\d{2})"
_TIME = (
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?:(?P<utc>Z)|(?P<offset>[+-]\d{2}:\d{2}(?::\d{2})?)|@(?P<zone>[^@\s]+))?"
)
_DATE_RE = re.compile(_DATE)
_TIME_RE = re.compile(_TIME)
_DATE_TIME_RE = re.compile(_DATE + "T" + _TIME)
_LOOKS_LIKE_DATE = re.compile(r"-?\d+-")
_DURATION_RE = re.compile(
    r"(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d*)?)S)?)?"
)

# XML Schema limits a time zone offset to fourteen hours either way.
_MAX_OFFSET = dt.timedelta(hours=14)
_SECONDS_PER_DAY = 86400


def _build_date(match: re.Match[str], text: str) -> dt.date | WideDate:
    try:
        return make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    except InvalidTemporal as exc:
        raise FeelEvalError(f"{text!r} is not a valid date: {exc}") from None


def parse_zone(zone_id: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone named ``zone_id``; FeelEvalError if there is none."""
    try:
        return zoneinfo.ZoneInfo(zone_id)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise FeelEvalError(f"unknown time zone {zone_id!r}") from None


def make_offset(offset: dt.timedelta) -> dt.tzinfo:
    """A fixed-offset tzinfo; an offset of zero is UTC (``Z``)."""
    if abs(offset) > _MAX_OFFSET:
        raise FeelEvalError(f"time offset {offset} is outside -14:00..+14:00")
    if not offset:
        return dt.UTC
    return dt.timezone(offset)


def _build_tzinfo(match: re.Match[str]) -> dt.tzinfo | None:
    if match["utc"]:
        return dt.UTC
    if match["offset"]:
        text = match["offset"]
        hours, minutes = int(text[1:3]), int(text[4:6])
        seconds = int(text[7:9]) if len(text) > 6 else 0
        if minutes > 59 or seconds > 59:
            raise FeelEvalError(f"invalid time offset {text!r}")
        offset = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
        return make_offset(-offset if text[0] == "-" else offset)
    if match["zone"]:
        return parse_zone(match["zone"])
    return None


def _build_time(match: re.Match[str], text: str) -> tuple[dt.time | WideTime, bool]:
    """The time of ``match`` and whether it was ``24:00:00`` (the end of the day)."""
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    fraction = match["fraction"] or ""
    # Nanoseconds are kept, as in XML Schema processors; finer digits are dropped.
    nanosecond = int((fraction + "000000000")[:9])
    tzinfo = _build_tzinfo(match)
    if hour == 24 and minute == 0 and second == 0 and not nanosecond:
        return dt.time(0, 0, 0, 0, tzinfo), True
    try:
        return make_time(hour, minute, second, nanosecond, tzinfo), False
    except InvalidTemporal:
        raise FeelEvalError(f"{text!r} is not a valid time") from None


def parse_date(text: str) -> dt.date | WideDate:
    """A FEEL date from ``YYYY-MM-DD`` (any number of year digits, optionally negative)."""
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise FeelEvalError(f"{text!r} is not a date (expected YYYY-MM-DD)")
    return _build_date(match, text)


def parse_time(text: str) -> dt.time | WideTime:
    """A FEEL time from ``hh:mm:ss[.fff][Z|+hh:mm|@Zone/Id]``."""
    match = _TIME_RE.fullmatch(text)
    if match is None:
        raise FeelEvalError(f"{text!r} is not a time (expected hh:mm:ss with optional zone)")
    return _build_time(match, text)[0]


def parse_date_time(text: str) -> dt.datetime | WideDateTime:
    """A FEEL date and time from ``YYYY-MM-DDThh:mm:ss...``; a bare date means midnight."""
    match = _DATE_TIME_RE.fullmatch(text)
    if match is None:
        date_match = _DATE_RE.fullmatch(text)
        if date_match is None:
            raise FeelEvalError(f"{text!r} is not a date and time")
        return make_date_time(_build_date(date_match, text), dt.time())
    date = _build_date(match, text)
    time, end_of_day = _build_time(match, text)
    result = make_date_time(date, time)
    if end_of_day:
        result = from_local_nanos(local_nanos(result) + NANOS_PER_DAY, time.tzinfo)
    return result


def parse_duration(text: str) -> DayTimeDuration | YearMonthDuration:
    """A days-and-time or years-and-months duration from its ISO 8601 form."""
    match = _DURATION_RE.fullmatch(text)
    if match is None or text.endswith(("P", "T")):
        raise FeelEvalError(f"{text!r} is not a duration")
    year_month = match["years"] is not None or match["months"] is not None
    day_time = any(match[part] is not None for part in ("days", "hours", "minutes", "seconds"))
    if not year_month and not day_time:
        raise FeelEvalError(f"{text!r} is not a duration")
    if year_month and day_time:
        raise FeelEvalError(
            f"{text!r} mixes years/months with days/time; FEEL has no such duration"
        )
    negative = match["sign"] is not None
    if year_month:
        months = int(match["years"] or 0) * 12 + int(match["months"] or 0)
        return YearMonthDuration(-months if negative else months)
    seconds = (
        decimal.Decimal(int(match["days"] or 0) * _SECONDS_PER_DAY)
        + int(match["hours"] or 0) * 3600
        + int(match["minutes"] or 0) * 60
        + decimal.Decimal(match["seconds"] or 0)
    )
    return DayTimeDuration(-seconds if negative else seconds)


def parse_at_literal(text: str) -> Any:
    """The value of an ``@"..."`` literal: a date, time, date and time or duration."""
    stripped = text.strip()
    if stripped.startswith(("P", "-P")):
        return parse_duration(stripped)
    if _LOOKS_LIKE_DATE.match(stripped):
        return parse_date_time(stripped) if "T" in stripped else parse_date(stripped)
    if _TIME_RE.fullmatch(stripped):
        return parse_time(stripped)
    raise FeelEvalError(f"{text!r} is not a date, time, date and time or duration literal")


def to_timedelta(duration: DayTimeDuration) -> dt.timedelta:
    """The duration as a timedelta (microsecond precision); FeelEvalError if too large."""
    try:
        micro = (duration.seconds * 1_000_000).to_integral_value(decimal.ROUND_DOWN)
        return dt.timedelta(microseconds=int(micro))
    except (OverflowError, decimal.DecimalException):
        raise FeelEvalError("the duration is too large for date arithmetic") from None


def _plain_decimal(value: decimal.Decimal) -> str:
    """A decimal without exponent or trailing fractional zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_date(value: dt.date | WideDate | WideDateTime) -> str:
    """``YYYY-MM-DD``; a year before 1 is negative, one after 9999 has more digits."""
    sign = "-" if value.year < 0 else ""
    return f"{sign}{abs(value.year):04d}-{value.month:02d}-{value.day:02d}"


def _format_offset(offset: dt.timedelta) -> str:
    if not offset:
        return "Z"
    sign = "-" if offset < dt.timedelta(0) else "+"
    total = int(abs(offset).total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return text + (f":{seconds:02d}" if seconds else "")


def _format_zone(value: Any) -> str:
    tzinfo = value.tzinfo
    if tzinfo is None:
        return ""
    if isinstance(tzinfo, zoneinfo.ZoneInfo):
        return "@" + tzinfo.key
    return _format_offset(offset_of(value) or dt.timedelta(0))


def _format_clock(value: Any) -> str:
    hour, minute, second, nanosecond, _ = clock_parts(value)
    text = f"{hour:02d}:{minute:02d}:{second:02d}"
    if nanosecond:
        text += f".{nanosecond:09d}".rstrip("0")
    return text


def format_time(value: dt.time | WideTime) -> str:
    """``hh:mm:ss[.fffffffff]`` followed by ``Z``, ``+hh:mm`` or ``@Zone/Id`` if zoned."""
    return _format_clock(value) + _format_zone(value)


def format_date_time(value: dt.datetime | WideDateTime) -> str:
    """``YYYY-MM-DDThh:mm:ss[.fffffffff]`` followed by the zone, if any."""
    return f"{format_date(value)}T{_format_clock(value)}{_format_zone(value)}"


def format_day_time_duration(value: DayTimeDuration) -> str:
    """The canonical form, e.g. ``P1DT2H3M4.5S``, ``-PT1H`` or ``PT0S``."""
    seconds = value.seconds
    if not seconds:
        return "PT0S"
    sign = "-" if seconds < 0 else ""
    remaining = abs(seconds)
    whole = int(remaining)
    fraction = remaining - whole
    days, whole = divmod(whole, _SECONDS_PER_DAY)
    hours, whole = divmod(whole, 3600)
    minutes, whole = divmod(whole, 60)
    text = f"{sign}P" + (f"{days}D" if days else "")
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if whole or fraction:
        clock += _plain_decimal(whole + fraction) + "S"
    return text + ("T" + clock if clock else "")


def format_year_month_duration(value: YearMonthDuration) -> str:
    """The canonical form, e.g. ``P1Y2M``, ``-P3M`` or ``P0M``."""
    if not value.months:
        return "P0M"
    sign = "-" if value.months < 0 else ""
    years, months = divmod(abs(value.months), 12)
    return f"{sign}P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def format_temporal(value: Any) -> str | None:
    """The FEEL ``string()`` form of a temporal value, or None if it is not one."""
    if isinstance(value, dt.datetime | WideDateTime):
        return format_date_time(value)
    if isinstance(value, dt.date | WideDate):
        return format_date(value)
    if isinstance(value, dt.time | WideTime):
        return format_time(value)
    if isinstance(value, DayTimeDuration):
        return format_day_time_duration(value)
    if isinstance(value, YearMonthDuration):
        return format_year_month_duration(value)
    return None
