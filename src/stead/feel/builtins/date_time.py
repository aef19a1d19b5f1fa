"""Date and time functions: day of year/week, month of year, week of year, now, today."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from stead.feel.builtins.registry import builtin, require_date_like
from stead.feel.wide_temporal import proxy_date

__all__: list[str] = []

Number = decimal.Decimal

# English names, independent of the machine's locale.
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _calendar_day(function: str, value: Any) -> dt.date:
    # A year outside Python's range has the weekdays and weeks of its proxy year.
    return proxy_date(require_date_like(function, "date", value))


@builtin("day of year", "date")
def day_of_year(date: Any) -> Number:
    return Number(_calendar_day("day of year", date).timetuple().tm_yday)


@builtin("day of week", "date")
def day_of_week(date: Any) -> str:
    return _DAY_NAMES[_calendar_day("day of week", date).weekday()]


@builtin("month of year", "date")
def month_of_year(date: Any) -> str:
    return _MONTH_NAMES[require_date_like("month of year", "date", date).month - 1]


@builtin("week of year", "date")
def week_of_year(date: Any) -> Number:
    # ISO 8601 week numbering: weeks start on Monday, week 1 holds the year's first Thursday.
    return Number(_calendar_day("week of year", date).isocalendar().week)


@builtin("now")
def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@builtin("today")
def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
