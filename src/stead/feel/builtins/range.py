"""Range functions (before, after, meets, overlaps, includes, ...) and ``range(from)``."""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from typing import Any

from stead.feel import temporal
from stead.feel.builtins.registry import builtin, require_string
from stead.feel.values import FeelEvalError, Range, feel_compare, type_name

__all__: list[str] = []

Number = decimal.Decimal

# An endpoint of a range: (side, value) where side is -1 for "unbounded below", 1 for
# "unbounded above" and 0 for a real value.
Endpoint = tuple[int, Any]


def _cmp(left: Endpoint, right: Endpoint) -> int:
    if left[0] or right[0]:
        return (left[0] > right[0]) - (left[0] < right[0])
    order = feel_compare(left[1], right[1])
    if order is None:
        raise FeelEvalError(
            f"cannot compare {type_name(left[1])} with {type_name(right[1])} in a range function"
        )
    return order


class _Interval:
    """A range or a single point, seen as an interval with comparable endpoints."""

    def __init__(self, value: Any, function: str) -> None:
        if value is None:
            raise FeelEvalError(f"{function}: an argument is null")
        if isinstance(value, Range):
            self.start: Endpoint = (-1, None) if value.start is None else (0, value.start)
            self.end: Endpoint = (1, None) if value.end is None else (0, value.end)
            self.start_in = value.start_included and value.start is not None
            self.end_in = value.end_included and value.end is not None
        else:
            self.start = self.end = (0, value)
            self.start_in = self.end_in = True


def _before(a: _Interval, b: _Interval) -> bool:
    order = _cmp(a.end, b.start)
    return order < 0 or (order == 0 and not (a.end_in and b.start_in))


def _meets(a: _Interval, b: _Interval) -> bool:
    return a.end_in and b.start_in and _cmp(a.end, b.start) == 0


def _overlaps(a: _Interval, b: _Interval) -> bool:
    end_start = _cmp(a.end, b.start)
    start_end = _cmp(a.start, b.end)
    return (end_start > 0 or (end_start == 0 and a.end_in and b.start_in)) and (
        start_end < 0 or (start_end == 0 and a.start_in and b.end_in)
    )


def _starts_no_later(a: _Interval, b: _Interval) -> bool:
    """Whether ``a`` begins at or before ``b`` (an open start begins after a closed one)."""
    order = _cmp(a.start, b.start)
    return order < 0 or (order == 0 and (a.start_in or not b.start_in))


def _ends_no_earlier(a: _Interval, b: _Interval) -> bool:
    order = _cmp(a.end, b.end)
    return order > 0 or (order == 0 and (a.end_in or not b.end_in))


def _overlaps_before(a: _Interval, b: _Interval) -> bool:
    starts_first = _cmp(a.start, b.start) < 0 or (
        _cmp(a.start, b.start) == 0 and a.start_in and not b.start_in
    )
    end_order = _cmp(a.end, b.end)
    ends_first = end_order < 0 or (end_order == 0 and (not a.end_in or b.end_in))
    return starts_first and _overlaps(a, b) and ends_first


def _includes(a: _Interval, b: _Interval) -> bool:
    return _starts_no_later(a, b) and _ends_no_earlier(a, b)


def _same_start(a: _Interval, b: _Interval) -> bool:
    return _cmp(a.start, b.start) == 0 and a.start_in == b.start_in


def _same_end(a: _Interval, b: _Interval) -> bool:
    return _cmp(a.end, b.end) == 0 and a.end_in == b.end_in


def _finishes(a: _Interval, b: _Interval) -> bool:
    return _same_end(a, b) and _starts_no_later(b, a)


def _starts(a: _Interval, b: _Interval) -> bool:
    return _same_start(a, b) and _ends_no_earlier(b, a)


def _register(
    name: str, signatures: tuple[tuple[str, str], ...], test: Callable[[_Interval, _Interval], bool]
) -> None:
    def implementation(first: Any, second: Any) -> bool:
        return test(_Interval(first, name), _Interval(second, name))

    for signature in signatures:
        builtin(name, *signature)(implementation)


_POINT_OR_RANGE = (
    ("point1", "point2"),
    ("point", "range"),
    ("range", "point"),
    ("range1", "range2"),
)
_RANGES = (("range1", "range2"),)

_register("before", _POINT_OR_RANGE, _before)
_register("after", _POINT_OR_RANGE, lambda a, b: _before(b, a))
_register("meets", _RANGES, _meets)
_register("met by", _RANGES, lambda a, b: _meets(b, a))
_register("overlaps", _RANGES, _overlaps)
_register("overlaps before", _RANGES, _overlaps_before)
_register("overlaps after", _RANGES, lambda a, b: _overlaps_before(b, a))
_register("finishes", (("point", "range"), ("range1", "range2")), _finishes)
_register("finished by", (("range", "point"), ("range1", "range2")), lambda a, b: _finishes(b, a))
_register("includes", (("range", "point"), ("range1", "range2")), _includes)
_register("during", (("point", "range"), ("range1", "range2")), lambda a, b: _includes(b, a))
_register("starts", (("point", "range"), ("range1", "range2")), _starts)
_register("started by", (("range", "point"), ("range1", "range2")), lambda a, b: _starts(b, a))
_register(
    "coincides",
    (("point1", "point2"), ("range1", "range2")),
    lambda a, b: _same_start(a, b) and _same_end(a, b),
)


# --- range(from): a range literal given as a string -------------------------------------

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_CONVERSIONS: dict[str, Callable[[str], Any]] = {
    "date and time": temporal.parse_date_time,
    "date": temporal.parse_date,
    "time": temporal.parse_time,
    "duration": temporal.parse_duration,
}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "'": "'"}


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


class _LiteralReader:
    """Reads the endpoint literals of a range written as text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self) -> FeelEvalError:
        return FeelEvalError(f"range: {self.text!r} is not a range literal")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def expect(self, token: str) -> None:
        self.skip_space()
        if not self.text.startswith(token, self.pos):
            raise self.error()
        self.pos += len(token)

    def string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            raise self.error()
        self.pos = match.end()
        return _unescape(match.group(1))

    def endpoint(self) -> Any:
        self.skip_space()
        if self.text.startswith("@", self.pos):
            self.pos += 1
            return temporal.parse_at_literal(self.string())
        if self.text.startswith('"', self.pos):
            return self.string()
        number = _NUMBER.match(self.text, self.pos)
        if number is not None:
            self.pos = number.end()
            return Number(number.group(0))
        for name, convert in _CONVERSIONS.items():
            if self.text.startswith(name, self.pos):
                self.pos += len(name)
                self.expect("(")
                self.skip_space()
                value = convert(self.string())
                self.expect(")")
                return value
        raise self.error()


@builtin("range", "from")
def range_from(text: Any) -> Range:
    source = require_string("range", "from", text).strip()
    if len(source) < 5 or source[0] not in "[(]" or source[-1] not in "])[":
        raise FeelEvalError(f"range: {text!r} is not a range literal")
    reader = _LiteralReader(source[1:-1])
    start = reader.endpoint()
    reader.expect("..")
    end = reader.endpoint()
    reader.skip_space()
    if reader.pos != len(reader.text):
        raise reader.error()
    order = feel_compare(start, end)
    if order is None:
        raise FeelEvalError(
            f"range: the endpoints {type_name(start)} and {type_name(end)} are not comparable"
        )
    if order > 0:
        raise FeelEvalError("range: the start is after the end")
    return Range(start, end, source[0] == "[", source[-1] == "]")
