"""Boolean functions: not, is defined."""

from __future__ import annotations

from typing import Any

from stead.feel.builtins.registry import builtin
from stead.feel.values import FeelEvalError, type_name

__all__: list[str] = []


@builtin("not", "negand")
def negation(negand: Any) -> bool | None:
    # Three-valued logic: the negation of null is null; any other non-boolean is an error.
    if isinstance(negand, bool):
        return not negand
    if negand is None:
        return None
    raise FeelEvalError(f"not: expected a boolean, not {type_name(negand)}")


@builtin("is defined", "value")
def is_defined(value: Any) -> bool:
    return value is not None
