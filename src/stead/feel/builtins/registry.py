"""How built-in functions declare their signatures, check arguments and get registered."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from stead.feel.values import FeelEvalError, FeelFunction, type_name
from stead.feel.wide_temporal import WideDate, WideDateTime, make_date

__all__ = [
    "BUILTINS",
    "Builtin",
    "builtin",
    "call_function",
    "require_bool",
    "require_context",
    "require_date_like",
    "require_function",
    "require_integer",
    "require_list",
    "require_number",
    "require_string",
    "unwrap_singleton",
]

Number = decimal.Decimal
Impl = TypeVar("Impl", bound=Callable[..., Any])

BUILTINS: dict[str, FeelFunction] = {}

# Positions, lengths, scales and date fields beyond this are certainly out of range; the
# bound keeps huge numbers from turning into huge Python integers.
_LARGEST_INTEGER = Number("1E+18")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One formal parameter: ``name?`` is optional, ``name...`` takes the remaining values."""

    name: str
    optional: bool
    variadic: bool

    @classmethod
    def parse(cls, spec: str) -> Parameter:
        if spec.endswith("..."):
            return cls(spec[:-3], optional=True, variadic=True)
        if spec.endswith("?"):
            return cls(spec[:-1], optional=True, variadic=False)
        return cls(spec, optional=False, variadic=False)


@dataclass(frozen=True, slots=True)
class Overload:
    """One signature of a built-in and the Python function implementing it."""

    parameters: tuple[Parameter, ...]
    implementation: Callable[..., Any]

    @property
    def required(self) -> int:
        return sum(1 for p in self.parameters if not p.optional)

    def accepts(self, count: int) -> bool:
        if self.parameters and self.parameters[-1].variadic:
            return count >= self.required
        return self.required <= count <= len(self.parameters)

    def describe(self, name: str) -> str:
        shown = []
        for p in self.parameters:
            shown.append(p.name + ("..." if p.variadic else "?" if p.optional else ""))
        return f"{name}({', '.join(shown)})"


class Builtin(FeelFunction):
    """A built-in function: one or more overloads told apart by arity or parameter names."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.overloads: list[Overload] = []
        self.parameters = None

    def add_overload(self, overload: Overload) -> None:
        self.overloads.append(overload)
        # Parameter names are published only when they are unambiguous.
        single = self.overloads[0]
        if len(self.overloads) == 1 and not any(p.variadic for p in single.parameters):
            self.parameters = tuple(p.name for p in single.parameters)
        else:
            self.parameters = None

    def _signatures(self) -> str:
        return " or ".join(o.describe(self.name) for o in self.overloads)

    def invoke(self, args: Sequence[Any]) -> Any:
        for overload in self.overloads:
            if overload.accepts(len(args)):
                return self._run(overload, list(args))
        raise FeelEvalError(
            f"{self.name}: wrong number of arguments ({len(args)}); expected {self._signatures()}"
        )

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        given = set(args)
        best: Overload | None = None
        for overload in self.overloads:
            names = {p.name for p in overload.parameters}
            if given <= names and (best is None or len(names) < len(best.parameters)):
                best = overload
        if best is None:
            unknown = ", ".join(sorted(given))
            raise FeelEvalError(
                f"{self.name}: no signature has the parameters {unknown}; "
                f"expected {self._signatures()}"
            )
        positional: list[Any] = []
        for parameter in best.parameters:
            if parameter.variadic:
                if parameter.name in args:
                    positional.append(args[parameter.name])
                continue
            if parameter.name in args:
                positional.append(args[parameter.name])
            elif parameter.optional:
                # Stop at the first omitted optional parameter unless a later one is given.
                later = best.parameters[best.parameters.index(parameter) + 1 :]
                if not any(p.name in args for p in later):
                    break
                positional.append(None)
            else:
                # A required parameter left out of a named call is null.
                positional.append(None)
        return self._run(best, positional)

    def _run(self, overload: Overload, args: list[Any]) -> Any:
        try:
            return overload.implementation(*args)
        except (decimal.DecimalException, OverflowError) as exc:
            # Numbers beyond Decimal128 or dates beyond the calendar: an invalid result.
            raise FeelEvalError(f"{self.name}: the result is out of range ({exc})") from None


def builtin(name: str, *parameters: str) -> Callable[[Impl], Impl]:
    """Register the decorated function as (one overload of) the built-in ``name``."""

    def register(implementation: Impl) -> Impl:
        function = BUILTINS.get(name)
        if function is None:
            function = Builtin(name)
            BUILTINS[name] = function
        assert isinstance(function, Builtin)
        overload = Overload(tuple(Parameter.parse(p) for p in parameters), implementation)
        function.add_overload(overload)
        return implementation

    return register


def unwrap_singleton(value: Any) -> Any:
    """A one-item list where a single value is expected stands for that item (DMN 10.3.2.9)."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _wrong(function: str, parameter: str, expected: str, value: Any) -> FeelEvalError:
    return FeelEvalError(
        f"{function}: parameter '{parameter}' must be {expected}, not {type_name(value)}"
    )


def require_number(function: str, parameter: str, value: Any) -> Number:
    """``value`` as a number; FeelEvalError (naming the function) if it is not one."""
    value = unwrap_singleton(value)
    if isinstance(value, Number):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Number(value)
    raise _wrong(function, parameter, "a number", value)


def require_integer(function: str, parameter: str, value: Any) -> int:
    """A number argument truncated toward zero to an int (positions, lengths, scales)."""
    number = require_number(function, parameter, value)
    if not number.is_finite() or abs(number) >= _LARGEST_INTEGER:
        raise FeelEvalError(f"{function}: parameter '{parameter}' is out of range: {number}")
    return int(number)


def require_string(function: str, parameter: str, value: Any) -> str:
    value = unwrap_singleton(value)
    if isinstance(value, str):
        return value
    raise _wrong(function, parameter, "a string", value)


def require_bool(function: str, parameter: str, value: Any) -> bool:
    value = unwrap_singleton(value)
    if isinstance(value, bool):
        return value
    raise _wrong(function, parameter, "a boolean", value)


def require_list(function: str, parameter: str, value: Any) -> list[Any]:
    """A list argument; any other non-null value is taken as a list of that one item."""
    if isinstance(value, list):
        return value
    if value is None:
        raise _wrong(function, parameter, "a list", value)
    return [value]


def require_context(function: str, parameter: str, value: Any) -> dict[str, Any]:
    value = unwrap_singleton(value)
    if isinstance(value, dict):
        return value
    raise _wrong(function, parameter, "a context", value)


def require_function(function: str, parameter: str, value: Any) -> FeelFunction:
    value = unwrap_singleton(value)
    if isinstance(value, FeelFunction):
        return value
    raise _wrong(function, parameter, "a function", value)


def require_date_like(function: str, parameter: str, value: Any) -> dt.date | WideDate:
    """A date, or the date part of a date and time."""
    value = unwrap_singleton(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date | WideDate):
        return value
    if isinstance(value, WideDateTime):
        return make_date(value.year, value.month, value.day)
    raise _wrong(function, parameter, "a date or date and time", value)


def call_function(function: FeelFunction, args: Sequence[Any]) -> Any:
    """Call a FEEL function value given as an argument (e.g. ``sort``'s ``precedes``)."""
    if function.parameters is not None and len(function.parameters) != len(args):
        raise FeelEvalError(
            f"the function passed takes {len(function.parameters)} parameters, "
            f"but is called with {len(args)}"
        )
    return function.invoke(args)


def items_or_list(function: str, args: Sequence[Any]) -> list[Any]:
    """The items of a ``f(list)`` / ``f(c1, c2, ...)`` call, which FEEL allows both ways."""
    if not args:
        raise FeelEvalError(f"{function}: expected a list or at least one value")
    if len(args) == 1:
        return require_list(function, "list", args[0])
    return list(args)
