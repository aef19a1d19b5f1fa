"""Operators: arithmetic, comparison, three-valued logic, between, and null semantics."""

from __future__ import annotations

import datetime as dt

import pytest
from feel_language_helpers import null_with_warning, num, value_of

import stead.feel as feel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 + 3", "10"),
        ("7 - 10", "-3"),
        ("1.1 * 3", "3.3"),
        ("1 / 3", "0.3333333333333333333333333333333333"),
        ("2 ** 10", "1024"),
        ("-(3)", "-3"),
        ("0.1 + 0.2", "0.3"),
    ],
)
def test_number_arithmetic_is_decimal(text: str, expected: str) -> None:
    assert value_of(text) == num(expected)


def test_string_concatenation() -> None:
    assert value_of('"order-" + id', {"id": "A7"}) == "order-A7"


@pytest.mark.parametrize(
    "text", ["1 + null", "null * 2", "-null", "null ** 2", "null - null", "amount + 1"]
)
def test_arithmetic_with_null_is_null(text: str) -> None:
    assert feel.evaluate(text, {"amount": None}).value is None


def test_division_by_zero_is_null_with_a_warning() -> None:
    assert "'/'" in null_with_warning("1 / 0")


def test_invalid_arithmetic_names_operator_types_and_position() -> None:
    warning = null_with_warning('amount + "x"', {"amount": 5})
    assert "'+'" in warning
    assert "number" in warning
    assert "string" in warning
    assert "line 1, column 8" in warning


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 = 1", True),
        ("1 = 1.0", True),
        ('"a" != "b"', True),
        ("2 < 3", True),
        ("3 <= 3", True),
        ("4 > 5", False),
        ("5 >= 5", True),
        ('"apple" < "banana"', True),
        ("null = null", True),
        ("1 = null", False),
        ("null != 1", True),
        ("[1, 2] = [1, 2]", True),
        ("{a: 1} = {a: 1}", True),
        ("true = true", True),
    ],
)
def test_comparisons(text: str, expected: bool) -> None:
    assert value_of(text) is expected


def test_comparing_incomparable_types_is_null_with_warning() -> None:
    assert "'<'" in null_with_warning('1 < "a"')
    assert "'='" in null_with_warning('1 = "1"')


def test_ordering_with_null_is_null() -> None:
    assert feel.evaluate("null < 3").value is None


def test_comparing_dates_from_context() -> None:
    context = {"due": dt.date(2024, 5, 1), "today": dt.date(2024, 4, 30)}
    assert value_of("due > today", context) is True


@pytest.mark.parametrize(
    ("left", "right", "conjunction", "disjunction"),
    [
        ("true", "true", True, True),
        ("true", "false", False, True),
        ("false", "true", False, True),
        ("false", "false", False, False),
        ("true", "null", None, True),
        ("null", "true", None, True),
        ("false", "null", False, None),
        ("null", "false", False, None),
        ("null", "null", None, None),
    ],
)
def test_three_valued_logic(
    left: str, right: str, conjunction: object, disjunction: object
) -> None:
    assert feel.evaluate(f"{left} and {right}").value is conjunction
    assert feel.evaluate(f"{left} or {right}").value is disjunction


def test_non_boolean_in_logic_counts_as_null_with_warning() -> None:
    result = feel.evaluate("true and 1")
    assert result.value is None
    assert "'and' needs booleans, got number" in result.warnings[0]
    assert feel.evaluate("false and 1").value is False


def test_not_negates_three_valued() -> None:
    assert value_of("not(true)") is False
    assert value_of("not(false)") is True
    assert feel.evaluate("not(null)").value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 between 1 and 10", True),
        ("1 between 1 and 10", True),
        ("10 between 1 and 10", True),
        ("11 between 1 and 10", False),
        ('"b" between "a" and "c"', True),
        ("5 between 1 and 10 = true", True),
    ],
)
def test_between_includes_both_ends(text: str, expected: bool) -> None:
    assert value_of(text) is expected


def test_between_with_null_is_null() -> None:
    assert feel.evaluate("null between 1 and 2").value is None
    assert "'between'" in null_with_warning('1 between "a" and 3')


def test_unknown_variable_is_null_with_warning() -> None:
    warning = null_with_warning("missing + 1")
    assert "no variable named 'missing'" in warning


def test_if_then_else() -> None:
    assert value_of('if amount > 100 then "big" else "small"', {"amount": 150}) == "big"
    assert value_of('if null then "yes" else "no"') == "no"
    assert value_of('if 1 then "yes" else "no"') == "no"


def test_json_numbers_in_the_context_are_read_as_decimals() -> None:
    context = {"amount": 150, "rate": 0.1, "order": {"lines": [{"qty": 2}, {"qty": 3}]}}
    assert value_of("amount * rate", context) == num(15)
    assert value_of("order.lines.qty", context) == [num(2), num(3)]
    assert value_of("order.lines[qty > 2]", context) == [{"qty": num(3)}]
