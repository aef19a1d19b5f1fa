"""Conversion built-ins: date, time, date and time, duration, number, string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.temporal import format_temporal, parse_at_literal
from stead.feel.values import DayTimeDuration, FeelEvalError, Range, YearMonthDuration


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


def call_named(name: str, **named: Any) -> Any:
    return BUILTINS[name].invoke_named({k.replace("_", " "): v for k, v in named.items()})


def text(value: Any) -> str | None:
    return format_temporal(value)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2017-12-31",), "2017-12-31"),
        ((parse_at_literal("2017-08-14T14:25:00"),), "2017-08-14"),
        ((parse_at_literal("2017-09-03T09:45:30@Europe/Paris"),), "2017-09-03"),
        ((parse_at_literal("2017-10-11"),), "2017-10-11"),
        ((Decimal(2017), Decimal(1), Decimal(1)), "2017-01-01"),
    ],
)
def test_date_converts_strings_date_times_and_parts(args: tuple[Any, ...], expected: str) -> None:
    assert text(call("date", *args)) == expected


@pytest.mark.parametrize(
    "args",
    [
        (None,),
        (None, Decimal(2), Decimal(1)),
        ("2012-12-25T",),
        ("",),
        ("2012/12/25",),
        ("2017-13-10",),
        ("2017-12-32",),
        ("998-12-31",),
        ("01211-12-31",),
        ("+2012-12-02",),
        ("9999999999-12-25",),
        (Decimal(2017), Decimal(13), Decimal(31)),
        (Decimal(2017), Decimal(8), Decimal(-2)),
        (Decimal(1),),
        ([],),
        (),
    ],
)
def test_date_rejects_bad_input(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("date", *args)


def test_years_outside_pythons_calendar_are_dates_too() -> None:
    before = call("date", "-2017-12-31")
    assert (before.year, before.month, before.day) == (-2017, 12, 31)
    assert call("string", call("date", Decimal(999999999), Decimal(12), Decimal(31))) == (
        "999999999-12-31"
    )
    assert call("string", before) == "-2017-12-31"


def test_years_beyond_nine_digits_are_a_clear_error() -> None:
    with pytest.raises(FeelEvalError, match="outside"):
        call("date", Decimal(-1000999999), Decimal(12), Decimal(1))


def test_date_named_parameters() -> None:
    assert call_named("date", year=Decimal(2017), month=Decimal(8), day=Decimal(30)) == dt.date(
        2017, 8, 30
    )
    assert call_named("date", **{"from": "2012-12-25"}) == dt.date(2012, 12, 25)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("01:02:03",), "01:02:03"),
        (("11:22:33.444",), "11:22:33.444"),
        (("11:22:33-00:00",), "11:22:33Z"),
        (("13:20:00-05:00",), "13:20:00-05:00"),
        (("00:01:00@Europe/Paris",), "00:01:00@Europe/Paris"),
        ((parse_at_literal("2017-08-10T10:20:00+01:00"),), "10:20:00+01:00"),
        ((parse_at_literal("2017-08-10"),), "00:00:00Z"),
        ((Decimal(12), Decimal(0), Decimal(0), None), "12:00:00"),
        ((Decimal(11), Decimal(59), Decimal(45), parse_at_literal("-PT2H")), "11:59:45-02:00"),
        (
            (Decimal(11), Decimal(59), Decimal(45), parse_at_literal("PT2H45M55S")),
            "11:59:45+02:45:55",
        ),
        ((Decimal(11), Decimal(59), Decimal(45), parse_at_literal("PT0H")), "11:59:45Z"),
        ((Decimal(12), Decimal(59), Decimal("1.3"), None), "12:59:01.3"),
    ],
)
def test_time_conversions(args: tuple[Any, ...], expected: str) -> None:
    assert text(call("time", *args)) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("23:59:60",),
        ("24:00:01",),
        ("7:00:00",),
        ("13:20:00@xyz/abc",),
        ("13:20:00+19:00",),
        ("13:20:00+5:00",),
        ("13:20:00+02:00@Europe/Paris",),
        ("11:30:00T",),
        (Decimal(24), Decimal(59), Decimal(45), None),
        (Decimal(23), Decimal(60), Decimal(45), None),
        (None, Decimal(11), Decimal(45), None),
        (Decimal(2017),),
    ],
)
def test_time_rejects_bad_input(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("time", *args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("2012-12-24",), "2012-12-24T00:00:00"),
        (("2017-12-31T11:22:33.567Z",), "2017-12-31T11:22:33.567Z"),
        (("2017-12-31T11:22:33-01:35",), "2017-12-31T11:22:33-01:35"),
        (("2011-12-31T10:15:30@Europe/Paris",), "2011-12-31T10:15:30@Europe/Paris"),
        (
            (parse_at_literal("2017-01-01"), parse_at_literal("23:59:01+02:00")),
            "2017-01-01T23:59:01+02:00",
        ),
        (
            (parse_at_literal("2017-09-05T10:20:00-01:00"), parse_at_literal("09:15:30Z")),
            "2017-09-05T09:15:30Z",
        ),
    ],
)
def test_date_and_time_conversions(args: tuple[Any, ...], expected: str) -> None:
    assert text(call("date and time", *args)) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("2011-12-0310:15:30",),
        ("11:00:00",),
        ("2017-12-31T13:20:00+02:00@Europe/Paris",),
        ("2017-00-10T11:22:33",),
        (parse_at_literal("2017-08-10"), None),
        (None, parse_at_literal("23:59:01")),
    ],
)
def test_date_and_time_rejects_bad_input(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("date and time", *args)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("P1DT2H3M4.123456789S", "P1DT2H3M4.123456789S"),
        ("PT1000M", "PT16H40M"),
        ("PT0.S", "PT0S"),
        ("P0D", "PT0S"),
        ("-PT1H2M", "-PT1H2M"),
        ("P26M", "P2Y2M"),
        ("P0Y", "P0M"),
        ("-P999999999M", "-P83333333Y3M"),
    ],
)
def test_duration_normalises(source: str, expected: str) -> None:
    assert text(call("duration", source)) == expected


@pytest.mark.parametrize("source", ["", "P", "P0", "1Y", "P1H", "P1S", "PT", "P1Y2D"])
def test_duration_rejects_malformed_text(source: str) -> None:
    with pytest.raises(FeelEvalError):
        call("duration", source)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2011-12-22", "2013-08-24", 20),
        ("2013-08-24", "2011-12-22", -20),
        ("2016-09-30T23:25:00", "2017-12-28T12:12:12", 14),
        ("2015-12-31T23:59:59", "2018-10-01T12:32:59", 33),
        ("2017-12-31T13:00:00", "2017-12-31T12:00:00", 0),
        ("2013-08-24", "2017-12-15T00:59:59", 51),
    ],
)
def test_years_and_months_duration_counts_whole_months(start: str, end: str, months: int) -> None:
    result = call("years and months duration", parse_at_literal(start), parse_at_literal(end))
    assert result == YearMonthDuration(months)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("1.000.000,01", ".", ","), Decimal("1000000.01")),
        (("1 000 000.01", " ", "."), Decimal("1000000.01")),
        (("1000000.01", None, "."), Decimal("1000000.01")),
        (("1,000,000", ",", None), Decimal("1000000")),
        (("-12.5",), Decimal("-12.5")),
    ],
)
def test_number_parses_with_separators(args: tuple[Any, ...], expected: Decimal) -> None:
    assert call("number", *args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("1,000,000.01", " ", "."),
        ("1,000,000.01", ":", "."),
        ("1,000,000.01", ",", ":"),
        ("1,000,000.00", ",", ","),
        ("foo,bar.001", ".", ","),
        (Decimal(123), ".", ","),
        ("1.000.000,01", "."),
    ],
)
def test_number_rejects_bad_input(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("number", *args)


def test_number_named_parameters() -> None:
    result = BUILTINS["number"].invoke_named(
        {"from": "1.000.000,01", "decimal separator": ",", "grouping separator": "."}
    )
    assert result == Decimal("1000000.01")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.23E+4"), "12300"),
        (Decimal("-0"), "0"),
        (Decimal("0.00"), "0.00"),
        (Decimal("0E-6176"), "0"),
        (True, "true"),
        ("abc", "abc"),
        (parse_at_literal("P1DT2H"), "P1DT2H"),
        (
            parse_at_literal("2018-12-08T10:30:11@Australia/Melbourne"),
            "2018-12-08T10:30:11@Australia/Melbourne",
        ),
        ([Decimal(1), "a", None], '[1, "a", null]'),
        ({"a": Decimal(1)}, "{a: 1}"),
        (Range(Decimal(1), Decimal(10), True, False), "[1..10)"),
        (DayTimeDuration(Decimal(0)), "PT0S"),
    ],
)
def test_string_renders_every_type(value: Any, expected: str) -> None:
    assert call("string", value) == expected


def test_string_of_null_is_null() -> None:
    assert call("string", None) is None


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"a": "foo", "b": {"bar": "baz"}}, '{a: "foo", b: {bar: "baz"}}'),
        ({"Monthly Income": Decimal(10)}, "{Monthly Income: 10}"),
        ({"{": "foo"}, '{"{": "foo"}'),
        ({":": "foo"}, '{":": "foo"}'),
        ({'"': "foo"}, '{"\\"": "foo"}'),
    ],
)
def test_string_of_a_context_quotes_keys_that_are_not_names(
    context: dict[str, Any], expected: str
) -> None:
    assert call("string", context) == expected


def test_string_of_times_with_offset_seconds_and_nanoseconds() -> None:
    assert call("string", call("time", "10:30:00.0001+05:00:01")) == "10:30:00.0001+05:00:01"
    assert call("string", call("time", "10:30:00.123456789Z")) == "10:30:00.123456789Z"
