"""Dates and times beyond Python's calendar: any year up to nine digits, nanoseconds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import stead.feel as feel
from stead.feel.values import WideDate, WideDateTime, WideTime
from stead.feel.wide_temporal import civil_from_days, days_from_civil


def value_of(expression: str) -> Any:
    result = feel.evaluate(expression)
    assert not result.warnings, result.warnings
    return result.value


@pytest.mark.parametrize(
    "text",
    [
        "-2017-12-31",
        "999999999-12-31",
        "-999999999-01-01",
        "0000-02-29",
        "10000-01-01",
    ],
)
def test_dates_of_any_year_read_and_print_back(text: str) -> None:
    assert value_of(f'string(date("{text}"))') == text


@pytest.mark.parametrize(
    "text",
    [
        "99999-12-31T11:22:33",
        "-2017-12-31T11:22:33.456+01:35",
        "2011-12-31T10:15:30.123456789@Europe/Paris",
        "999999999-12-31T23:59:59.999999999@Europe/Paris",
        "2018-12-10T10:30:00.0001+05:00:01",
    ],
)
def test_date_times_of_any_year_and_precision_read_and_print_back(text: str) -> None:
    assert value_of(f'string(date and time("{text}"))') == text


def test_python_types_are_kept_whenever_they_can_hold_the_value() -> None:
    assert value_of('date("2017-01-01")') == dt.date(2017, 1, 1)
    assert value_of('time("10:00:00.123456000")') == dt.time(10, 0, 0, 123456)
    assert isinstance(value_of('date("10000-01-01")'), WideDate)
    assert isinstance(value_of('time("10:00:00.000000001")'), WideTime)
    assert isinstance(value_of('date and time("-0001-01-01T00:00:00")'), WideDateTime)


def test_wide_and_python_values_compare_with_each_other() -> None:
    assert value_of('date("-2017-12-31") < date("0001-01-01")') is True
    assert value_of('date("10000-01-01") > date("9999-12-31")') is True
    assert value_of('date("9999-12-31") + duration("P1D") = date("10000-01-01")') is True
    assert value_of('time("10:00:00.000000001") = time("10:00:00")') is True  # millisecond grain
    later = value_of('[date("10000-01-01"), date("2000-01-01")][item > date("5000-01-01")]')
    assert later == [WideDate(10000, 1, 1)]


def test_types_and_properties_of_wide_values() -> None:
    assert value_of('date("-2017-12-31") instance of date') is True
    assert value_of('date and time("99999-12-31T11:22:33") instance of date and time') is True
    assert value_of('time("10:00:00.000000001") instance of time') is True
    assert value_of('date("-2017-12-31").year') == Decimal(-2017)
    assert value_of('time("10:00:01.123456789").second') == Decimal("1.123456789")
    # The proleptic Gregorian calendar repeats every 400 years: 0000-01-01 was a Saturday.
    assert value_of('date("0000-01-01").weekday') == Decimal(6)
    assert value_of('day of week(date("-0400-01-01"))') == "Saturday"
    assert value_of('day of year(date("99999-12-31"))') == Decimal(365)
    assert value_of('years and months duration(date("-2017-01-01"), date("2017-03-01"))') == (
        value_of('duration("P4034Y2M")')
    )


def test_is_and_json_of_wide_values() -> None:
    assert value_of('is(date("-2017-01-01"), date("-2017-01-01"))') is True
    assert value_of('is(time("10:00:00.000000001Z"), time("10:00:00.000000001+00:00"))') is True
    assert feel.to_json(value_of('date("-2017-01-01")')) == "-2017-01-01"
    assert feel.to_json(value_of('date and time("99999-12-31T11:22:33@Europe/Paris")')) == (
        "99999-12-31T11:22:33+01:00[Europe/Paris]"
    )


def test_due_dates_need_pythons_calendar() -> None:
    nanos = value_of('date and time("2030-01-01T10:00:00.123456789Z")')
    assert nanos.to_python() == dt.datetime(2030, 1, 1, 10, 0, 0, 123456, dt.UTC)
    with pytest.raises(ValueError, match=r"outside 1\.\.9999"):
        value_of('date and time("10000-01-01T00:00:00Z")').to_python()


@pytest.mark.parametrize("start", [dt.date(1, 1, 1), dt.date(1899, 12, 25), dt.date(9997, 6, 1)])
def test_day_counting_agrees_with_pythons_calendar(start: dt.date) -> None:
    epoch = dt.date(1970, 1, 1).toordinal()
    for offset in range(0, 800, 7):
        day = dt.date.fromordinal(start.toordinal() + offset)
        days = days_from_civil(day.year, day.month, day.day)
        assert days == day.toordinal() - epoch
        assert civil_from_days(days) == (day.year, day.month, day.day)
