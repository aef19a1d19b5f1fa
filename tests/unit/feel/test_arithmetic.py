"""FEEL arithmetic on numbers, strings, temporals and durations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stead.feel.arithmetic import add, divide, multiply, negate, power, subtract
from stead.feel.temporal import format_temporal
from stead.feel.temporal import parse_at_literal as at
from stead.feel.values import DayTimeDuration, FeelEvalError, Range

N = Decimal


def shown(value: Any) -> Any:
    """Temporal results as their FEEL text, other values unchanged."""
    text = format_temporal(value)
    return value if text is None else text


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (N("1.2345"), N("2.234"), N("3.4685")),
        ("foo", "bar", "foobar"),
        (at("2021-01-01T10:10:10"), at("P1M"), "2021-02-01T10:10:10"),
        (at("2021-01-31T10:10:10"), at("P1M"), "2021-02-28T10:10:10"),
        (at("P1Y"), at("2021-01-01T10:10:10"), "2022-01-01T10:10:10"),
        (at("2021-01-01T10:10:10+11:00"), at("-PT1H"), "2021-01-01T09:10:10+11:00"),
        (
            at("2021-01-12T10:10:10@Australia/Melbourne"),
            at("P1DT1H"),
            "2021-01-13T11:10:10@Australia/Melbourne",
        ),
        (at("2021-01-01T24:00:00"), at("PT1S"), "2021-01-02T00:00:01"),
        (at("2021-01-01"), at("PT36H"), "2021-01-02"),
        (at("P1D"), at("2021-01-01"), "2021-01-02"),
        (at("2021-01-01"), at("P1Y"), "2022-01-01"),
        (at("10:15:00"), at("PT1H"), "11:15:00"),
        (at("10:15:00+11:00"), at("P1D"), "10:15:00+11:00"),
        (at("23:30:00@Australia/Melbourne"), at("PT1H"), "00:30:00@Australia/Melbourne"),
        (at("P1Y"), at("-P2M"), "P10M"),
        (at("PT24H"), at("P1D"), "P2D"),
        (None, N(1), None),
        (N(1), None, None),
    ],
)
def test_add(left: Any, right: Any, expected: Any) -> None:
    assert shown(add(left, right)) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (N("1.1234"), N("-0.2345"), N("1.3579")),
        (at("2021-01-02T10:10:10"), at("2021-01-01T10:10:10"), "P1D"),
        (at("2021-01-02T10:10:10@Europe/Paris"), at("2021-01-01T10:10:10@Asia/Dhaka"), "P1DT5H"),
        (at("2021-01-02T10:10:10+01:00"), at("2021-01-01T10:10:10@Europe/Paris"), "P1D"),
        (at("2021-01-02T00:00:00Z"), at("2021-01-02"), "PT0S"),
        (at("2021-01-02T10:10:10@Europe/Paris"), at("1995-01-01"), "P9498DT9H10M10S"),
        (at("2021-01-02"), at("2021-01-01T10:10:10+11:00"), "P1DT49M50S"),
        (at("2021-01-02"), at("1995-01-01"), "P9498D"),
        (at("2021-01-02"), at("PT25H"), "2020-12-31"),
        (at("2021-01-02"), at("-PT1H"), "2021-01-02"),
        (at("2020-03-01"), at("PT24H"), "2020-02-29"),
        (at("2021-01-02"), at("P1M"), "2020-12-02"),
        (at("2021-01-01T10:10:10"), at("P1Y"), "2020-01-01T10:10:10"),
        (at("10:10:10"), at("11:10:10"), "-PT1H"),
        (at("10:10:10@Australia/Melbourne"), at("09:10:10@Australia/Melbourne"), "PT1H"),
        (at("10:10:10+11:00"), at("PT1H"), "09:10:10+11:00"),
        (at("-P1D"), at("-PT2H"), "-PT22H"),
        (at("-P1Y"), at("P2M"), "-P1Y2M"),
    ],
)
def test_subtract(left: Any, right: Any, expected: Any) -> None:
    assert shown(subtract(left, right)) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (at("2021-01-02T10:10:10@Europe/Paris"), at("2021-01-01T10:10:10")),
        (at("2021-01-02T10:10:10"), at("2021-01-01T10:10:10+02:00")),
        (at("2021-01-01T00:00:00"), at("2021-01-02")),
        (at("2021-01-02"), at("2021-01-01T10:10:10")),
        (at("10:10:10"), at("10:10:10Z")),
        (at("P1D"), at("2021-01-01")),
        (at("P1Y"), at("P1D")),
        ("a", N(1)),
    ],
)
def test_subtract_invalid_combinations(left: Any, right: Any) -> None:
    with pytest.raises(FeelEvalError):
        subtract(left, right)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (N(10), N(-10), N(-100)),
        (N("1.5"), at("P4DT1H"), "P6DT1H30M"),
        (at("PT23H"), N("2.5"), "P2DT9H30M"),
        (N(26), at("P1M"), "P2Y2M"),
        (N("1.5"), at("P2M"), "P3M"),
        (at("P1Y11M"), N("-2.5"), "-P4Y9M"),
        (N(0), at("P1D"), "PT0S"),
    ],
)
def test_multiply(left: Any, right: Any, expected: Any) -> None:
    assert shown(multiply(left, right)) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (N(100), N(10), N(10)),
        (N(1), N(3), N("0.3333333333333333333333333333333333")),
        (at("P10Y11M"), N("2.5"), "P4Y4M"),
        (at("P10Y11M"), N("-2.5"), "-P4Y4M"),
        (at("P10Y"), at("P5Y"), N(2)),
        (at("P10DT23H"), N("2.5"), "P4DT9H12M"),
        (at("P10D"), at("P5D"), N(2)),
    ],
)
def test_divide(left: Any, right: Any, expected: Any) -> None:
    assert shown(divide(left, right)) == expected


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (N(100), N(0)),
        (at("P10Y"), N(0)),
        (at("P10D"), N(0)),
        (at("P10D"), at("P0D")),
        (at("P10D"), at("P0Y")),
        (N(0), N(0)),
        (N(1), at("P1D")),
    ],
)
def test_divide_invalid(left: Any, right: Any) -> None:
    with pytest.raises(FeelEvalError):
        divide(left, right)


OTHER_TYPES: list[Any] = [
    "10",
    True,
    at("2021-01-01"),
    at("2021-01-01T10:10:10"),
    at("10:10:10"),
    [N(10)],
    {"a": N(10)},
    Range(N(1), N(10), True, True),
]


@pytest.mark.parametrize("other", OTHER_TYPES)
def test_multiplying_a_number_by_anything_else_is_an_error(other: Any) -> None:
    with pytest.raises(FeelEvalError):
        multiply(N(10), other)
    with pytest.raises(FeelEvalError):
        multiply(other, N(10))


def test_power() -> None:
    assert power(N(5), N(-2)) == N("0.04")
    assert power(N(3), N(4)) == N(81)
    assert str(power(N(5), N("2.55"))).startswith("60.58617166606")
    assert power(None, N(2)) is None
    for bad in [(N(-8), N("0.5")), ("foo", N(4)), (at("P2D"), N(4)), (N(0), N(-1))]:
        with pytest.raises(FeelEvalError):
            power(*bad)


def test_negate() -> None:
    assert negate(N(3)) == N(-3)
    assert shown(negate(at("P1D"))) == "-P1D"
    assert shown(negate(at("-P1Y"))) == "P1Y"
    assert negate(None) is None
    with pytest.raises(FeelEvalError):
        negate("a")


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("9999-12-31", "P1D", "10000-01-01"),
        ("9999-12-31T23:00:00Z", "PT2H", "10000-01-01T01:00:00Z"),
        ("-2017-12-31", "P1D", "-2016-01-01"),
        ("-0004-02-28", "P1D", "-0004-02-29"),  # proleptic Gregorian: -4 is a leap year
        ("-0001-02-28", "P1D", "-0001-03-01"),
        ("99999-01-31", "P1M", "99999-02-28"),
        ("2011-12-31T10:15:30.123456789@Europe/Paris", "PT0.000000011S", None),
        ("23:59:59.999999999", "PT0.000000001S", "00:00:00"),
    ],
)
def test_arithmetic_beyond_pythons_calendar(left: str, right: str, expected: str | None) -> None:
    result = shown(add(at(left), at(right)))
    if expected is None:
        assert result == "2011-12-31T10:15:30.1234568@Europe/Paris"
    else:
        assert result == expected


def test_subtraction_across_wide_and_python_values() -> None:
    assert subtract(at("10000-01-01"), at("9999-12-31")) == DayTimeDuration(N(86400))
    # XML Schema counts a year 0, which is a leap year: two years are 731 days.
    assert subtract(at("0001-01-01"), at("-0001-01-01")) == DayTimeDuration(N(731 * 86400))
    nanos = subtract(at("10:00:00.000000001"), at("10:00:00"))
    assert nanos == DayTimeDuration(N("0.000000001"))
    with pytest.raises(FeelEvalError):
        subtract(at("99999-01-01T00:00:00Z"), at("99999-01-01T00:00:00"))


def test_results_beyond_nine_digit_years_are_errors() -> None:
    with pytest.raises(FeelEvalError):
        add(at("999999999-12-31"), at("P1D"))
