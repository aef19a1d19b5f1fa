"""Properties of dates, times, durations and ranges (``x.year``, ``r.start`` ...)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stead.feel.properties import get_property
from stead.feel.temporal import parse_at_literal as at
from stead.feel.values import DayTimeDuration, FeelEvalError, Range

N = Decimal


@pytest.mark.parametrize(
    ("value", "name", "expected"),
    [
        (at("2018-12-10"), "year", N(2018)),
        (at("2018-12-10"), "month", N(12)),
        (at("2018-12-10"), "day", N(10)),
        (at("2018-12-10"), "weekday", N(1)),
        (at("2018-12-10T10:30:01"), "weekday", N(1)),
        (at("2018-12-10T10:30:01"), "hour", N(10)),
        (at("2018-12-10T10:30:01"), "minute", N(30)),
        (at("2018-12-10T10:30:01"), "second", N(1)),
        (at("2018-12-10T10:30:01.5"), "second", N("1.5")),
        (at("2018-12-10T10:30:00+05:00"), "time offset", DayTimeDuration(N(18000))),
        (at("2018-12-10T10:30:00"), "time offset", None),
        (at("2018-12-10T10:30:00@Etc/UTC"), "timezone", "Etc/UTC"),
        (at("2018-12-10T10:30:00"), "timezone", None),
        (at("10:30:00-01:00"), "time offset", DayTimeDuration(N(-3600))),
        (at("10:30:00"), "hour", N(10)),
        (at("P1Y2M"), "years", N(1)),
        (at("P1Y2M"), "months", N(2)),
        (at("-P14M"), "months", N(-2)),
        (at("P1DT2H3M4.5S"), "days", N(1)),
        (at("P1DT2H3M4.5S"), "hours", N(2)),
        (at("P1DT2H3M4.5S"), "minutes", N(3)),
        (at("P1DT2H3M4.5S"), "seconds", N("4.5")),
        (at("-PT2H"), "hours", N(-2)),
        (Range(N(1), N(10), False, True), "start", N(1)),
        (Range(N(1), N(10), False, True), "start included", False),
        (Range(None, N(10), False, True), "end included", True),
        (Range(None, N(10), False, True), "start", None),
        (None, "year", None),
    ],
)
def test_get_property(value: Any, name: str, expected: Any) -> None:
    assert get_property(value, name) == expected


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (at("P1Y"), "days"),
        (at("P1D"), "years"),
        (at("2018-12-10"), "hour"),
        (at("10:30:00"), "year"),
        (N(1), "year"),
        (Range(N(1), N(2), True, True), "size"),
    ],
)
def test_unknown_property_is_an_error(value: Any, name: str) -> None:
    with pytest.raises(FeelEvalError):
        get_property(value, name)
