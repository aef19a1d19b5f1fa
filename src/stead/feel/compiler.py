"""Turns a FEEL syntax tree into nested Python closures that evaluate it against a scope."""

from __future__ import annotations

import bisect
import decimal
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from stead.feel import limits
from stead.feel import nodes as n
from stead.feel.operators import (
    arithmetic_evaluator,
    comparison_evaluator,
    conjunction_evaluator,
    disjunction_evaluator,
    negation_evaluator,
)
from stead.feel.scope import (
    MISSING,
    PLAIN_TYPES,
    EvaluationAborted,
    Evaluator,
    Scope,
    from_python,
)
from stead.feel.types import TypeTest, type_test
from stead.feel.values import DECIMAL_CONTEXT, FeelEvalError, Range, feel_compare, type_name

__all__ = ["Compiler", "builtin_functions", "check_size", "constant", "handles"]

_NodeCompiler = Callable[["Compiler", Any], Evaluator]


def builtin_functions() -> dict[str, Any]:
    """The built-in functions by name (imported late: they import this package too)."""
    from stead.feel.builtins import BUILTINS

    return BUILTINS


class Compiler:
    """Compiles the nodes of one expression; knows its source to say where problems are."""

    handlers: ClassVar[dict[type[n.Node], _NodeCompiler]] = {}

    def __init__(self, source: str, types: Mapping[str, TypeTest] | None = None) -> None:
        self.source = source
        self.types: Mapping[str, TypeTest] = types or {}
        # Offsets where lines start, so that positions are found without rescanning the text.
        self.line_starts = [0] + [i + 1 for i, char in enumerate(source) if char == "\n"]

    def type_test(self, node: n.TypeNode) -> TypeTest:
        return type_test(node, self.types)

    def where(self, node: n.Node) -> str:
        """The position of a node for messages: "line 2, column 7"."""
        line = bisect.bisect_right(self.line_starts, node.at)
        return f"line {line}, column {node.at - self.line_starts[line - 1] + 1}"

    def compile(self, node: n.Node) -> Evaluator:
        handler = self.handlers.get(type(node))
        if handler is None:
            raise TypeError(f"cannot compile {type(node).__name__}")
        return handler(self, node)


def handles(*kinds: type[n.Node]) -> Callable[[_NodeCompiler], _NodeCompiler]:
    """Register a function as the compiler of the given node types."""

    def register(function: _NodeCompiler) -> _NodeCompiler:
        for kind in kinds:
            Compiler.handlers[kind] = function
        return function

    return register


def constant(value: Any) -> Evaluator:
    return lambda scope: value


@handles(n.Null)
def _null(compiler: Compiler, node: n.Null) -> Evaluator:
    return constant(None)


@handles(n.Boolean, n.Number, n.String)
def _literal(compiler: Compiler, node: n.Boolean | n.Number | n.String) -> Evaluator:
    value: Any = node.value
    if isinstance(value, decimal.Decimal):
        value = DECIMAL_CONTEXT.plus(value)  # literals longer than 34 digits are rounded
    return constant(value)


@handles(n.Temporal)
def _temporal(compiler: Compiler, node: n.Temporal) -> Evaluator:
    where = compiler.where(node)
    text = node.text
    cache: list[Any] = []

    def temporal(scope: Scope) -> Any:
        if not cache:
            try:
                from stead.feel.temporal import parse_at_literal

                cache.append(parse_at_literal(text))
            except FeelEvalError as error:
                scope.state.warn(where, f'invalid literal @"{text}": {error}')
                return None
        return cache[0]

    return temporal


@handles(n.Name)
def _name(compiler: Compiler, node: n.Name) -> Evaluator:
    where = compiler.where(node)
    name = node.name
    if name == "?":

        def input_value(scope: Scope) -> Any:
            value = scope.state.input_value
            if value is MISSING:
                scope.state.warn(where, "no input value for '?'")
                return None
            return value

        return input_value

    builtins = builtin_functions()

    def lookup(scope: Scope) -> Any:
        current: Scope | None = scope
        while current is not None:
            value = current.vars.get(name, MISSING)
            if value is not MISSING:
                if current.raw and type(value) not in PLAIN_TYPES:
                    return from_python(value)
                return value
            current = current.parent
        value = builtins.get(name)
        if value is None:
            scope.state.warn(where, f"no variable named '{name}'")
        return value

    return lookup


@handles(n.Negation)
def _negation(compiler: Compiler, node: n.Negation) -> Evaluator:
    if isinstance(node.operand, n.Number):
        return constant(DECIMAL_CONTEXT.plus(node.operand.value).copy_negate())
    return negation_evaluator(compiler.compile(node.operand), compiler.where(node))


@handles(n.Arithmetic)
def _arithmetic(compiler: Compiler, node: n.Arithmetic) -> Evaluator:
    return arithmetic_evaluator(
        node.op, compiler.compile(node.left), compiler.compile(node.right), compiler.where(node)
    )


@handles(n.Comparison)
def _comparison(compiler: Compiler, node: n.Comparison) -> Evaluator:
    right = node.right
    constant_right = _constant_number(right)
    return comparison_evaluator(
        node.op,
        compiler.compile(node.left),
        compiler.compile(right),
        compiler.where(node),
        constant_right,
    )


def _constant_number(node: n.Node) -> decimal.Decimal | None:
    if isinstance(node, n.Number):
        return DECIMAL_CONTEXT.plus(node.value)
    if isinstance(node, n.Negation) and isinstance(node.operand, n.Number):
        return DECIMAL_CONTEXT.plus(node.operand.value).copy_negate()
    return None


@handles(n.Conjunction)
def _conjunction(compiler: Compiler, node: n.Conjunction) -> Evaluator:
    return conjunction_evaluator(
        compiler.compile(node.left), compiler.compile(node.right), compiler.where(node)
    )


@handles(n.Disjunction)
def _disjunction(compiler: Compiler, node: n.Disjunction) -> Evaluator:
    return disjunction_evaluator(
        compiler.compile(node.left), compiler.compile(node.right), compiler.where(node)
    )


@handles(n.Between)
def _between(compiler: Compiler, node: n.Between) -> Evaluator:
    value_of = compiler.compile(node.value)
    low_of = compiler.compile(node.low)
    high_of = compiler.compile(node.high)
    where = compiler.where(node)

    def between(scope: Scope) -> Any:
        value, low, high = value_of(scope), low_of(scope), high_of(scope)
        if value is None or low is None or high is None:
            scope.state.warn(where, "'between' with a null operand")
            return None
        above, below = feel_compare(value, low), feel_compare(value, high)
        if above is None or below is None:
            scope.state.warn(
                where,
                f"'between' cannot compare {type_name(value)} with "
                f"{type_name(low)} and {type_name(high)}",
            )
            return None
        return above >= 0 and below <= 0

    return between


@handles(n.InstanceOf)
def _instance_of(compiler: Compiler, node: n.InstanceOf) -> Evaluator:
    value_of = compiler.compile(node.value)
    test = compiler.type_test(node.type)
    where = compiler.where(node)

    def instance_of(scope: Scope) -> Any:
        try:
            return test(value_of(scope))
        except FeelEvalError as error:
            scope.state.warn(where, f"'instance of': {error}")
            return None

    return instance_of


@handles(n.If)
def _if(compiler: Compiler, node: n.If) -> Evaluator:
    condition = compiler.compile(node.condition)
    then = compiler.compile(node.then)
    otherwise = compiler.compile(node.otherwise)
    # A null or non-boolean condition takes the else branch (DMN 1.5, 10.3.2.7).
    return lambda scope: then(scope) if condition(scope) is True else otherwise(scope)


def check_size(size: int) -> None:
    """Abort the evaluation when a collection grows beyond the configured limit."""
    if size > limits.MAX_COLLECTION_SIZE:
        raise EvaluationAborted(
            f"a list or context grew beyond {limits.MAX_COLLECTION_SIZE} entries"
        )


@handles(n.ListLiteral)
def _list(compiler: Compiler, node: n.ListLiteral) -> Evaluator:
    items = [compiler.compile(item) for item in node.items]
    return lambda scope: [item(scope) for item in items]


@handles(n.ContextLiteral)
def _context(compiler: Compiler, node: n.ContextLiteral) -> Evaluator:
    entries = [(key, compiler.compile(value)) for key, value in node.entries]
    keys = [key for key, _ in entries]
    if len(set(keys)) != len(keys):
        duplicate = next(key for key in keys if keys.count(key) > 1)
        where = compiler.where(node)

        def duplicated(scope: Scope) -> Any:
            scope.state.warn(where, f"context has the key '{duplicate}' twice")

        return duplicated

    def context(scope: Scope) -> Any:
        result: dict[str, Any] = {}
        inner = scope.child(result)  # later entries see the earlier ones
        for key, value_of in entries:
            result[key] = value_of(inner)
        return result

    return context


@handles(n.RangeLiteral)
def _range(compiler: Compiler, node: n.RangeLiteral) -> Evaluator:
    start_of = compiler.compile(node.start) if node.start is not None else constant(None)
    end_of = compiler.compile(node.end) if node.end is not None else constant(None)
    start_included, end_included = node.start_included, node.end_included
    where = compiler.where(node)

    def range_(scope: Scope) -> Any:
        start, end = start_of(scope), end_of(scope)
        if start is not None and end is not None and feel_compare(start, end) is None:
            scope.state.warn(
                where, f"a range cannot go from {type_name(start)} to {type_name(end)}"
            )
            return None
        if (start is None and node.start is not None) or (end is None and node.end is not None):
            scope.state.warn(where, "a range endpoint is null")
            return None
        return Range(start, end, start_included, end_included)

    return range_


# Importing registers the compilers of the remaining node types.
from stead.feel import functions, iteration, navigation, unary  # noqa: E402, F401
