"""Date and time functions: day of year/week, month of year, week of year, now, today."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from stead.feel.builtins.registry import builtin, require_date_like

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


@builtin("day of year", "date")
def day_of_year(date: Any) -> Number:
    return Number(require_date_like("day of year", "date", date).timetuple().tm_yday)


@builtin("day of week", "date")
def day_of_week(date: Any) -> str:
    return _DAY_NAMES[require_date_like("day of week", "date", date).weekday()]


@builtin("month of year", "date")
def month_of_year(date: Any) -> str:
    return _MONTH_NAMES[require_date_like("month of year", "date", date).month - 1]


@builtin("week of year", "date")
def week_of_year(date: Any) -> Number:
    # ISO 8601 week numbering: weeks start on Monday, week 1 holds the year's first Thursday.
    return Number(require_date_like("week of year", "date", date).isocalendar().week)


@builtin("now")
def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@builtin("today")
def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
