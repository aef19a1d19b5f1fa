"""Numeric built-ins: rounding, abs, modulo, sqrt, log, exp, odd and even."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.temporal import parse_at_literal
from stead.feel.values import FeelEvalError


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("decimal", (Decimal(1) / Decimal(3), Decimal(2)), "0.33"),
        ("decimal", (Decimal(1) / Decimal(3), Decimal("2.5")), "0.33"),
        ("decimal", (Decimal("1.5"), Decimal(0)), "2"),
        ("decimal", (Decimal("2.5"), Decimal(0)), "2"),
        ("decimal", (Decimal("0.0"), Decimal(1)), "0.0"),
        ("decimal", (Decimal("0.515"), Decimal(2)), "0.52"),
        ("floor", (Decimal("1.5"),), "1"),
        ("floor", (Decimal("-1.5"),), "-2"),
        ("floor", (Decimal("-1.56"), Decimal(1)), "-1.6"),
        ("ceiling", (Decimal("-1.5"),), "-1"),
        ("ceiling", (Decimal("-0.3333"),), "0"),
        ("ceiling", (Decimal("1.56"), Decimal(1)), "1.6"),
        ("round up", (Decimal("-5.5"), Decimal(0)), "-6"),
        ("round up", (Decimal("1.121"), Decimal(2)), "1.13"),
        ("round up", (Decimal("5.5"), Decimal(6176)), "5.5"),
        ("round down", (Decimal("-1.126"), Decimal(2)), "-1.12"),
        ("round half up", (Decimal("-5.5"), Decimal(0)), "-6"),
        ("round half up", (Decimal("1.121"), Decimal(2)), "1.12"),
        ("round half down", (Decimal("5.5"), Decimal(0)), "5"),
        ("round half down", (Decimal("-1.126"), Decimal(2)), "-1.13"),
        ("abs", (Decimal(-1),), "1"),
        ("modulo", (Decimal(10), Decimal(-4)), "-2"),
        ("modulo", (Decimal(-10), Decimal(4)), "2"),
        ("modulo", (Decimal("-10.1"), Decimal("4.5")), "3.4"),
        ("modulo", (Decimal("-10.1"), Decimal("-4.5")), "-1.1"),
        ("sqrt", (Decimal(4),), "2"),
        ("sqrt", (Decimal(0),), "0"),
        ("exp", (Decimal(0),), "1"),
    ],
)
def test_exact_results(name: str, args: tuple[Any, ...], expected: str) -> None:
    result = call(name, *args)
    assert isinstance(result, Decimal)
    assert format(result, "f") == expected


def test_exp_and_log_are_precise() -> None:
    assert str(call("exp", Decimal(4))).startswith("54.598150033144239078110261202860")
    assert str(call("log", Decimal(4))).startswith("1.386294361119890618834464242916")


def test_abs_of_durations() -> None:
    assert call("abs", parse_at_literal("-P1D")) == parse_at_literal("P1D")
    assert call("abs", parse_at_literal("-P1Y")) == parse_at_literal("P1Y")


def test_parity() -> None:
    assert call("even", Decimal(-2)) is True
    assert call("even", Decimal(1)) is False
    assert call("odd", Decimal(-1)) is True
    assert call("odd", Decimal(0)) is False
    assert call("odd", Decimal("1.5")) is False


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("sqrt", (Decimal(-1),)),
        ("log", (Decimal(0),)),
        ("log", (Decimal(-1),)),
        ("modulo", (Decimal(10), Decimal(0))),
        ("abs", ("-1",)),
        ("abs", (True,)),
        ("abs", (parse_at_literal("2018-12-06"),)),
        ("floor", (Decimal("1.56"), None)),
        ("floor", (Decimal("1.5"), Decimal(1), Decimal(2))),
        ("floor", ("1.5",)),
        ("round up", (Decimal("5.5"), Decimal(-6112))),
        ("round up", (Decimal("5.5"), Decimal(6177))),
        ("even", (parse_at_literal("P4D"),)),
        ("exp", (None,)),
        ("decimal", (Decimal(1),)),
    ],
)
def test_bad_arguments_are_errors(name: str, args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call(name, *args)


def test_named_parameters_use_spec_names() -> None:
    assert BUILTINS["abs"].invoke_named({"n": Decimal(-1)}) == Decimal(1)
    assert BUILTINS["sqrt"].invoke_named({"number": Decimal(4)}) == Decimal(2)
    assert BUILTINS["modulo"].invoke_named(
        {"dividend": Decimal(10), "divisor": Decimal(4)}
    ) == Decimal(2)
    assert BUILTINS["decimal"].invoke_named({"n": Decimal("2.1435"), "scale": Decimal(3)}) == (
        Decimal("2.144")
    )
    for name, named in [("abs", "number"), ("sqrt", "n"), ("floor", "scal")]:
        with pytest.raises(FeelEvalError):
            BUILTINS[name].invoke_named({named: Decimal(1)})
