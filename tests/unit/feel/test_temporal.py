"""Parsing and canonical formatting of dates, times, date-times and durations."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from stead.feel.temporal import format_temporal, parse_at_literal, parse_duration
from stead.feel.values import DayTimeDuration, FeelEvalError, YearMonthDuration


@pytest.mark.parametrize(
    "text",
    [
        "2019-03-31",
        "2018-12-08T10:30:11",
        "2018-12-08T10:30:11@Australia/Melbourne",
        "2018-12-08T10:30:11+11:00",
        "2017-12-31T11:22:33.567Z",
        "10:30:11",
        "10:30:11.25+11:00",
        "10:30:11@Australia/Melbourne",
        "11:59:45+02:45:55",
        "P10D",
        "P10Y",
        "-P1Y2M",
        "P1DT2H3M4.123456789S",
        "-PT0.5S",
    ],
)
def test_canonical_text_round_trips(text: str) -> None:
    if text == "11:59:45+02:45:55":
        # Offsets with seconds come from time(h, m, s, offset), never from text.
        value = dt.time(
            11, 59, 45, tzinfo=dt.timezone(dt.timedelta(hours=2, minutes=45, seconds=55))
        )
        assert format_temporal(value) == text
        return
    assert format_temporal(parse_at_literal(text)) == text


def test_literal_kinds() -> None:
    assert type(parse_at_literal("2019-03-31")) is dt.date
    assert isinstance(parse_at_literal("2019-03-31T00:00:00"), dt.datetime)
    assert isinstance(parse_at_literal("10:30:11"), dt.time)
    assert isinstance(parse_at_literal("10:30:11@Etc/GMT"), dt.time)
    assert isinstance(parse_at_literal("P1D"), DayTimeDuration)
    assert isinstance(parse_at_literal("P1M"), YearMonthDuration)


def test_zones_are_kept_as_given() -> None:
    zoned = parse_at_literal("2011-12-31T10:15:30@Europe/Paris")
    assert zoned.tzinfo == zoneinfo.ZoneInfo("Europe/Paris")
    assert parse_at_literal("10:00:00-00:00").tzinfo is dt.UTC
    assert parse_at_literal("10:00:00Z").tzinfo is dt.UTC


def test_end_of_day_rolls_over() -> None:
    assert parse_at_literal("2021-01-01T24:00:00") == dt.datetime(2021, 1, 2)


def test_nanoseconds_are_kept_and_finer_digits_dropped() -> None:
    assert format_temporal(parse_at_literal("11:22:33.1234567891")) == "11:22:33.123456789"
    assert parse_at_literal("11:22:33.123456000") == dt.time(11, 22, 33, 123456)


@pytest.mark.parametrize(
    "text",
    [
        "foo",
        "",
        "2019-02-30",
        "2019-3-31",
        "24:00:01",
        "10:30",
        "10:30:00+15:00",
        "10:30:00@Mars/Olympus",
        "2017-12-31T13:20:00+02:00@Europe/Paris",
        "P",
        "PT",
        "P1Y1D",
        "02017-01-01",
        "1000999999-01-01",
        "+2017-01-01",
    ],
)
def test_bad_literals_are_errors(text: str) -> None:
    with pytest.raises(FeelEvalError):
        parse_at_literal(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("PT1H", 3600), ("-P1DT1S", -86401), ("PT0.5S", Decimal("0.5")), ("P2DT100M", 178800)],
)
def test_day_time_durations_hold_seconds(text: str, seconds: int | Decimal) -> None:
    assert parse_duration(text) == DayTimeDuration(Decimal(seconds))


def test_year_month_durations_hold_months() -> None:
    assert parse_duration("P1Y27M") == YearMonthDuration(39)
    assert parse_duration("-P2Y") == YearMonthDuration(-24)
