"""FEEL values to JSON and back (the rules documented in docs/feel.md)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from decimal import Decimal

import pytest

import stead.feel as feel
from stead.feel.values import DayTimeDuration, Range, YearMonthDuration


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        ("text", "text"),
        (Decimal("42"), 42),
        (Decimal("42.000"), 42),
        (Decimal("1E+3"), 1000),
        (Decimal("0.1"), 0.1),
        (Decimal("-2.5"), -2.5),
        (Decimal("1E+40"), 1e40),
        (Decimal("1E+400"), "1E+400"),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (dt.time(9, 30), "09:30:00"),
        (dt.time(9, 30, 0, 500000), "09:30:00.5"),
        (dt.time(9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))), "09:30:00+02:00"),
        (dt.time(9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), "09:30:00@Europe/Paris"),
        (dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),
        (dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "2024-01-02T03:04:05Z"),
        (
            dt.datetime(2024, 7, 1, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
            "2024-07-01T12:00:00+02:00[Europe/Paris]",
        ),
        (DayTimeDuration(Decimal(93784)), "P1DT2H3M4S"),
        (DayTimeDuration(Decimal("-1.5")), "-PT1.5S"),
        (DayTimeDuration(Decimal(0)), "PT0S"),
        (YearMonthDuration(14), "P1Y2M"),
        (YearMonthDuration(-3), "-P3M"),
        (YearMonthDuration(0), "P0M"),
        (Range(Decimal(1), Decimal(2), True, True), None),
        ([Decimal(1), {"a": Decimal("2.5")}], [1, {"a": 2.5}]),
    ],
)
def test_to_json(value: object, expected: object) -> None:
    converted = feel.to_json(value)
    assert converted == expected
    assert type(converted) is type(expected)
    json.dumps(converted)


def test_functions_become_null() -> None:
    assert feel.to_json(feel.evaluate("function(x) x").value) is None


def test_from_json_makes_exact_decimals() -> None:
    value = feel.from_json({"amount": 0.1, "count": 3, "tags": ["a"], "ok": True, "none": None})
    assert value == {
        "amount": Decimal("0.1"),
        "count": Decimal(3),
        "tags": ["a"],
        "ok": True,
        "none": None,
    }


def test_from_json_keeps_strings_as_strings() -> None:
    assert feel.from_json("2024-01-01") == "2024-01-01"


def test_round_trip_through_json_text() -> None:
    value = feel.evaluate('{total: 12.5, lines: [1, 2], when: @"2024-05-01"}').value
    text = json.dumps(feel.to_json(value))
    assert feel.from_json(json.loads(text)) == {
        "total": Decimal("12.5"),
        "lines": [Decimal(1), Decimal(2)],
        "when": "2024-05-01",
    }
