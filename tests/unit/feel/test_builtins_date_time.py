"""Date and time built-ins: day/week/month of year, now, today, is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.temporal import parse_at_literal as at
from stead.feel.values import FeelEvalError


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


@pytest.mark.parametrize(
    ("date", "expected"),
    [("1970-01-01", 1), ("2019-12-31", 365), ("2020-12-31T10:10:10", 366), ("2019-09-17", 260)],
)
def test_day_of_year(date: str, expected: int) -> None:
    assert call("day of year", at(date)) == Decimal(expected)


def test_day_of_week_and_month_of_year_are_english_names() -> None:
    assert call("day of week", at("2019-09-17")) == "Tuesday"
    assert call("day of week", at("2019-09-22T10:10:10")) == "Sunday"
    assert call("month of year", at("2019-09-17")) == "September"
    assert call("month of year", at("2019-01-01")) == "January"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2019-09-17", 38),
        ("2003-12-29", 1),
        ("2004-01-01", 1),
        ("2010-01-01", 53),
        ("2005-01-01", 53),
        ("2005-01-03", 1),
        ("1970-01-01T10:10:10", 1),
    ],
)
def test_week_of_year_is_iso_8601(date: str, expected: int) -> None:
    assert call("week of year", at(date)) == Decimal(expected)


@pytest.mark.parametrize("name", ["day of year", "day of week", "month of year", "week of year"])
@pytest.mark.parametrize("args", [(None,), ("foo",), (), (at("1970-01-01"), at("1970-01-01"))])
def test_calendar_functions_reject_bad_arguments(name: str, args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call(name, *args)


def test_calendar_functions_take_the_date_parameter_by_name() -> None:
    assert BUILTINS["day of year"].invoke_named({"date": at("2019-09-17")}) == Decimal(260)
    with pytest.raises(FeelEvalError):
        BUILTINS["day of year"].invoke_named({"value": at("2019-09-17")})


def test_now_is_a_zoned_date_and_time_and_today_a_date() -> None:
    before = dt.datetime.now(dt.UTC)
    now = call("now")
    assert isinstance(now, dt.datetime)
    assert now.tzinfo is not None
    assert now >= before
    today = call("today")
    assert type(today) is dt.date
    with pytest.raises(FeelEvalError):
        call("now", Decimal(123))
    with pytest.raises(FeelEvalError):
        call("today", Decimal(123))


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("2012-12-25", "2012-12-25", True),
        ("2012-12-25", "2012-12-25T00:00:00Z", False),
        ("23:00:50+11:00", "23:00:50+11:00", True),
        ("23:00:50Z", "23:00:50+00:00", True),
        ("23:00:50", "23:00:50Z", False),
        ("23:00:50@Australia/Melbourne", "23:00:50@Australia/Melbourne", True),
        ("23:00:50@Australia/Melbourne", "23:00:50+10:00", False),
        ("23:00:50@Etc/GMT", "23:00:50Z", False),
        ("20:00:50+00:00", "21:00:50+01:00", False),
        ("2002-04-02T12:00:00-01:00", "2002-04-02T17:00:00+04:00", False),
        (
            "2012-12-25T10:10:10@Australia/Melbourne",
            "2012-12-25T10:10:10@Australia/Melbourne",
            True,
        ),
        ("P1D", "PT24H", True),
        ("P1Y", "P12M", True),
        ("P0Y", "P0D", False),
    ],
)
def test_is_compares_type_value_and_zone(left: str, right: str, expected: bool) -> None:
    assert call("is", at(left), at(right)) is expected


def test_is_with_plain_values_and_named_arguments() -> None:
    assert call("is", Decimal(1), Decimal("1.0")) is True
    assert call("is", "foo", "bar") is False
    assert call("is", True, True) is True
    assert BUILTINS["is"].invoke_named({"value1": at("2021-02-13")}) is False
    with pytest.raises(FeelEvalError):
        BUILTINS["is"].invoke_named({"value1": Decimal(1), "value2": Decimal(1), "value3": 1})
