"""Timer dates given by FEEL values that Python's datetime cannot hold exactly."""

from __future__ import annotations

import datetime as dt

import pytest

import stead.feel as feel
from stead.model.timers import TimerOccurrence, TimerValueError, first_occurrence

NOW = dt.datetime(2025, 1, 31, 10, 0, tzinfo=dt.UTC)


def test_a_date_with_nanoseconds_is_due_at_the_microsecond() -> None:
    value = feel.evaluate('date and time("2025-02-01T08:00:00.123456789Z")').value
    assert first_occurrence("date", value, now=NOW) == TimerOccurrence(
        dt.datetime(2025, 2, 1, 8, 0, 0, 123456, dt.UTC), 0
    )


def test_a_date_beyond_year_9999_is_refused() -> None:
    value = feel.evaluate('date and time("10000-01-01T00:00:00Z")').value
    with pytest.raises(TimerValueError, match="years 1 to 9999"):
        first_occurrence("date", value, now=NOW)
