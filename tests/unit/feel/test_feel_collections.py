"""Lists, contexts, ranges, filters, paths, loops, quantifiers, ``in`` and ``instance of``."""

from __future__ import annotations

import datetime as dt

import pytest
from feel_language_helpers import null_with_warning, num, value_of

import stead.feel as feel
from stead.feel.values import Range

ORDERS = {
    "orders": [
        {"id": "A", "amount": 120, "status": "open"},
        {"id": "B", "amount": 80, "status": "closed"},
        {"id": "C", "amount": 300, "status": "open"},
    ]
}


def test_list_and_context_literals() -> None:
    assert value_of("[1, 2, 3]") == [num(1), num(2), num(3)]
    assert value_of("[]") == []
    assert value_of('{a: 1, "b c": 2}') == {"a": num(1), "b c": num(2)}
    assert value_of("{}") == {}


def test_context_entries_see_earlier_entries() -> None:
    assert value_of("{price: 10, quantity: 3, total: price * quantity}.total") == num(30)


def test_duplicate_context_key_is_null_with_warning() -> None:
    assert "twice" in null_with_warning("{a: 1, a: 2}")


def test_filter_by_condition_with_item_and_entry_names() -> None:
    assert value_of("[1, 5, 10][item > 3]") == [num(5), num(10)]
    assert value_of('orders[status = "open"].id', ORDERS) == ["A", "C"]
    assert value_of("orders[item.amount < 100].id", ORDERS) == ["B"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[10, 20, 30][1]", "10"), ("[10, 20, 30][-1]", "30"), ("[10, 20, 30][i]", "20")],
)
def test_filter_by_index(text: str, expected: str) -> None:
    assert value_of(text, {"i": 2}) == num(expected)


def test_index_out_of_range_is_null() -> None:
    assert feel.evaluate("[1, 2][3]").value is None
    assert feel.evaluate("[1, 2][0]").value is None


def test_filter_on_a_single_value_treats_it_as_a_list() -> None:
    assert value_of("5[item > 1]") == [num(5)]
    assert value_of('"x"[1]') == "x"


def test_path_on_a_list_maps_over_elements() -> None:
    assert value_of("orders.amount", ORDERS) == [num(120), num(80), num(300)]


def test_missing_context_entry_is_null_with_warning() -> None:
    assert "no entry 'nope'" in null_with_warning("{a: 1}.nope")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1..5]", Range(num(1), num(5), True, True)),
        ("(1..5)", Range(num(1), num(5), False, False)),
        ("]1..5[", Range(num(1), num(5), False, False)),
        ("[1..5)", Range(num(1), num(5), True, False)),
        ("< 10", Range(None, num(10), False, False)),
        ("<= 10", Range(None, num(10), False, True)),
        ("> 10", Range(num(10), None, False, False)),
        (">= 10", Range(num(10), None, True, False)),
    ],
)
def test_range_literals(text: str, expected: Range) -> None:
    assert value_of(text) == expected


def test_range_of_mixed_types_is_null_with_warning() -> None:
    assert "range" in null_with_warning('[1.."z"]')


def test_for_loops() -> None:
    assert value_of("for x in [1, 2, 3] return x * x") == [num(1), num(4), num(9)]
    assert value_of("for i in 3..1 return i") == [num(3), num(2), num(1)]
    assert value_of("for a in [1, 2], b in [10, 20] return a + b") == [
        num(11),
        num(21),
        num(12),
        num(22),
    ]
    assert value_of("for i in [1..3] return i") == [num(1), num(2), num(3)]
    assert value_of("for x in [] return x") == []


def test_for_sees_partial_results() -> None:
    fibonacci = "for i in 0..6 return if i < 2 then 1 else partial[-1] + partial[-2]"
    assert value_of(fibonacci) == [num(x) for x in (1, 1, 2, 3, 5, 8, 13)]


def test_for_over_dates() -> None:
    days = value_of('for d in @"2024-02-28"..@"2024-03-01" return d')
    assert days == [dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 3, 1)]


def test_for_over_descending_range_literal_is_null() -> None:
    assert "ascending" in null_with_warning("for i in [3..1] return i")


def test_some_and_every() -> None:
    assert value_of("some o in orders satisfies o.amount > 200", ORDERS) is True
    assert value_of("every o in orders satisfies o.amount > 100", ORDERS) is False
    assert value_of("every x in [] satisfies x > 1") is True
    assert value_of("some x in [] satisfies x > 1") is False
    assert value_of("some a in [1, 2], b in [2, 3] satisfies a * b = 6") is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 in [1..10]", True),
        ("5 in (1, 3, 5)", True),
        ("4 in (1, 3, 5)", False),
        ("5 in < 10", True),
        ("5 in (< 3, > 4)", True),
        ('"b" in ["a", "b"]', True),
        ("1 in [[2..4], [1..3]]", True),
        ("[1, 2] in [[1, 2], [3]]", True),
        ("5 in 5", True),
        ("5 in (= 5)", True),
        ("5 in (!= 5)", False),
        ("5 in (1..5)", False),
        ("null in (null)", True),
    ],
)
def test_in(text: str, expected: bool) -> None:
    assert value_of(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 instance of number", True),
        ('"a" instance of string', True),
        ("true instance of boolean", True),
        ('@"2024-01-01" instance of date', True),
        ('@"2024-01-01T10:00:00" instance of date and time', True),
        ('@"2024-01-01T10:00:00" instance of date', False),
        ('@"P1D" instance of days and time duration', True),
        ('@"P1Y" instance of years and months duration', True),
        ("null instance of Null", True),
        ("null instance of Any", False),
        ("1 instance of Any", True),
        ("[1, 2] instance of list<number>", True),
        ('[1, "a"] instance of list<number>', False),
        ("{a: 1} instance of context<a: number>", True),
        ("{a: 1} instance of context<b: number>", False),
        ("[1..2] instance of range<number>", True),
        ("(function(a) a) instance of function<Any> -> Any", True),
        ("(function(a) a) instance of function<Any, Any> -> Any", False),
    ],
)
def test_instance_of(text: str, expected: bool) -> None:
    assert value_of(text) is expected


def test_instance_of_unknown_type_is_null_with_warning() -> None:
    assert "unknown type 'Customer'" in null_with_warning("1 instance of Customer")


def test_point_range_from_an_equality_test() -> None:
    assert value_of("(= 10)") == Range(num(10), num(10), True, True, point_test=True)
    assert value_of("(= 10) = [10..10]") is False
    assert value_of("(= 10) = (= 10)") is True
    assert value_of("10 in (= 10)") is True
    assert value_of("(= 10).end included") is True


def test_in_a_range_with_a_null_end_is_unknown() -> None:
    assert feel.evaluate("5 in (null..10]").value is None


def test_instance_of_types_defined_by_the_caller() -> None:
    compiled = feel.compile(
        "order instance of Order", types={"Order": lambda v: isinstance(v, dict) and "id" in v}
    )
    assert compiled.evaluate({"order": {"id": 1}}).value is True
    assert compiled.evaluate({"order": {"no": 1}}).value is False


def test_path_on_null_is_reported() -> None:
    assert "no 'b' in null" in null_with_warning("null.b")
