"""Comparing an expected TCK value with an actual FEEL result, as the TCK defines equality."""

from __future__ import annotations

import decimal
from typing import Any

from stead.feel.temporal import format_date, format_date_time, format_time
from stead.feel.values import DayTimeDuration, FeelFunction, Range, YearMonthDuration
from stead.feel.wide_temporal import (
    date_parts,
    is_date,
    is_date_time,
    is_time,
    local_nanos,
    offset_of,
)

__all__ = ["NUMBER_TOLERANCE", "describe", "mismatch"]

# The TCK writes irrational results (exp, log, sqrt, stddev) to 8 or more decimal places; its
# reference runners accept a number within 1e-8 of the expected one. None means exact.
NUMBER_TOLERANCE = decimal.Decimal("1e-8")


def mismatch(
    expected: Any,
    actual: Any,
    path: str = "",
    *,
    tolerance: decimal.Decimal | None = NUMBER_TOLERANCE,
) -> str | None:
    """None when the actual value matches; otherwise what differs, for the results file.

    Numbers match when equal as numbers (``1``, ``1.0`` and ``1.00`` are the same value), or
    closer than ``tolerance``;
    temporal values match in value and kind (a date never matches a date and time, a local
    time never matches a time with an offset); lists and contexts match structurally.
    """
    where = f" at {path}" if path else ""
    if expected is None:
        return None if actual is None else f"expected null{where}, got {describe(actual)}"
    if isinstance(expected, bool):
        if isinstance(actual, bool) and actual == expected:
            return None
    elif isinstance(expected, decimal.Decimal):
        if _is_number(actual) and _close(expected, actual, tolerance):
            return None
    elif isinstance(expected, str):
        if isinstance(actual, str) and actual == expected:
            return None
    elif is_date_time(expected):
        if is_date_time(actual) and _same_temporal(expected, actual):
            return None
    elif is_date(expected):
        if is_date(actual) and date_parts(actual) == date_parts(expected):
            return None
    elif is_time(expected):
        if is_time(actual) and _same_temporal(expected, actual):
            return None
    elif isinstance(expected, DayTimeDuration | YearMonthDuration):
        if type(actual) is type(expected) and actual == expected:
            return None
    elif isinstance(expected, list):
        return _list_mismatch(expected, actual, path, tolerance)
    elif isinstance(expected, dict):
        return _context_mismatch(expected, actual, path, tolerance)
    return f"expected {describe(expected)}{where}, got {describe(actual)}"


def _is_number(value: Any) -> bool:
    return isinstance(value, decimal.Decimal) and not isinstance(value, bool)


def _close(
    expected: decimal.Decimal, actual: decimal.Decimal, tolerance: decimal.Decimal | None
) -> bool:
    if actual == expected:
        return True
    if tolerance is None or not actual.is_finite():
        return False
    return abs(expected - actual) < tolerance


def _same_temporal(expected: Any, actual: Any) -> bool:
    # Same wall-clock fields and same offset: equal instants in different offsets differ.
    if local_nanos(expected) != local_nanos(actual):
        return False
    if (expected.tzinfo is None) != (actual.tzinfo is None):
        return False
    return offset_of(expected) == offset_of(actual)


def _list_mismatch(
    expected: list[Any], actual: Any, path: str, tolerance: decimal.Decimal | None
) -> str | None:
    if not isinstance(actual, list):
        where = f" at {path}" if path else ""
        return f"expected a list{where}, got {describe(actual)}"
    if len(actual) != len(expected):
        return f"expected {describe(expected)}, got {describe(actual)}"
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        found = mismatch(want, got, f"{path}[{index + 1}]", tolerance=tolerance)
        if found is not None:
            return found
    return None


def _context_mismatch(
    expected: dict[str, Any], actual: Any, path: str, tolerance: decimal.Decimal | None
) -> str | None:
    if not isinstance(actual, dict):
        where = f" at {path}" if path else ""
        return f"expected a context{where}, got {describe(actual)}"
    if set(actual) != set(expected):
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        where = f" at {path}" if path else ""
        return f"context keys differ{where}: missing {missing}, extra {extra}"
    for key, want in expected.items():
        found = mismatch(want, actual[key], f"{path}.{key}" if path else key, tolerance=tolerance)
        if found is not None:
            return found
    return None


def describe(value: Any, limit: int = 200) -> str:
    """A short FEEL-like rendering of a value, with its kind where that matters."""
    text = _render(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _render(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if is_date_time(value):
        return f'date and time("{format_date_time(value)}")'
    if is_date(value):
        return f'date("{format_date(value)}")'
    if is_time(value):
        return f'time("{format_time(value)}")'
    if isinstance(value, DayTimeDuration):
        return f"duration({value.seconds} s)"
    if isinstance(value, YearMonthDuration):
        return f"duration({value.months} months)"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Range):
        start = "(" if not value.start_included else "["
        end = ")" if not value.end_included else "]"
        return f"{start}{_render(value.start)}..{_render(value.end)}{end}"
    if isinstance(value, FeelFunction):
        return f"function {value.name}"
    return f"<{type(value).__name__} {value!r}>"
