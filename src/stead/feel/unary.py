"""Unary tests (decision-table cells such as ``< 10``, ``"a","b"``, ``not(1)``) and ``in``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stead.feel import nodes as n
from stead.feel.compiler import Compiler, handles
from stead.feel.scope import MISSING, Evaluator, Scope
from stead.feel.values import Range, feel_compare, feel_equals

__all__ = ["range_contains"]

# A positive unary test: (scope, tested value) -> True, False or None.
Test = Callable[[Scope, Any], Any]


def range_contains(bounds: Range, value: Any) -> bool | None:
    """Whether ``value`` lies in the range; None when it cannot be compared with the ends."""
    if value is None:
        return None
    if bounds.start is not None:
        order = feel_compare(value, bounds.start)
        if order is None:
            return None
        if order < 0 or (order == 0 and not bounds.start_included):
            return False
    if bounds.end is not None:
        order = feel_compare(value, bounds.end)
        if order is None:
            return None
        if order > 0 or (order == 0 and not bounds.end_included):
            return False
    return True


def matches(value: Any, expected: Any) -> bool | None:
    """Whether ``value`` passes a test whose expression evaluated to ``expected``."""
    if isinstance(expected, Range):
        return range_contains(expected, value)
    if isinstance(expected, list):
        # A list holds values or ranges, each tested on its own: "1 in [[2..4], [1..3]]".
        for item in expected:
            if isinstance(item, Range):
                if range_contains(item, value) is True:
                    return True
            elif feel_equals(value, item) is True:
                return True
        return feel_equals(value, expected) is True
    equal = feel_equals(value, expected)
    if equal is not True and expected is True and not isinstance(value, bool):
        # An expression that is simply true (e.g. "x > 3" on other data) passes any value.
        return True
    return equal


def _mentions_input(node: n.Node) -> bool:
    """Whether ``?`` occurs in the node outside nested function definitions."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, n.Name) and current.name == "?":
            return True
        if not isinstance(current, n.FunctionDefinition):
            stack.extend(n.children(current))
    return False


def compile_test(compiler: Compiler, node: n.Node) -> Test:
    """A positive unary test from its node."""
    if isinstance(node, n.UnaryComparison):
        operand = compiler.compile(node.operand)
        if node.op == "=":
            return lambda scope, value: feel_equals(value, operand(scope))

        def unequal(scope: Scope, value: Any) -> Any:
            equal = feel_equals(value, operand(scope))
            return None if equal is None else not equal

        return unequal
    expression = compiler.compile(node)
    if isinstance(node, n.RangeLiteral):

        def in_range(scope: Scope, value: Any) -> Any:
            bounds = expression(scope)
            # An invalid range (e.g. a null end) makes the test unknown, not false.
            return None if bounds is None else range_contains(bounds, value)

        return in_range
    if not _mentions_input(node):
        return lambda scope, value: matches(value, expression(scope))

    def with_input(scope: Scope, value: Any) -> Any:
        state = scope.state
        saved = state.input_value
        state.input_value = value
        try:
            result = expression(scope)
        finally:
            state.input_value = saved
        # An expression using "?" is a condition: its boolean result is the verdict.
        return result if isinstance(result, bool) else matches(value, result)

    return with_input


def any_passes(tests: list[Test], scope: Scope, value: Any) -> Any:
    """Three-valued "or" over the tests."""
    unknown = False
    for test in tests:
        verdict = test(scope, value)
        if verdict is True:
            return True
        if verdict is not False:
            unknown = True
    return None if unknown else False


@handles(n.In)
def _in(compiler: Compiler, node: n.In) -> Evaluator:
    value_of = compiler.compile(node.value)
    tests = [compile_test(compiler, test) for test in node.tests]
    where = compiler.where(node)

    def in_(scope: Scope) -> Any:
        verdict = any_passes(tests, scope, value_of(scope))
        if verdict is None:
            scope.state.warn(where, "'in' could not compare the value with its tests")
        return verdict

    return in_


def _tested_value(scope: Scope, where: str) -> Any:
    value = scope.state.input_value
    if value is MISSING:
        scope.state.warn(where, "unary tests need an input value")
        return None
    return value


@handles(n.UnaryTests)
def _unary_tests(compiler: Compiler, node: n.UnaryTests) -> Evaluator:
    tests = [compile_test(compiler, test) for test in node.tests]
    where = compiler.where(node)
    return lambda scope: any_passes(tests, scope, _tested_value(scope, where)) is True


@handles(n.UnaryNot)
def _unary_not(compiler: Compiler, node: n.UnaryNot) -> Evaluator:
    tests = [compile_test(compiler, test) for test in node.tests]
    where = compiler.where(node)
    return lambda scope: any_passes(tests, scope, _tested_value(scope, where)) is False


@handles(n.UnaryAny)
def _unary_any(compiler: Compiler, node: n.UnaryAny) -> Evaluator:
    return lambda scope: True


@handles(n.UnaryComparison)
def _unary_comparison(compiler: Compiler, node: n.UnaryComparison) -> Evaluator:
    # As an expression (DMN 1.5), "= x" is the range [x..x]; "!= x" has no range form.
    operand = compiler.compile(node.operand)
    where = compiler.where(node)
    if node.op == "=":

        def point(scope: Scope) -> Any:
            value = operand(scope)
            return None if value is None else Range(value, value, True, True, point_test=True)

        return point

    def refused(scope: Scope) -> Any:
        scope.state.warn(where, "'!= x' is a test, not a value")

    return refused
