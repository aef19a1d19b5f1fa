"""Numeric functions: rounding, abs, modulo, roots, logarithms, parity."""

from __future__ import annotations

import decimal
from typing import Any

from stead.feel.builtins.registry import builtin, require_integer, require_number
from stead.feel.values import (
    DECIMAL_CONTEXT,
    DayTimeDuration,
    FeelEvalError,
    YearMonthDuration,
)

__all__: list[str] = []

Number = decimal.Decimal

# The scales a Decimal128 can express.
_MIN_SCALE = -6111
_MAX_SCALE = 6176


def _without_negative_zero(value: Number) -> Number:
    return DECIMAL_CONTEXT.copy_abs(value) if value.is_zero() else value


def _round(function: str, n: Any, scale: Any, rounding: str) -> Number:
    number = require_number(function, "n", n)
    places = require_integer(function, "scale", scale)
    if not _MIN_SCALE <= places <= _MAX_SCALE:
        raise FeelEvalError(f"{function}: scale {places} is outside {_MIN_SCALE}..{_MAX_SCALE}")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= places:
        return number  # already has no more decimal places than asked for
    try:
        rounded = number.quantize(Number(1).scaleb(-places), rounding, DECIMAL_CONTEXT)
    except decimal.DecimalException:
        raise FeelEvalError(f"{function}: cannot round {number} to scale {places}") from None
    return _without_negative_zero(rounded)


@builtin("decimal", "n", "scale")
def decimal_round(n: Any, scale: Any) -> Number:
    return _round("decimal", n, scale, decimal.ROUND_HALF_EVEN)


@builtin("floor", "n")
def floor(n: Any) -> Number:
    return _round("floor", n, Number(0), decimal.ROUND_FLOOR)


@builtin("floor", "n", "scale")
def floor_to_scale(n: Any, scale: Any) -> Number:
    return _round("floor", n, scale, decimal.ROUND_FLOOR)


@builtin("ceiling", "n")
def ceiling(n: Any) -> Number:
    return _round("ceiling", n, Number(0), decimal.ROUND_CEILING)


@builtin("ceiling", "n", "scale")
def ceiling_to_scale(n: Any, scale: Any) -> Number:
    return _round("ceiling", n, scale, decimal.ROUND_CEILING)


@builtin("round up", "n", "scale")
def round_up(n: Any, scale: Any) -> Number:
    return _round("round up", n, scale, decimal.ROUND_UP)


@builtin("round down", "n", "scale")
def round_down(n: Any, scale: Any) -> Number:
    return _round("round down", n, scale, decimal.ROUND_DOWN)


@builtin("round half up", "n", "scale")
def round_half_up(n: Any, scale: Any) -> Number:
    return _round("round half up", n, scale, decimal.ROUND_HALF_UP)


@builtin("round half down", "n", "scale")
def round_half_down(n: Any, scale: Any) -> Number:
    return _round("round half down", n, scale, decimal.ROUND_HALF_DOWN)


@builtin("abs", "n")
def absolute(n: Any) -> Number | DayTimeDuration | YearMonthDuration:
    if isinstance(n, DayTimeDuration):
        return DayTimeDuration(abs(n.seconds))
    if isinstance(n, YearMonthDuration):
        return YearMonthDuration(abs(n.months))
    return DECIMAL_CONTEXT.copy_abs(require_number("abs", "n", n))


@builtin("modulo", "dividend", "divisor")
def modulo(dividend: Any, divisor: Any) -> Number:
    a = require_number("modulo", "dividend", dividend)
    b = require_number("modulo", "divisor", divisor)
    if b.is_zero():
        raise FeelEvalError("modulo: division by zero")
    # The result takes the sign of the divisor: dividend - divisor * floor(dividend / divisor).
    quotient = DECIMAL_CONTEXT.divide(a, b).to_integral_value(decimal.ROUND_FLOOR)
    return _without_negative_zero(
        DECIMAL_CONTEXT.subtract(a, DECIMAL_CONTEXT.multiply(b, quotient))
    )


@builtin("sqrt", "number")
def sqrt(number: Any) -> Number:
    value = require_number("sqrt", "number", number)
    if value < 0:
        raise FeelEvalError("sqrt: the number is negative")
    return DECIMAL_CONTEXT.sqrt(value)


@builtin("log", "number")
def log(number: Any) -> Number:
    value = require_number("log", "number", number)
    if value <= 0:
        raise FeelEvalError("log: the number must be greater than zero")
    return DECIMAL_CONTEXT.ln(value)


@builtin("exp", "number")
def exp(number: Any) -> Number:
    value = require_number("exp", "number", number)
    try:
        return DECIMAL_CONTEXT.exp(value)
    except decimal.DecimalException:
        raise FeelEvalError(f"exp: the result of exp({value}) is out of range") from None


def _parity(function: str, number: Any) -> int | None:
    value = require_number(function, "number", number)
    if value != value.to_integral_value():
        return None
    return int(value) % 2


@builtin("odd", "number")
def odd(number: Any) -> bool:
    return _parity("odd", number) == 1


@builtin("even", "number")
def even(number: Any) -> bool:
    return _parity("even", number) == 0
