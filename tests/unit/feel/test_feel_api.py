"""The public API: compile once and evaluate many times, results, caching, performance."""

from __future__ import annotations

import timeit
from decimal import Decimal

import pytest

import stead.feel as feel


def test_compile_and_evaluate_many_times() -> None:
    condition = feel.compile('amount > 100 and status = "open"')
    assert condition.source == 'amount > 100 and status = "open"'
    assert condition.evaluate({"amount": 150, "status": "open"}).value is True
    assert condition.evaluate({"amount": 50, "status": "open"}).value is False
    assert condition.evaluate({"amount": Decimal(101), "status": "closed"}).value is False


def test_result_is_frozen() -> None:
    result = feel.evaluate("1")
    assert result.value == 1
    assert result.warnings == ()
    with pytest.raises(AttributeError):
        result.value = 2  # type: ignore[misc]


def test_evaluate_reuses_compiled_expressions() -> None:
    first = feel.api._cached("x + 1", "expression", ())
    feel.evaluate("x + 1", {"x": 1})
    assert feel.api._cached("x + 1", "expression", ()) is first


def test_evaluate_raises_only_syntax_errors() -> None:
    with pytest.raises(feel.FeelSyntaxError):
        feel.evaluate("1 +")


def test_fast_enough_for_gateway_conditions() -> None:
    condition = feel.compile('amount > 100 and status = "open"')
    context = {"amount": 150, "status": "open"}
    runs = 20_000
    seconds = min(timeit.repeat(lambda: condition.evaluate(context), number=runs, repeat=3))
    # A few microseconds per evaluation; the bound is loose for slow shared machines.
    assert seconds / runs < 50e-6
