"""FEEL values as Python objects, with FEEL's equality and ordering.

Representation (shared by the evaluator and the built-in functions):

=====================================  ==========================================
FEEL type                              Python value
=====================================  ==========================================
null                                   ``None``
number                                 ``decimal.Decimal`` (34 digits, half-even)
string                                 ``str``
boolean                                ``bool``
date                                   ``datetime.date`` (never a ``datetime``);
                                       :class:`WideDate` for a year outside 1..9999
time                                   ``datetime.time``; ``tzinfo`` is ``None``
                                       (local), a ``datetime.timezone`` (offset,
                                       seconds allowed) or a ``zoneinfo.ZoneInfo``
                                       (zone id); :class:`WideTime` when the
                                       fraction of a second is finer than a
                                       microsecond
date and time                          ``datetime.datetime``, same ``tzinfo`` rule;
                                       :class:`WideDateTime` for a year outside
                                       1..9999 or a sub-microsecond fraction
days and time duration                 :class:`DayTimeDuration`
years and months duration              :class:`YearMonthDuration`
list                                   ``list``
context                                ``dict[str, Any]`` (insertion-ordered)
range                                  :class:`Range`
function                               :class:`FeelFunction`
=====================================  ==========================================

Why two classes per temporal type: Python's own types cover every date and time a
process model meets (due dates, SLAs, birthdays), are fast, and are what the engine,
JSON and callers already use. XML Schema (and so FEEL) also has years up to nine
digits either side of year 0 and nanoseconds, which Python cannot hold. Those rare values
get the small immutable ``Wide*`` classes of :mod:`stead.feel.wide_temporal`, and the
``make_*`` constructors there choose the class, so each value has exactly one form: a
Python object whenever one can hold it. Equality and ordering compare both forms by
days or nanoseconds from 1970-01-01; arithmetic falls back to calendar fields when a
value or a result is outside Python's range. The engine converts a FEEL date and time
into a due date with ``WideDateTime.to_python()`` (an error beyond the year 9999).
"""

from __future__ import annotations

import datetime as dt
import decimal
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from stead.feel.wide_temporal import (
    WideDate,
    WideDateTime,
    WideTime,
    days_from_civil,
    is_time,
    local_nanos,
    offset_of,
)

__all__ = [
    "DECIMAL_CONTEXT",
    "DayTimeDuration",
    "FeelEvalError",
    "FeelFunction",
    "Range",
    "WideDate",
    "WideDateTime",
    "WideTime",
    "YearMonthDuration",
    "feel_compare",
    "feel_equals",
    "is_zonable",
    "time_as_instant",
    "type_name",
]

# DMN's number is an IEEE 754-2008 Decimal128: 34 significant digits, half-even rounding.
DECIMAL_CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=6144,
    Emin=-6143,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


class FeelEvalError(Exception):
    """An invalid operation: the evaluator turns it into null plus a warning."""


@dataclass(frozen=True, slots=True)
class DayTimeDuration:
    """A days-and-time duration, held as a signed number of seconds."""

    seconds: decimal.Decimal


@dataclass(frozen=True, slots=True)
class YearMonthDuration:
    """A years-and-months duration, held as a signed number of months."""

    months: int


@dataclass(frozen=True, slots=True)
class Range:
    """A FEEL range; ``None`` for ``start``/``end`` means unbounded on that side.

    ``point_test`` marks the value of the unary test ``= x`` used as an expression: it
    contains what ``[x..x]`` contains, yet (as in the DMN TCK) it equals only another ``= x``.
    """

    start: Any
    end: Any
    start_included: bool
    end_included: bool
    point_test: bool = False


class FeelFunction(ABC):
    """A FEEL function value: built-in, user-defined or a lambda.

    ``parameters`` names the formal parameters (for named invocation); ``None`` means the
    function takes any arguments (variadic built-ins). Both ``invoke`` methods raise
    :class:`FeelEvalError` for an invalid call; the caller turns that into null.
    """

    name: str = "anonymous function"
    parameters: tuple[str, ...] | None = None

    @abstractmethod
    def invoke(self, args: Sequence[Any]) -> Any:
        """Call with positional arguments."""

    @abstractmethod
    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        """Call with named arguments."""


def type_name(value: Any) -> str:
    """The FEEL type name of a value, as used in messages and ``instance of``."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, decimal.Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime | WideDateTime):
        return "date and time"
    if isinstance(value, dt.date | WideDate):
        return "date"
    if isinstance(value, dt.time | WideTime):
        return "time"
    if isinstance(value, DayTimeDuration):
        return "days and time duration"
    if isinstance(value, YearMonthDuration):
        return "years and months duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, Range):
        return "range"
    if isinstance(value, FeelFunction):
        return "function"
    return "Any"


# A time with a zone id has no offset of its own; it is placed on this date to find one,
# so that comparisons do not depend on the day they are made.
ZONE_REFERENCE_DATE = dt.date(1970, 1, 1)


def time_as_instant(value: dt.time) -> dt.datetime | None:
    """A zoned time as a UTC date-time on the reference date; None for a local time."""
    if value.tzinfo is None:
        return None
    anchored = dt.datetime.combine(ZONE_REFERENCE_DATE, value)
    offset = anchored.utcoffset()
    if offset is None:
        return None
    return (anchored.replace(tzinfo=None) - offset).replace(tzinfo=dt.UTC)


# Dates compare by days from 1970-01-01, whichever class holds them.
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _clock_key(value: Any) -> tuple[str, int]:
    # Times and date-times compare at millisecond precision: the DMN TCK treats values that
    # differ only below the millisecond as equal. Instants compare only with instants,
    # local readings only with local ones.
    if type(value) is dt.datetime:
        # The common case, without the general field extraction below.
        seconds = (value.toordinal() - _EPOCH_ORDINAL) * 86400 + (
            value.hour * 3600 + value.minute * 60 + value.second
        )
        millis = seconds * 1000 + value.microsecond // 1000
        offset = value.utcoffset()
        if offset is None:
            return ("date and time/local", millis)
        return ("date and time/zoned", millis - (offset.days * 86400 + offset.seconds) * 1000)
    kind = "time" if is_time(value) else "date and time"
    nanos = local_nanos(value)
    offset = offset_of(value)
    if offset is None:
        return (kind + "/local", nanos // 1_000_000)
    offset_nanos = (offset.days * 86400 + offset.seconds) * 1_000_000_000
    return (kind + "/zoned", (nanos - offset_nanos) // 1_000_000)


def _comparable_key(value: Any) -> tuple[str, Any] | None:
    """A (kind, key) pair such that values of one kind compare by key; None if unordered."""
    if isinstance(value, bool):
        return None
    if isinstance(value, decimal.Decimal):
        return None if value.is_nan() else ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if type(value) is dt.date:
        return ("date", value.toordinal() - _EPOCH_ORDINAL)
    if isinstance(value, WideDate):
        return ("date", days_from_civil(value.year, value.month, value.day))
    if isinstance(value, dt.datetime | WideDateTime | dt.time | WideTime):
        return _clock_key(value)
    if isinstance(value, DayTimeDuration):
        return ("days and time duration", value.seconds)
    if isinstance(value, YearMonthDuration):
        return ("years and months duration", value.months)
    return None


def feel_compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 when FEEL orders the two values; None when they are not comparable."""
    kind = type(left)
    if kind is type(right) and (
        kind is str or (kind is decimal.Decimal and not (left.is_nan() or right.is_nan()))
    ):
        # The common case (sorting, filtering, comparisons) skips the general key building.
        if left < right:
            return -1
        return 1 if left > right else 0
    a = _comparable_key(left)
    b = _comparable_key(right)
    if a is None or b is None or a[0] != b[0]:
        return None
    if a[1] < b[1]:
        return -1
    return 1 if a[1] > b[1] else 0


def is_zonable(value: Any) -> bool:
    """Whether ``value`` is a time or a date and time (which may have a zone)."""
    return isinstance(value, dt.datetime | dt.time | WideDateTime | WideTime)


def _same_type_family(left: Any, right: Any) -> bool:
    """Whether two non-null values are of one FEEL type (local and zoned temporals alike)."""
    return type_name(left) == type_name(right)


def feel_equals(left: Any, right: Any) -> bool | None:
    """FEEL ``=``: True/False, or None when the operands are of incomparable types.

    Null equals only null. Values of different types are not comparable (None), except that
    a local and a zoned date-time (or time) are simply unequal: they share a type but can
    never denote the same value.
    """
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        if isinstance(left, bool) and isinstance(right, bool):
            return left == right
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return False
        for x, y in zip(left, right, strict=True):
            eq = feel_equals(x, y)
            if eq is not True:
                return eq
        return True
    if isinstance(left, dict) and isinstance(right, dict):
        if left.keys() != right.keys():
            return False
        for key, x in left.items():
            eq = feel_equals(x, right[key])
            if eq is not True:
                return eq
        return True
    if isinstance(left, Range) and isinstance(right, Range):
        return (
            left.start_included == right.start_included
            and left.point_test == right.point_test
            and left.end_included == right.end_included
            and feel_equals(left.start, right.start) is True
            and feel_equals(left.end, right.end) is True
        )
    if isinstance(left, FeelFunction) or isinstance(right, FeelFunction):
        return left is right if _same_type_family(left, right) else None
    cmp = feel_compare(left, right)
    if cmp is None:
        if _same_type_family(left, right) and is_zonable(left):
            return False
        return None
    return cmp == 0
