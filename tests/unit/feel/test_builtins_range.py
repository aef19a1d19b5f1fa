"""Range built-ins (before ... coincides) and range() from a string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.values import FeelEvalError, Range


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


def r(text: str) -> Range:
    """A numeric range from its FEEL notation, e.g. ``[1..10)``."""
    start, end = text[1:-1].split("..")
    return Range(
        Decimal(start) if start else None,
        Decimal(end) if end else None,
        text[0] == "[",
        text[-1] == "]",
    )


N = Decimal

CASES: list[tuple[str, Any, Any, bool]] = [
    ("before", N(1), N(10), True),
    ("before", N(10), N(1), False),
    ("before", N(1), r("[1..10]"), False),
    ("before", N(1), r("(1..10]"), True),
    ("before", r("[1..10)"), N(10), True),
    ("before", r("[1..10]"), N(10), False),
    ("before", r("[1..10]"), r("[15..20]"), True),
    ("before", r("[1..10]"), r("[10..20]"), False),
    ("before", r("[1..10)"), r("[10..20]"), True),
    ("before", r("[1..10]"), r("(10..20]"), True),
    ("after", N(10), N(5), True),
    ("after", N(12), r("[1..10]"), True),
    ("after", N(10), r("[1..10)"), True),
    ("after", N(10), r("[1..10]"), False),
    ("after", r("(11..20]"), N(11), True),
    ("after", r("[11..20]"), r("[1..11)"), True),
    ("after", r("[11..20]"), r("[1..11]"), False),
    ("meets", r("[1..5]"), r("[5..10]"), True),
    ("meets", r("[1..5)"), r("[5..10]"), False),
    ("meets", r("[1..5]"), r("[6..10]"), False),
    ("met by", r("[5..10]"), r("[1..5]"), True),
    ("met by", r("(5..10]"), r("[1..5]"), False),
    ("overlaps", r("[1..5]"), r("[3..8]"), True),
    ("overlaps", r("[3..8]"), r("[1..5]"), True),
    ("overlaps", r("[1..8]"), r("[3..5]"), True),
    ("overlaps", r("[1..5]"), r("[6..8]"), False),
    ("overlaps", r("[1..5]"), r("[5..8]"), True),
    ("overlaps", r("[1..5)"), r("[5..8]"), False),
    ("overlaps", r("[..5]"), r("[3..]"), True),
    ("overlaps before", r("[1..5]"), r("[3..8]"), True),
    ("overlaps before", r("[1..5]"), r("[6..8]"), False),
    ("overlaps before", r("[1..5]"), r("[5..8]"), True),
    ("overlaps before", r("[1..5]"), r("(5..8]"), False),
    ("overlaps before", r("[1..5]"), r("[1..8]"), False),
    ("overlaps before", r("[1..5]"), r("(1..5]"), True),
    ("overlaps after", r("[3..8]"), r("[1..5]"), True),
    ("overlaps after", r("[6..8]"), r("[1..5]"), False),
    ("overlaps after", r("(1..5]"), r("[1..5]"), True),
    ("finishes", N(10), r("[1..10]"), True),
    ("finishes", N(10), r("[1..10)"), False),
    ("finishes", r("[5..10]"), r("[1..10]"), True),
    ("finishes", r("[5..10)"), r("[1..10]"), False),
    ("finishes", r("[1..10]"), r("(1..10]"), False),
    ("finished by", r("[1..10]"), N(10), True),
    ("finished by", r("[1..10]"), r("[5..10]"), True),
    ("finished by", r("[1..10)"), r("[5..10]"), False),
    ("includes", r("[1..10]"), N(5), True),
    ("includes", r("[1..10]"), N(12), False),
    ("includes", r("(1..10]"), N(1), False),
    ("includes", r("[1..10]"), r("[4..6]"), True),
    ("includes", r("(1..10]"), r("[1..5]"), False),
    ("includes", r("[1..10]"), r("(1..10)"), True),
    ("during", N(5), r("[1..10]"), True),
    ("during", N(10), r("[1..10)"), False),
    ("during", r("[4..6]"), r("[1..10]"), True),
    ("during", r("[1..5]"), r("(1..10]"), False),
    ("starts", N(1), r("[1..10]"), True),
    ("starts", N(1), r("(1..10]"), False),
    ("starts", r("[1..5]"), r("[1..10]"), True),
    ("starts", r("(1..5]"), r("[1..10]"), False),
    ("started by", r("[1..10]"), N(1), True),
    ("started by", r("[1..10]"), r("[1..5]"), True),
    ("started by", r("(1..10]"), r("[1..5]"), False),
    ("coincides", N(5), N(5), True),
    ("coincides", N(3), N(4), False),
    ("coincides", r("[1..5]"), r("[1..5]"), True),
    ("coincides", r("(1..5]"), r("[1..5]"), False),
]


@pytest.mark.parametrize(("name", "first", "second", "expected"), CASES)
def test_range_relations(name: str, first: Any, second: Any, expected: bool) -> None:
    assert call(name, first, second) is expected


def test_range_relations_take_named_points_and_ranges() -> None:
    assert BUILTINS["before"].invoke_named({"point": N(1), "range": r("(1..10]")}) is True
    assert BUILTINS["before"].invoke_named({"point1": N(1), "point2": N(10)}) is True
    assert BUILTINS["includes"].invoke_named({"range1": r("[1..10]"), "range2": r("[2..3]")})


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [("before", None, N(1)), ("before", N(1), "a"), ("includes", r("[1..5]"), "a")],
)
def test_range_relations_reject_bad_arguments(name: str, first: Any, second: Any) -> None:
    with pytest.raises(FeelEvalError):
        call(name, first, second)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[1..3]", Range(N(1), N(3), True, True)),
        (" ( 18 .. 21 ] ", Range(N(18), N(21), False, True)),
        ("]18..21]", Range(N(18), N(21), False, True)),
        ("[18..21[", Range(N(18), N(21), True, False)),
        ('["a".."c"]', Range("a", "c", True, True)),
        (
            '[@"1970-01-01"..@"1970-01-02"]',
            Range(dt.date(1970, 1, 1), dt.date(1970, 1, 2), True, True),
        ),
        (
            '[date("1970-01-01")..date("1970-01-02")]',
            Range(dt.date(1970, 1, 1), dt.date(1970, 1, 2), True, True),
        ),
        ('[time("00:00:00")..@"00:00:00"]', Range(dt.time(), dt.time(), True, True)),
    ],
)
def test_range_from_string(source: str, expected: Range) -> None:
    assert call("range", source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "[..2]",
        "[1..]",
        "",
        " ",
        ">=10",
        '[1.."b"]',
        "[3..1]",
        '["z".."a"]',
        "[null..null]",
        '[date(string("1970-01-01"))..date("1970-01-02")]',
        '[@"1970-01-01"..@"1970-01-02T00:00:00"]',
    ],
)
def test_range_from_bad_strings(source: str) -> None:
    with pytest.raises(FeelEvalError):
        call("range", source)


def test_range_rejects_a_range_value() -> None:
    with pytest.raises(FeelEvalError):
        call("range", r("[1..3]"))
