"""Helpers shared by the FEEL language tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import stead.feel as feel


def value_of(expression: str, context: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """The value of an expression that must evaluate without warnings."""
    result = feel.evaluate(expression, context or {}, **kwargs)
    assert result.warnings == (), result.warnings
    return result.value


def null_with_warning(expression: str, context: dict[str, Any] | None = None) -> str:
    """Evaluate an invalid expression: it must give null and say why; returns the warnings."""
    result = feel.evaluate(expression, context or {})
    assert result.value is None
    assert result.warnings, "an invalid operation must leave a warning"
    return " | ".join(result.warnings)


def num(text: str | int) -> Decimal:
    return Decimal(str(text))
