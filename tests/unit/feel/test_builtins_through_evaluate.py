"""Built-in functions as FEEL expressions use them: named arguments, nulls and warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from stead.feel import evaluate


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('substring(string: "foobar", start position: 3)', "obar"),
        ('string join(delimiter: "X", list: ["a", "c"])', "aXc"),
        ("round half up(n: 5.5, scale: 0)", Decimal(6)),
        (
            'date and time(date: date("2017-01-01"), time: time("23:59:01"))',
            dt.datetime(2017, 1, 1, 23, 59, 1),
        ),
        ('string(date("2017-01-01") + duration("P1M"))', "2017-02-01"),
        (
            'string(@"2021-01-12T10:10:10@Australia/Melbourne" + @"P1DT1H")',
            "2021-01-13T11:10:10@Australia/Melbourne",
        ),
        ('upper case(["bob"][item = "bob"])', "BOB"),
        ("sort([3, 1, 2], function(x, y) x > y)", [Decimal(3), Decimal(2), Decimal(1)]),
        (
            "list replace([2, 4, 7, 8], function(item, newItem) item < newItem, 5)",
            [Decimal(5), Decimal(5), Decimal(7), Decimal(8)],
        ),
        ('2 in range("[1..3]")', True),
        ('context put({x: 1, y: {a: 0}}, ["y", "a"], 2).y.a', Decimal(2)),
        ('duration("P1Y2M").months', Decimal(2)),
        ('matches("\\u212A", "k", "i")', True),
        ("sum(xs)", Decimal(6)),
    ],
)
def test_builtins_evaluate(expression: str, expected: Any) -> None:
    result = evaluate(expression, {"xs": [1, 2, 3]})
    assert result.value == expected
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('date("2017-13-01")', "not a valid date"),
        ("modulo(10, 0)", "division by zero"),
        ('matches("a", "(.)\\\\2")', "back-reference"),
        ("abs(number: -1)", "no signature"),
        ("decimal(1)", "wrong number of arguments"),
        ("date(-1000999999, 12, 1)", "outside"),
    ],
)
def test_bad_calls_give_null_and_a_warning(expression: str, message: str) -> None:
    result = evaluate(expression, {})
    assert result.value is None
    assert any(message in warning for warning in result.warnings), result.warnings
