"""Evaluating model expressions for the engine, turning every failure into a step failure.

A failed evaluation (FEEL null with warnings, or a value of the wrong type where the engine
needs a particular one) raises :class:`StepFailed`; the run loop turns it into an incident on
the element, and resolving the incident retries the step.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from stead.feel import to_json
from stead.feel.values import DayTimeDuration, YearMonthDuration
from stead.model.graph import Expression

__all__ = [
    "StepFailed",
    "evaluate_boolean",
    "evaluate_integer",
    "evaluate_json",
    "evaluate_raw",
    "evaluate_string",
    "evaluate_string_list",
]


class StepFailed(Exception):
    """A step of an element cannot go on; becomes an incident of ``kind`` with ``message``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, decimal.Decimal | int | float):
        return f"number {value}"
    if isinstance(value, str):
        return f'string "{value}"' if len(value) <= 60 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a context"
    return f"a value of type {type(value).__name__}"


def evaluate_raw(
    expression: Expression, context: Mapping[str, Any], element_id: str, what: str
) -> Any:
    """The FEEL value of ``expression`` (its text for a static value). Null is returned only
    when the evaluation produced no warning."""
    compiled = expression.compiled
    if compiled is None:
        return expression.source
    result = compiled.evaluate(context)
    if result.value is None and result.warnings:
        raise StepFailed(
            "expression",
            f"Element '{element_id}': failed to evaluate the {what} expression "
            f"'{expression.source}': {'; '.join(result.warnings)}",
        )
    return result.value


def evaluate_json(
    expression: Expression, context: Mapping[str, Any], element_id: str, what: str
) -> Any:
    """The value of ``expression`` as JSON (for variables)."""
    value = evaluate_raw(expression, context, element_id, what)
    if expression.compiled is None:
        return value
    return to_json(value)


def _wrong_type(expression: Expression, element_id: str, what: str, want: str, got: Any) -> str:
    return (
        f"Element '{element_id}': the {what} expression '{expression.source}' must give "
        f"{want}, but gave {_describe(got)}"
    )


def evaluate_string(
    expression: Expression, context: Mapping[str, Any], element_id: str, what: str
) -> str:
    value = evaluate_raw(expression, context, element_id, what)
    if not isinstance(value, str):
        raise StepFailed("expression", _wrong_type(expression, element_id, what, "a string", value))
    return value


def evaluate_optional_string(
    expression: Expression | None, context: Mapping[str, Any], element_id: str, what: str
) -> str | None:
    if expression is None:
        return None
    value = evaluate_raw(expression, context, element_id, what)
    if value is None or isinstance(value, str):
        return value
    raise StepFailed("expression", _wrong_type(expression, element_id, what, "a string", value))


def evaluate_integer(
    expression: Expression, context: Mapping[str, Any], element_id: str, what: str
) -> int:
    value = evaluate_raw(expression, context, element_id, what)
    if isinstance(value, str) and expression.compiled is None:
        try:
            return int(value.strip())
        except ValueError:
            pass
    elif (
        isinstance(value, decimal.Decimal | int)
        and not isinstance(value, bool)
        and value == int(value)
    ):
        return int(value)
    raise StepFailed("expression", _wrong_type(expression, element_id, what, "an integer", value))


def evaluate_boolean(
    expression: Expression, context: Mapping[str, Any], element_id: str, what: str
) -> bool:
    value = evaluate_raw(expression, context, element_id, what)
    if isinstance(value, bool):
        return value
    raise StepFailed("condition", _wrong_type(expression, element_id, what, "a boolean", value))


def evaluate_string_list(
    expression: Expression | None, context: Mapping[str, Any], element_id: str, what: str
) -> tuple[str, ...]:
    """A list of strings from a FEEL list or a comma-separated text (static or FEEL)."""
    if expression is None:
        return ()
    value = evaluate_raw(expression, context, element_id, what)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise StepFailed(
        "expression",
        _wrong_type(expression, element_id, what, "a list of strings or a text", value),
    )


def evaluate_correlation_key(
    expression: Expression | None, context: Mapping[str, Any], element_id: str
) -> str:
    """The correlation key as a string (numbers are accepted and written without decimals
    when they are whole)."""
    if expression is None:
        return ""
    value = evaluate_raw(expression, context, element_id, "correlation key")
    if isinstance(value, str):
        return value
    if isinstance(value, decimal.Decimal | int) and not isinstance(value, bool):
        number = decimal.Decimal(value)
        return str(int(number)) if number == number.to_integral_value() else str(number)
    raise StepFailed(
        "expression",
        _wrong_type(expression, element_id, "correlation key", "a string or a number", value),
    )


def is_temporal(value: Any) -> bool:
    return isinstance(value, dt.date | dt.datetime | DayTimeDuration | YearMonthDuration)
