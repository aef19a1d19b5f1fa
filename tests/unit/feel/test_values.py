"""FEEL equality and ordering across types (DMN 1.5, 10.3.2.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stead.feel.temporal import parse_at_literal as at
from stead.feel.values import Range, feel_compare, feel_equals, type_name

N = Decimal


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (None, None, True),
        (True, None, False),
        (N(100), None, False),
        ([], None, False),
        (True, True, True),
        (True, False, False),
        (False, N(0), None),
        (N(0), N("0.00"), True),
        (N("-0"), N(0), True),
        (N(12300), N("1.23e4"), True),
        (N(100), "100", None),
        ("foo", "Foo", False),
        ([N(1), N(2)], [N(1), N(2)], True),
        ([N(1)], [N(1), N(1)], False),
        ([N(1), [N(3), N(4)]], [N(1), [N(4), N(3)]], False),
        ([], N(0), None),
        ({}, {}, True),
        ({"foo": "bar", "bar": "baz"}, {"bar": "baz", "foo": "bar"}, True),
        ({"a": {"c": "x", "b": "y"}}, {"a": {"b": "y", "c": "x"}}, True),
        ({"foo": "bar"}, {"foo": "baz"}, False),
        ({}, [], None),
        (Range(N(1), N(10), False, True), Range(N(1), N(10), False, True), True),
        (Range(N(1), N(10), True, True), Range(N(1), N(10), False, True), False),
        (at("10:30:00.0000"), at("10:30:00"), True),
        (at("10:30:00.0001"), at("10:30:00.0002"), True),
        (at("10:30:00Z"), at("10:30:00+00:00"), True),
        (at("10:30:00"), at("10:30:00Z"), False),
        (at("2018-12-08"), at("2018-12-08T00:00:00"), None),
        (at("2018-12-08T00:00:00"), at("2018-12-08T00:00:00@Europe/Paris"), False),
        (at("2018-10-08T00:00:00+02:00"), at("2018-10-08T00:00:00@Europe/Paris"), True),
        (
            at("2002-04-02T12:00:00@Australia/Melbourne"),
            at("2002-04-02T12:00:00@Australia/Sydney"),
            True,
        ),
        (at("2002-04-02T23:00:00-04:00"), at("2002-04-03T02:00:00-01:00"), True),
        (at("2018-12-08T00:00:00@Europe/Paris"), at("2018-12-08T00:00:00@Asia/Dhaka"), False),
        (at("P1D"), at("PT24H"), True),
        (at("P0D"), at("-P0D"), True),
        (at("P1Y"), at("P12M"), True),
        (at("P1Y"), at("P365D"), None),
        (at("P0Y"), N(0), None),
    ],
)
def test_feel_equals(left: Any, right: Any, expected: bool | None) -> None:
    assert feel_equals(left, right) is expected
    assert feel_equals(right, left) is expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (N(1), N(2), -1),
        ("b", "a", 1),
        (at("2018-12-08"), at("2018-12-09"), -1),
        (at("2018-12-08T10:30:00"), at("2018-12-08T10:30:00"), 0),
        (at("2018-12-08T10:30:00+01:00"), at("2018-12-08T10:00:00Z"), -1),
        (at("10:00:00+01:00"), at("09:30:00Z"), -1),
        (at("P1D"), at("PT25H"), -1),
        (at("P1Y"), at("P11M"), 1),
        (N(1), "1", None),
        (True, False, None),
        (at("2018-12-08T10:30:00"), at("2018-12-08T10:30:00Z"), None),
        (at("2018-12-08"), at("2018-12-08T00:00:00"), None),
        ([N(1)], [N(2)], None),
        (N("NaN"), N(1), None),
        (N(1), N("NaN"), None),
    ],
)
def test_feel_compare(left: Any, right: Any, expected: int | None) -> None:
    assert feel_compare(left, right) == expected


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "Null"),
        (True, "boolean"),
        (N(1), "number"),
        ("x", "string"),
        (at("2018-12-08"), "date"),
        (at("2018-12-08T10:30:00"), "date and time"),
        (at("10:30:00"), "time"),
        (at("P1D"), "days and time duration"),
        (at("P1Y"), "years and months duration"),
        ([], "list"),
        ({}, "context"),
        (Range(None, N(1), False, False), "range"),
    ],
)
def test_type_name(value: Any, name: str) -> None:
    assert type_name(value) == name
