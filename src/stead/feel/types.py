"""FEEL types for ``instance of`` and typed parameters: type expression -> membership test."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from typing import Any

from stead.feel import nodes as n
from stead.feel.values import (
    DayTimeDuration,
    FeelEvalError,
    FeelFunction,
    Range,
    YearMonthDuration,
)
from stead.feel.wide_temporal import is_date, is_date_time, is_time

__all__ = ["TypeTest", "type_test"]

TypeTest = Callable[[Any], bool]


def _is_number(value: Any) -> bool:
    return isinstance(value, decimal.Decimal)


_NAMED: dict[str, TypeTest] = {
    # null is an instance of Null only (DMN 1.5: "null instance of Any" is false).
    "Any": lambda v: v is not None,
    "Null": lambda v: v is None,
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "date": is_date,
    "time": is_time,
    "date and time": is_date_time,
    "days and time duration": lambda v: isinstance(v, DayTimeDuration),
    "years and months duration": lambda v: isinstance(v, YearMonthDuration),
    "list": lambda v: isinstance(v, list),
    "context": lambda v: isinstance(v, dict),
    "range": lambda v: isinstance(v, Range),
    "function": lambda v: isinstance(v, FeelFunction),
}


_NO_TYPES: Mapping[str, TypeTest] = {}


def _unknown(name: str) -> TypeTest:
    def test(value: Any) -> bool:
        raise FeelEvalError(f"unknown type '{name}'")

    return test


def _member(test: TypeTest, value: Any) -> bool:
    # Inside a collection a missing value (null) conforms to any element type.
    return value is None or test(value)


def type_test(node: n.TypeNode, defined: Mapping[str, TypeTest] = _NO_TYPES) -> TypeTest:
    """A predicate telling whether a value is an instance of the type ``node`` describes.

    ``defined`` adds named types (such as a model's item definitions) to the built-in ones.
    """
    if isinstance(node, n.NamedType):
        name = node.name.removeprefix("feel:")
        return _NAMED.get(name) or defined.get(node.name) or _unknown(node.name)
    if isinstance(node, n.ListType):
        element = type_test(node.element, defined)
        return lambda v: isinstance(v, list) and all(_member(element, x) for x in v)
    if isinstance(node, n.RangeType):
        bound = type_test(node.element, defined)
        return lambda v: isinstance(v, Range) and _member(bound, v.start) and _member(bound, v.end)
    if isinstance(node, n.ContextType):
        entries = [(key, type_test(entry, defined)) for key, entry in node.entries]
        return lambda v: (
            isinstance(v, dict) and all(key in v and _member(test, v[key]) for key, test in entries)
        )
    if isinstance(node, n.FunctionType):
        arity = len(node.parameters)
        return lambda v: (
            isinstance(v, FeelFunction) and (v.parameters is None or len(v.parameters) == arity)
        )
    raise TypeError(f"not a type expression: {node!r}")
