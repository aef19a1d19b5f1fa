"""Unary-tests mode: the cells of decision tables, tested against an input value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import stead.feel as feel


def passes(tests: str, value: Any, context: dict[str, Any] | None = None) -> Any:
    result = feel.evaluate(tests, context or {}, mode="unary-tests", input_value=value)
    return result.value


@pytest.mark.parametrize(
    ("tests", "value", "expected"),
    [
        ("< 10", 5, True),
        ("< 10", 10, False),
        ("<= 10", 10, True),
        ("> 10", 11, True),
        (">= 10", 9, False),
        ("[1..5]", 5, True),
        ("(1..5)", 5, False),
        ('"gold", "silver"', "silver", True),
        ('"gold", "silver"', "bronze", False),
        ('not("gold", "silver")', "bronze", True),
        ('not("gold", "silver")', "gold", False),
        ("-", "anything", True),
        ("-", None, True),
        ("42", 42, True),
        ("= 42", 42, True),
        ("!= 42", 42, False),
        ("< 3, > 7", 8, True),
        ("< 3, > 7", 5, False),
        ("? > 5 and ? < 10", 7, True),
        ("? > 5 and ? < 10", 12, False),
        ("limit", 7, True),
        ("[1, 2, 3]", 2, True),
        ("null", None, True),
        ("< 10", None, False),
        ("true", False, False),
        ("false", False, True),
    ],
)
def test_unary_tests(tests: str, value: Any, expected: bool) -> None:
    assert passes(tests, value, {"limit": 7}) is expected


def test_expression_that_is_true_matches() -> None:
    assert passes("x > 3", 100, {"x": 5}) is True


def test_dates_in_cells() -> None:
    assert passes('>= @"2024-01-01"', dt.date(2024, 6, 1)) is True
    assert passes('[@"2024-01-01"..@"2024-12-31"]', dt.date(2025, 1, 1)) is False


def test_question_mark_in_expression_mode() -> None:
    assert feel.evaluate("? * 2", input_value=4).value == 8


def test_missing_input_value_is_reported() -> None:
    result = feel.evaluate("< 10", mode="unary-tests")
    assert result.value is False
    assert any("input value" in w for w in result.warnings)


def test_a_dash_inside_a_list_is_not_any() -> None:
    with pytest.raises(feel.FeelSyntaxError):
        feel.compile("-, 1", mode="unary-tests")
