"""Evaluation state: nested scopes of names, warnings, and the budget that bounds the work."""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from stead.feel import limits
from stead.feel.values import DayTimeDuration, FeelFunction, Range, YearMonthDuration
from stead.feel.wide_temporal import WideDate, WideDateTime, WideTime

__all__ = [
    "MISSING",
    "PLAIN_TYPES",
    "EvaluationAborted",
    "Evaluator",
    "Scope",
    "State",
    "from_python",
]


class _Missing:
    """Marks an absent value (distinct from FEEL null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"


MISSING: Final[Any] = _Missing()

_NOTHING: Mapping[str, Any] = {}
PLAIN_TYPES = frozenset({decimal.Decimal, str, bool, type(None)})
_KEPT = (
    dt.date,
    dt.time,
    WideDate,
    WideTime,
    WideDateTime,
    DayTimeDuration,
    YearMonthDuration,
    Range,
    FeelFunction,
)


class EvaluationAborted(BaseException):
    """Stops a whole evaluation when a limit is reached.

    It derives from BaseException so that no ``except Exception`` in a built-in function can
    swallow it and let a runaway loop go on.
    """


def from_python(value: Any) -> Any:
    """A FEEL value for a value from the caller (JSON numbers become Decimals, deeply)."""
    kind = type(value)
    if kind in PLAIN_TYPES:
        return value
    if kind is int:
        return decimal.Decimal(value)
    if kind is float:
        return decimal.Decimal(repr(value)) if math.isfinite(value) else None
    if kind is list or kind is tuple:
        for item in value:
            if type(item) not in PLAIN_TYPES:
                return [from_python(x) for x in value]
        return value if kind is list else list(value)
    if isinstance(value, dict):
        for item in value.values():
            if type(item) not in PLAIN_TYPES:
                return {str(k): from_python(v) for k, v in value.items()}
        return value
    if isinstance(value, _KEPT):
        return value
    if isinstance(value, int):  # int subclasses such as IntEnum
        return decimal.Decimal(int(value))
    if isinstance(value, Mapping):
        return {str(k): from_python(v) for k, v in value.items()}
    return value


class Scope:
    """Names visible at one point: ``vars`` first, then the parent scopes.

    The outermost scope holds the caller's context, whose values may be plain Python (int,
    float, nested JSON); ``raw`` marks it so its values are converted when read.
    """

    __slots__ = ("parent", "raw", "state", "vars")

    def __init__(
        self, vars: Mapping[str, Any], parent: Scope | None, state: State, raw: bool = False
    ) -> None:
        self.vars = vars
        self.parent = parent
        self.state = state
        self.raw = raw

    def lookup(self, name: str) -> Any:
        """The value of ``name`` in this scope chain, or MISSING."""
        scope: Scope | None = self
        while scope is not None:
            value = scope.vars.get(name, MISSING)
            if value is not MISSING:
                return from_python(value) if scope.raw else value
            scope = scope.parent
        return MISSING

    def child(self, vars: Mapping[str, Any]) -> Scope:
        return Scope(vars, self, self.state)


class State(Scope):
    """The outermost scope of one evaluation, holding what all scopes share.

    It reads the caller's context, and keeps the warnings, the tested value and the budget.
    Being a scope itself saves an allocation on every evaluation.
    """

    __slots__ = ("depth", "input_value", "steps_left", "warnings")

    def __init__(self, context: Mapping[str, Any] = _NOTHING, input_value: Any = MISSING) -> None:
        self.vars = context
        self.parent = None
        self.state = self
        self.raw = True
        self.input_value = input_value
        self.warnings: list[str] = []
        # Read at each evaluation so that changing stead.feel.limits takes effect at once.
        self.steps_left = limits.MAX_STEPS
        self.depth = 0

    def warn(self, where: str, message: str) -> None:
        if len(self.warnings) < limits.MAX_WARNINGS:  # bad data in a loop must not flood
            self.warnings.append(f"{where}: {message}")

    def spend(self, steps: int = 1) -> None:
        """Count work done; abort the evaluation when the budget is used up."""
        self.steps_left -= steps
        if self.steps_left < 0:
            raise EvaluationAborted(
                f"evaluation stopped after {limits.MAX_STEPS} steps (loops, filters and calls)"
            )


Evaluator = Callable[[Scope], Any]
