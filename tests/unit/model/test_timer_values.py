"""Timer values: parsing ISO 8601 and cron, and when a timer is due."""

from __future__ import annotations

import datetime as dt
import decimal
import zoneinfo

import pytest

from stead.feel.values import DayTimeDuration, YearMonthDuration
from stead.model import timers
from stead.model.timers import (
    CronSchedule,
    IsoDuration,
    RepeatingInterval,
    TimerOccurrence,
    TimerValueError,
    first_occurrence,
    next_occurrence,
    parse_cycle,
    parse_date,
    parse_duration,
)

UTC = dt.UTC
NOW = dt.datetime(2025, 1, 31, 10, 0, tzinfo=UTC)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT15M", IsoDuration(seconds=decimal.Decimal(900))),
        ("P1DT12H", IsoDuration(days=1, seconds=decimal.Decimal(43200))),
        ("P2W", IsoDuration(days=14)),
        ("P1Y2M", IsoDuration(years=1, months=2)),
        ("PT0.5S", IsoDuration(seconds=decimal.Decimal("0.5"))),
        ("PT1,5S", IsoDuration(seconds=decimal.Decimal("1.5"))),
        ("-PT1M", IsoDuration(seconds=decimal.Decimal(60), negative=True)),
    ],
)
def test_parse_duration(text: str, expected: IsoDuration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "P1H", "PT1D", "1 hour", "P1YT", "P99999Y"])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(TimerValueError):
        parse_duration(text)


def test_months_clamp_to_the_end_of_the_month() -> None:
    assert parse_duration("P1M").add_to(NOW) == dt.datetime(2025, 2, 28, 10, 0, tzinfo=UTC)
    assert parse_duration("P1Y1M").add_to(NOW) == dt.datetime(2026, 2, 28, 10, 0, tzinfo=UTC)


def test_days_are_calendar_days_and_hours_are_elapsed_time_across_dst() -> None:
    before_change = dt.datetime(2025, 3, 29, 12, 0, tzinfo=BERLIN)
    assert parse_duration("P1D").add_to(before_change) == dt.datetime(
        2025, 3, 30, 12, 0, tzinfo=BERLIN
    )
    # 30 March has 23 hours in Berlin: 24 elapsed hours end at 13:00 local time.
    assert parse_duration("PT24H").add_to(before_change) == dt.datetime(
        2025, 3, 30, 13, 0, tzinfo=BERLIN
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01T09:00:00Z", dt.datetime(2025, 3, 1, 9, tzinfo=UTC)),
        (
            "2025-03-01T09:00:00+01:00",
            dt.datetime(2025, 3, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        ("2025-07-01T09:00:00+02:00[Europe/Berlin]", dt.datetime(2025, 7, 1, 9, tzinfo=BERLIN)),
        ("2025-07-01T09:00:00[Europe/Berlin]", dt.datetime(2025, 7, 1, 9, tzinfo=BERLIN)),
    ],
)
def test_parse_date(text: str, expected: dt.datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-03-01T09:00:00", "needs a time zone offset"),
        ("2025-03-01", "not a date and time"),
        ("2025-03-01T09:00:00Z[Mars/Base]", "unknown time zone"),
        ("yesterday", "not a date and time"),
    ],
)
def test_invalid_dates(text: str, reason: str) -> None:
    with pytest.raises(TimerValueError, match=reason):
        parse_date(text)


def test_parse_cycles() -> None:
    assert parse_cycle("R3/PT10M") == RepeatingInterval(3, parse_duration("PT10M"))
    assert parse_cycle("R/P1D") == RepeatingInterval(None, parse_duration("P1D"))
    assert parse_cycle("R2/2025-02-01T00:00:00Z/P1D") == RepeatingInterval(
        2, parse_duration("P1D"), dt.datetime(2025, 2, 1, tzinfo=UTC)
    )
    assert parse_cycle("0 0 9 * * MON-FRI") == CronSchedule("0 0 9 * * MON-FRI", True)
    assert parse_cycle("*/5 * * * *") == CronSchedule("*/5 * * * *", False)
    assert parse_cycle("@daily") == CronSchedule("@daily", False)


@pytest.mark.parametrize("text", ["R0/PT1M", "R3/-PT1M", "R/PT0S", "R3", "R3/a/b/c", "* *"])
def test_invalid_cycles(text: str) -> None:
    with pytest.raises(TimerValueError):
        parse_cycle(text)


def test_duration_and_date_timers_fire_once() -> None:
    assert first_occurrence("duration", "PT1H", now=NOW) == TimerOccurrence(
        NOW + dt.timedelta(hours=1), 0
    )
    due = first_occurrence("date", "2025-02-01T00:00:00Z", now=NOW)
    assert due == TimerOccurrence(dt.datetime(2025, 2, 1, tzinfo=UTC), 0)


def test_feel_values_are_accepted() -> None:
    seconds = DayTimeDuration(decimal.Decimal(90))
    assert first_occurrence("duration", seconds, now=NOW).due == NOW + dt.timedelta(seconds=90)  # type: ignore[union-attr]
    months = first_occurrence("duration", YearMonthDuration(1), now=NOW)
    assert months is not None
    assert months.due == dt.datetime(2025, 2, 28, 10, tzinfo=UTC)
    naive = first_occurrence("date", dt.datetime(2025, 5, 1, 8), now=NOW)
    assert naive is not None
    assert naive.due == dt.datetime(2025, 5, 1, 8, tzinfo=UTC)
    day = first_occurrence("date", dt.date(2025, 5, 1), now=NOW)
    assert day is not None
    assert day.due == dt.datetime(2025, 5, 1, tzinfo=UTC)
    delta = first_occurrence("duration", dt.timedelta(minutes=5), now=NOW)
    assert delta is not None
    assert delta.due == NOW + dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("duration", None),
        ("duration", 5),
        ("date", [1]),
        ("cycle", DayTimeDuration(decimal.Decimal(1))),
    ],
)
def test_values_of_the_wrong_type_are_refused(kind: timers.TimerKind, value: object) -> None:
    with pytest.raises(TimerValueError, match="a timer"):
        first_occurrence(kind, value, now=NOW)


def test_repeating_interval_counts_down_and_ends() -> None:
    first = first_occurrence("cycle", "R3/PT10M", now=NOW)
    assert first == TimerOccurrence(NOW + dt.timedelta(minutes=10), 2)
    second = next_occurrence("R3/PT10M", first, now=first.due)
    assert second == TimerOccurrence(NOW + dt.timedelta(minutes=20), 1)
    third = next_occurrence("R3/PT10M", second, now=second.due)  # type: ignore[arg-type]
    assert third == TimerOccurrence(NOW + dt.timedelta(minutes=30), 0)
    assert next_occurrence("R3/PT10M", third, now=third.due) is None  # type: ignore[arg-type]


def test_endless_cycle_and_missed_occurrences_are_skipped() -> None:
    first = first_occurrence("cycle", "R/PT1H", now=NOW)
    assert first == TimerOccurrence(NOW + dt.timedelta(hours=1), None)
    # The engine was down for five hours: the next occurrence is the first one in the future.
    late = NOW + dt.timedelta(hours=5, minutes=30)
    assert next_occurrence("R/PT1H", first, now=late) == TimerOccurrence(
        NOW + dt.timedelta(hours=6), None
    )


def test_cycle_with_start_date() -> None:
    future = first_occurrence("cycle", "R2/2025-02-01T00:00:00Z/P1D", now=NOW)
    assert future == TimerOccurrence(dt.datetime(2025, 2, 1, tzinfo=UTC), 1)
    resumed = first_occurrence("cycle", "R5/2025-01-29T12:00:00Z/P1D", now=NOW)
    # Slots on 29 and 30 January have passed; the third (31 January, 12:00) is next.
    assert resumed == TimerOccurrence(dt.datetime(2025, 1, 31, 12, tzinfo=UTC), 2)
    assert first_occurrence("cycle", "R2/2025-01-01T00:00:00Z/P1D", now=NOW) is None


def test_cron_cycles_in_utc() -> None:
    weekdays = first_occurrence("cycle", "0 0 9 * * MON-FRI", now=NOW)  # a Friday
    assert weekdays == TimerOccurrence(dt.datetime(2025, 2, 3, 9, tzinfo=UTC), None)
    following = next_occurrence("0 0 9 * * MON-FRI", weekdays, now=weekdays.due)  # type: ignore[arg-type]
    assert following is not None
    assert following.due == dt.datetime(2025, 2, 4, 9, tzinfo=UTC)
    five_field = first_occurrence("cycle", "30 * * * *", now=NOW)
    assert five_field is not None
    assert five_field.due == NOW + dt.timedelta(minutes=30)


def test_far_future_overflow_is_a_timer_error() -> None:
    with pytest.raises(TimerValueError):
        first_occurrence("duration", "P999Y", now=dt.datetime(9990, 1, 1, tzinfo=UTC))


def test_a_long_outage_of_a_fast_cycle_is_skipped_at_once() -> None:
    first = first_occurrence("cycle", "R/PT1S", now=NOW)
    assert first is not None
    month_later = NOW + dt.timedelta(days=30, seconds=0.5)
    following = next_occurrence("R/PT1S", first, now=month_later)
    assert following == TimerOccurrence(NOW + dt.timedelta(days=30, seconds=1), None)
    bounded = first_occurrence("cycle", "R5/PT1S", now=NOW)
    assert bounded is not None
    assert next_occurrence("R5/PT1S", bounded, now=month_later) is None
