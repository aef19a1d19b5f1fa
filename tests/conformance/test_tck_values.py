"""The runner's reading of TCK values and its comparison of expected with actual results."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from conformance.compare import mismatch
from conformance.tck_values import TckValueError, read_value
from stead.feel.values import DayTimeDuration, WideDate, WideTime, YearMonthDuration

NAMESPACES = (
    'xmlns="http://www.omg.org/spec/DMN/20160719/testcase" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
)


def _value(body: str) -> Any:
    return read_value(ElementTree.fromstring(f"<expected {NAMESPACES}>{body}</expected>"))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<value xsi:type="xsd:decimal">1.50</value>', Decimal("1.5")),
        ('<value xsi:type="xsd:double">1.0E-7</value>', Decimal("0.0000001")),
        ('<value xsi:type="xsd:boolean">false</value>', False),
        ('<value xsi:type="xsd:string"> a </value>', " a "),
        ('<value xsi:type="xsd:date">2017-02-28</value>', dt.date(2017, 2, 28)),
        ('<value xsi:type="xsd:time">10:30:11Z</value>', dt.time(10, 30, 11, tzinfo=dt.UTC)),
        (
            '<value xsi:type="xsd:dateTime">2018-12-08T10:30:11.5+11:00</value>',
            dt.datetime(2018, 12, 8, 10, 30, 11, 500000, dt.timezone(dt.timedelta(hours=11))),
        ),
        ('<value xsi:type="xsd:duration">-P1DT2H</value>', DayTimeDuration(Decimal(-93600))),
        ('<value xsi:type="xsd:duration">P1Y2M</value>', YearMonthDuration(14)),
        ('<value xsi:nil="true"/>', None),
        (
            '<list><item><value xsi:type="xsd:decimal">1</value></item>'
            '<item><value xsi:nil="true"/></item></list>',
            [Decimal(1), None],
        ),
        (
            '<component name="a"><value xsi:type="xsd:string">x</value></component>'
            '<component name="b"><list/></component>',
            {"a": "x", "b": []},
        ),
    ],
)
def test_reads_typed_values(body: str, expected: Any) -> None:
    assert mismatch(expected, _value(body)) is None


def test_unreadable_value_is_reported() -> None:
    with pytest.raises(TckValueError):
        _value('<value xsi:type="xsd:date">2017-02-30</value>')


def test_years_and_fractions_beyond_python_are_read() -> None:
    assert (
        mismatch(WideDate(-2017, 12, 31), _value('<value xsi:type="xsd:date">-2017-12-31</value>'))
        is None
    )
    nanos = _value('<value xsi:type="xsd:time">11:22:33.123456789</value>')
    assert nanos == WideTime(11, 22, 33, 123456789)


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (Decimal(1), True),
        (Decimal(1), "1"),
        (dt.date(2020, 1, 1), dt.datetime(2020, 1, 1)),
        (dt.time(10, 0), dt.time(10, 0, tzinfo=dt.UTC)),
        (
            dt.datetime(2020, 1, 1, 10, tzinfo=dt.UTC),
            dt.datetime(2020, 1, 1, 11, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        (YearMonthDuration(0), DayTimeDuration(Decimal(0))),
        ([Decimal(1)], [Decimal(1), Decimal(2)]),
        ({"a": None}, {"a": None, "b": None}),
        (None, False),
    ],
)
def test_mismatches_are_found(expected: Any, actual: Any) -> None:
    assert mismatch(expected, actual) is not None


def test_numbers_match_as_numbers() -> None:
    assert mismatch(Decimal("10"), Decimal("1.0E+1")) is None
    assert mismatch({"x": [Decimal("2.50")]}, {"x": [Decimal("2.5")]}) is None


def test_numbers_match_within_the_tck_tolerance_unless_exact() -> None:
    actual = Decimal("54.59815003314423907811026120286088")
    assert mismatch(Decimal("54.59815003"), actual) is None
    assert mismatch(Decimal("54.59815003"), actual, tolerance=None) is not None
    assert mismatch(Decimal("54.5981"), actual) is not None
