"""The generated fast evaluator gives exactly the results and warnings of the general one."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest

import stead.feel
from stead.feel.api import CompiledExpression, Result
from stead.feel.compiler import Compiler
from stead.feel.fast_path import Fallback, fast_evaluator

D = decimal.Decimal
ABSENT = object()  # the variable is left out of the context

NUMBERS: list[Any] = [
    150,
    150.0,
    D("150"),
    D("150.00"),
    100,
    100.0,
    D("100.000"),
    99.5,
    0,
    0.0,
    -0.0,
    D("-0"),
    1e-7,
    0.1,
    10**40,
    D("1E+40"),
    12345678901234567890.5,
    float("nan"),
    float("inf"),
    D("NaN"),
    D("Infinity"),
    True,
    False,
    "150",
    None,
    dt.date(2024, 1, 1),
    [150],
    {"value": 150},
    ABSENT,
]
STRINGS: list[Any] = ["open", "closed", "", "Acme Corporation", "Ac", "ACME", 5, D(5), None]
STRINGS += [True, ["open"], dt.date(2024, 1, 1), ABSENT]
BOOLEANS: list[Any] = [True, False, None, 1, 0, D(1), "true", ABSENT]
ITEM_LISTS: list[Any] = [
    [{"price": 5.0}, {"price": 12.5}, {"price": 30.0}, {"price": 8.0}],
    [{"price": 11}, {"price": D("10.5")}, {"price": 10}],
    [],
    [{"price": "12"}],
    [{"price": None}],
    [{"cost": 12}],
    [{"price": 12, "item": 3}],
    [12, 13],
    [{"price": float("nan")}],
    {"price": 12},
    None,
    ABSENT,
]
ORDERS: list[Any] = [
    {"amount": 150, "status": "open", "customer": {"vip": True}},
    {"amount": 150.0, "status": "closed", "customer": {"vip": False}},
    {"amount": D("99.99"), "status": "open", "customer": {}},
    {"amount": "150", "status": "open", "customer": None},
    {"amount": None, "status": None},
    {"status": "open"},
    {1: 150, "amount": 101, "status": "open", "customer": {"vip": "yes"}},
    [{"amount": 150, "status": "open"}],
    "order",
    None,
    ABSENT,
]
NESTED_ITEM_LISTS: list[Any] = [
    [{"detail": {"price": 5.0}}, {"detail": {"price": 12.5}}],
    [{"detail": {"price": "12"}}],
    [{"detail": None}],
    [{"price": 12}],
    [],
]

# Each expression with the values to try for each variable; the first value is the base.
CASES: list[tuple[str, dict[str, list[Any]]]] = [
    ('amount > 100 and status = "open"', {"amount": NUMBERS, "status": STRINGS}),
    ('amount <= 100 or status != "open"', {"amount": NUMBERS, "status": STRINGS}),
    ("amount >= -5 and amount < limit", {"amount": NUMBERS, "limit": NUMBERS}),
    ("amount = 150", {"amount": NUMBERS}),
    ("amount != 100.00", {"amount": NUMBERS}),
    ('status = "open"', {"status": STRINGS}),
    ("flag and amount > 1", {"flag": BOOLEANS, "amount": NUMBERS}),
    ("flag or ready", {"flag": BOOLEANS, "ready": BOOLEANS}),
    ("flag = true", {"flag": BOOLEANS}),
    (
        "(price * quantity - discount) / 2 + tax * 3",
        {"price": [12.5, *NUMBERS], "quantity": NUMBERS, "discount": NUMBERS, "tax": NUMBERS},
    ),
    ("amount / divisor", {"amount": NUMBERS, "divisor": [4, *NUMBERS]}),
    ("amount * 1", {"amount": NUMBERS}),
    ("amount - 0.50 > 99", {"amount": NUMBERS}),
    (
        'contains(name, "Acme") and starts with(name, "Ac") and string length(name) > 5',
        {"name": ["Acme Corporation", *STRINGS]},
    ),
    ('ends with(name, "tion")', {"name": ["Acme Corporation", *STRINGS]}),
    ("string length(name)", {"name": STRINGS}),
    ("-amount < 0", {"amount": NUMBERS}),
    ("-amount", {"amount": NUMBERS}),
    ("amount between 100 and limit", {"amount": NUMBERS, "limit": [200, *NUMBERS]}),
    ('order.amount > 100 and order.status = "open"', {"order": ORDERS}),
    ("order.customer.vip and order.amount > 1", {"order": ORDERS}),
    ("count(items[price > 10])", {"items": ITEM_LISTS}),
    ("count(items[detail.price > 10])", {"items": NESTED_ITEM_LISTS}),
    ("sum(items[price > 10].price)", {"items": ITEM_LISTS}),
]


def _contexts(variables: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """The base context, then each variable varied on its own over all its values."""
    base = {name: values[0] for name, values in variables.items()}
    contexts = []
    for name, values in variables.items():
        for value in values:
            context = dict(base, **{name: value})
            contexts.append({k: v for k, v in context.items() if v is not ABSENT})
    return contexts


def _general(text: str) -> CompiledExpression:
    """The same text with only the general evaluator."""
    tree = stead.feel.parse(text)
    return CompiledExpression(text, "expression", tree, Compiler(text).compile(tree))


def _exactly(result: Result) -> tuple[str, str, tuple[str, ...]]:
    # Decimal's repr shows the exponent, so 27.00 and 27 count as different.
    return type(result.value).__name__, repr(result.value), result.warnings


@pytest.mark.parametrize(("text", "variables"), CASES, ids=[text for text, _ in CASES])
def test_fast_path_agrees_with_the_general_evaluator(
    text: str, variables: dict[str, list[Any]]
) -> None:
    fast = stead.feel.compile(text)
    general = _general(text)
    for context in _contexts(variables):
        assert _exactly(fast.evaluate(context)) == _exactly(general.evaluate(context)), context


@pytest.mark.parametrize(("text", "variables"), CASES, ids=[text for text, _ in CASES])
def test_fast_path_handles_the_usual_input_itself(
    text: str, variables: dict[str, list[Any]]
) -> None:
    evaluator = fast_evaluator(stead.feel.parse(text))
    assert evaluator is not None
    base = {name: values[0] for name, values in variables.items()}
    assert repr(evaluator(base)) == repr(_general(text).evaluate(base).value)


@pytest.mark.parametrize(
    "context",
    [
        {"amount": "150", "status": "open"},
        {"status": "open"},
        {"amount": None, "status": "open"},
        {"amount": float("inf"), "status": "open"},
    ],
)
def test_unusual_input_is_left_to_the_general_evaluator(context: dict[str, Any]) -> None:
    evaluator = fast_evaluator(stead.feel.parse('amount > 100 and status = "open"'))
    assert evaluator is not None
    with pytest.raises((Fallback, KeyError)):
        evaluator(context)


def test_a_variable_named_like_a_built_in_is_called_instead() -> None:
    text = 'contains(name, "Acme")'
    context = {"name": "Acme", "contains": 5}
    result = stead.feel.compile(text).evaluate(context)
    assert result == _general(text).evaluate(context)
    assert result.value is None
    assert result.warnings


@pytest.mark.parametrize(
    "text",
    [
        'date("2024-01-01")',
        "order.amount",
        "amount ** 2",
        'if a then "x" else "y"',
        "a = b",
        "items",
        "item > 1",
        "x[1]",
    ],
)
def test_other_expressions_use_the_general_evaluator_only(text: str) -> None:
    assert fast_evaluator(stead.feel.parse(text)) is None


def test_an_input_value_for_unary_tests_takes_the_general_path() -> None:
    compiled = stead.feel.compile("amount > 100")
    assert compiled.evaluate({"amount": 150}, input_value=3) == Result(True, ())
    assert compiled.evaluate({"amount": 150.5}) == Result(True, ())
