"""Dates, times and date-times Python's ``datetime`` cannot hold: any year, nanoseconds.

FEEL values normally are Python's ``date``, ``time`` and ``datetime``. XML Schema (and so
FEEL) also has years before 1 and after 9999 and fractions of a second finer than a
microsecond; only such values use the classes here. The ``make_*`` constructors pick the
representation, so each value has exactly one: a Python object whenever one can hold it.

Calendar arithmetic counts days from 1970-01-01 in the proleptic Gregorian calendar. The
calendar repeats every 400 years (146,097 days, a whole number of weeks), so weekdays, ISO
weeks and time zone rules of a year outside Python's range are those of a "proxy" year in
range with the same position in the cycle.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_YEAR",
    "NANOS_PER_DAY",
    "NANOS_PER_SECOND",
    "InvalidTemporal",
    "WideDate",
    "WideDateTime",
    "WideTime",
    "civil_from_days",
    "clock_parts",
    "date_parts",
    "days_from_civil",
    "days_in_month",
    "from_local_nanos",
    "is_date",
    "is_date_time",
    "is_time",
    "local_nanos",
    "make_date",
    "make_date_time",
    "make_time",
    "offset_at_instant",
    "offset_of",
    "proxy_date",
    "time_from_nanos",
]

NANOS_PER_SECOND = 1_000_000_000
NANOS_PER_DAY = 86_400 * NANOS_PER_SECOND
_DAYS_PER_CYCLE = 146_097
# The widest year XML Schema processors commonly support (nine digits), either way.
MAX_YEAR = 999_999_999
# A time with a zone id has no offset of its own; it is placed on this date to find one.
_ZONE_REFERENCE_DATE = dt.date(1970, 1, 1)


class InvalidTemporal(ValueError):
    """Fields that make no date or time (a 30th of February, minute 61, ...)."""


@dataclass(frozen=True, slots=True)
class WideDate:
    """A date whose year is outside 1..9999."""

    year: int
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class WideTime:
    """A time of day with a fraction of a second finer than a microsecond."""

    hour: int
    minute: int
    second: int
    nanosecond: int
    tzinfo: dt.tzinfo | None = None


@dataclass(frozen=True, slots=True)
class WideDateTime:
    """A date and time with a year outside 1..9999 or a sub-microsecond fraction."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    nanosecond: int
    tzinfo: dt.tzinfo | None = None

    def to_python(self) -> dt.datetime:
        """The nearest Python datetime (nanoseconds truncated to microseconds).

        InvalidTemporal when the year is outside 1..9999, which Python cannot hold.
        """
        if not dt.MINYEAR <= self.year <= dt.MAXYEAR:
            raise InvalidTemporal(f"the year {self.year} is outside 1..9999")
        return dt.datetime(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.nanosecond // 1000,
            self.tzinfo,
        )


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to the given proleptic Gregorian date (negative before it)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * _DAYS_PER_CYCLE + day_of_era - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The (year, month, day) that is ``days`` days after 1970-01-01."""
    days += 719_468
    era = days // _DAYS_PER_CYCLE
    day_of_era = days - era * _DAYS_PER_CYCLE
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def _proxy_year(year: int) -> int:
    """A year in Python's range with the same calendar (and leap years) as ``year``."""
    return year if dt.MINYEAR <= year <= dt.MAXYEAR else 2000 + year % 400


def days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return days_from_civil(year, month + 1, 1) - days_from_civil(year, month, 1)


def make_date(year: int, month: int, day: int) -> dt.date | WideDate:
    """The date; InvalidTemporal if there is no such day."""
    if abs(year) > MAX_YEAR:
        raise InvalidTemporal(f"the year {year} is outside -{MAX_YEAR}..{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise InvalidTemporal(f"there is no month {month}")
    if not 1 <= day <= days_in_month(year, month):
        raise InvalidTemporal(f"there is no day {day} in month {month} of the year {year}")
    if dt.MINYEAR <= year <= dt.MAXYEAR:
        return dt.date(year, month, day)
    return WideDate(year, month, day)


def _check_clock(hour: int, minute: int, second: int, nanosecond: int) -> None:
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        raise InvalidTemporal(f"{hour:02d}:{minute:02d}:{second:02d} is not a valid time")
    if not 0 <= nanosecond < NANOS_PER_SECOND:
        raise InvalidTemporal("the fraction of a second is out of range")


def make_time(
    hour: int, minute: int, second: int, nanosecond: int, tzinfo: dt.tzinfo | None
) -> dt.time | WideTime:
    """The time of day; InvalidTemporal if the fields make none."""
    _check_clock(hour, minute, second, nanosecond)
    if nanosecond % 1000:
        return WideTime(hour, minute, second, nanosecond, tzinfo)
    return dt.time(hour, minute, second, nanosecond // 1000, tzinfo)


def make_date_time(
    date: dt.date | WideDate, time: dt.time | WideTime
) -> dt.datetime | WideDateTime:
    """The date and time of a calendar day and a time of day (keeping the time's zone)."""
    year, month, day = date_parts(date)
    hour, minute, second, nanosecond, tzinfo = clock_parts(time)
    if isinstance(date, dt.date) and isinstance(time, dt.time):
        return dt.datetime.combine(date, time)
    return WideDateTime(year, month, day, hour, minute, second, nanosecond, tzinfo)


def is_date(value: Any) -> bool:
    """Whether ``value`` is a FEEL date (of either representation)."""
    return (type(value) is dt.date) or isinstance(value, WideDate)


def is_time(value: Any) -> bool:
    """Whether ``value`` is a FEEL time (of either representation)."""
    return isinstance(value, dt.time | WideTime)


def is_date_time(value: Any) -> bool:
    """Whether ``value`` is a FEEL date and time (of either representation)."""
    return isinstance(value, dt.datetime | WideDateTime)


def date_parts(value: Any) -> tuple[int, int, int]:
    """(year, month, day) of a date or date and time."""
    return value.year, value.month, value.day


def clock_parts(value: Any) -> tuple[int, int, int, int, dt.tzinfo | None]:
    """(hour, minute, second, nanosecond, tzinfo) of a time or date and time."""
    if isinstance(value, WideTime | WideDateTime):
        nanosecond = value.nanosecond
    else:
        nanosecond = value.microsecond * 1000
    return value.hour, value.minute, value.second, nanosecond, value.tzinfo


def proxy_date(value: Any) -> dt.date:
    """A Python date on the same weekday, day of year and ISO week as ``value``'s date."""
    year, month, day = date_parts(value)
    return dt.date(_proxy_year(year), month, day)


def local_nanos(value: Any) -> int:
    """Nanoseconds from 1970-01-01T00:00 to the wall-clock reading of a date (midnight),
    date and time, or time (on 1970-01-01)."""
    total = 0
    if not is_time(value):
        total = days_from_civil(*date_parts(value)) * NANOS_PER_DAY
    if not is_date(value):
        hour, minute, second, nanosecond, _ = clock_parts(value)
        total += (hour * 3600 + minute * 60 + second) * NANOS_PER_SECOND + nanosecond
    return total


def offset_of(value: Any) -> dt.timedelta | None:
    """The offset from UTC of a time or date and time; None when it is local."""
    if isinstance(value, dt.datetime):
        return value.utcoffset()
    hour, minute, second, _, tzinfo = clock_parts(value)
    if tzinfo is None:
        return None
    if not isinstance(tzinfo, zoneinfo.ZoneInfo):
        return tzinfo.utcoffset(None)
    day = _ZONE_REFERENCE_DATE if is_time(value) else proxy_date(value)
    wall = dt.datetime(day.year, day.month, day.day, hour, minute, second)
    return tzinfo.utcoffset(wall)


def offset_at_instant(instant_nanos: int, tzinfo: dt.tzinfo) -> dt.timedelta:
    """The offset ``tzinfo`` has at an instant (nanoseconds from the epoch, UTC)."""
    if not isinstance(tzinfo, zoneinfo.ZoneInfo):
        return tzinfo.utcoffset(None) or dt.timedelta(0)
    days, rest = divmod(instant_nanos, NANOS_PER_DAY)
    year, month, day = civil_from_days(days)
    seconds = rest // NANOS_PER_SECOND
    utc = dt.datetime(_proxy_year(year), month, day, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)
    return utc.astimezone(tzinfo).utcoffset() or dt.timedelta(0)


def from_local_nanos(total: int, tzinfo: dt.tzinfo | None) -> dt.datetime | WideDateTime:
    """The date and time whose wall-clock reading is ``total`` (see :func:`local_nanos`)."""
    days, rest = divmod(total, NANOS_PER_DAY)
    seconds, nanosecond = divmod(rest, NANOS_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    time = make_time(hour, minute, second, nanosecond, tzinfo)
    return make_date_time(make_date(*civil_from_days(days)), time)


def time_from_nanos(total: int, tzinfo: dt.tzinfo | None) -> dt.time | WideTime:
    """The time of day ``total`` nanoseconds after midnight, wrapping around the day."""
    rest = total % NANOS_PER_DAY
    seconds, nanosecond = divmod(rest, NANOS_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return make_time(hour, minute, second, nanosecond, tzinfo)
