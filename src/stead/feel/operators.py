"""Evaluators for FEEL's operators: arithmetic, comparison and three-valued logic."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from types import ModuleType
from typing import Any

from stead.feel import limits
from stead.feel.scope import EvaluationAborted, Evaluator, Scope
from stead.feel.values import DECIMAL_CONTEXT, FeelEvalError, feel_compare, feel_equals, type_name

__all__ = [
    "arithmetic_evaluator",
    "comparison_evaluator",
    "conjunction_evaluator",
    "disjunction_evaluator",
    "negation_evaluator",
]

Decimal = decimal.Decimal

_ARITHMETIC_FUNCTIONS = {
    "+": "add",
    "-": "subtract",
    "*": "multiply",
    "/": "divide",
    "**": "power",
}
# Types whose FEEL equality is Python equality between two values of the same type.
_SIMPLE = frozenset({str, Decimal, bool})
_DECIMAL_FAST = {
    "+": DECIMAL_CONTEXT.add,
    "-": DECIMAL_CONTEXT.subtract,
    "*": DECIMAL_CONTEXT.multiply,
}


def _arithmetic_module() -> ModuleType | None:
    try:
        from stead.feel import arithmetic
    except ImportError:
        return None
    return arithmetic


def _general(op: str) -> Callable[[Any, Any], Any]:
    """The full-semantics function for ``op`` (numbers, strings, dates, durations)."""
    module = _arithmetic_module()
    if module is not None:
        function: Callable[[Any, Any], Any] = getattr(module, _ARITHMETIC_FUNCTIONS[op])
        return function
    fast = _DECIMAL_FAST.get(op)

    def numbers_only(a: Any, b: Any) -> Any:
        if a is None or b is None:
            return None
        if fast is not None and type(a) is Decimal and type(b) is Decimal:
            return fast(a, b)
        if op == "+" and isinstance(a, str) and isinstance(b, str):
            return a + b
        raise FeelEvalError("operation not supported")

    return numbers_only


def _check_string(value: Any) -> Any:
    if type(value) is str and len(value) > limits.MAX_STRING_LENGTH:
        raise EvaluationAborted(f"a string grew beyond {limits.MAX_STRING_LENGTH} characters")
    return value


def _explain(op: str, problem: Exception, *operands: Any) -> str:
    """A warning naming the operator and operand types (unless the error already does)."""
    text = str(problem)
    if f"'{op}'" in text and all(type_name(x) in text for x in operands):
        return text
    kinds = " and ".join(type_name(x) for x in operands)
    return f"cannot apply '{op}' to {kinds}" + (f": {text}" if text else "")


def arithmetic_evaluator(op: str, left: Evaluator, right: Evaluator, where: str) -> Evaluator:
    general = _general(op)
    fast = _DECIMAL_FAST.get(op)

    def failed(scope: Scope, a: Any, b: Any, problem: Exception) -> None:
        scope.state.warn(where, _explain(op, problem, a, b))

    if fast is not None:

        def fast_arithmetic(scope: Scope) -> Any:
            a = left(scope)
            b = right(scope)
            try:
                if type(a) is Decimal and type(b) is Decimal:
                    return fast(a, b)
                return _check_string(general(a, b))
            except (FeelEvalError, ArithmeticError) as error:
                failed(scope, a, b, error)
                return None

        return fast_arithmetic

    def arithmetic(scope: Scope) -> Any:
        a = left(scope)
        b = right(scope)
        try:
            return general(a, b)
        except (FeelEvalError, ArithmeticError) as error:
            failed(scope, a, b, error)
            return None

    return arithmetic


def negation_evaluator(operand: Evaluator, where: str) -> Evaluator:
    module = _arithmetic_module()

    def negation(scope: Scope) -> Any:
        value = operand(scope)
        if type(value) is Decimal:
            return value.copy_negate()
        if value is None:
            return None
        try:
            if module is None:
                raise FeelEvalError("operation not supported")
            return module.negate(value)
        except (FeelEvalError, ArithmeticError) as error:
            scope.state.warn(where, _explain("-", error, value))
            return None

    return negation


def comparison_evaluator(
    op: str, left: Evaluator, right: Evaluator, where: str, constant_right: Decimal | None
) -> Evaluator:
    if op in ("=", "!="):
        negate = op == "!="

        def equality(scope: Scope) -> Any:
            a = left(scope)
            b = right(scope)
            kind = type(a)
            if kind is type(b) and kind in _SIMPLE:
                return (a != b) if negate else (a == b)
            result = feel_equals(a, b)
            if result is None:
                scope.state.warn(
                    where, f"cannot compare {type_name(a)} and {type_name(b)} with '{op}'"
                )
                return None
            return not result if negate else result

        return equality

    accepts = {"<": (-1,), "<=": (-1, 0), ">": (1,), ">=": (1, 0)}[op]

    def compare(scope: Scope, a: Any, b: Any) -> Any:
        if a is None or b is None:
            return None
        result = feel_compare(a, b)
        if result is None:
            scope.state.warn(where, f"cannot compare {type_name(a)} and {type_name(b)} with '{op}'")
            return None
        return result in accepts

    def ordering(scope: Scope) -> Any:
        return compare(scope, left(scope), right(scope))

    if constant_right is None:
        return ordering
    # The common "amount > 100": compare numbers directly, fall back to the general case.
    bound = constant_right
    number_test: Callable[[Decimal], bool] = {
        "<": bound.__gt__,
        "<=": bound.__ge__,
        ">": bound.__lt__,
        ">=": bound.__le__,
    }[op]

    def ordering_with_number(scope: Scope) -> Any:
        a = left(scope)
        if type(a) is Decimal:
            return number_test(a)
        return compare(scope, a, bound)

    return ordering_with_number


def _logic_operand(scope: Scope, value: Any, where: str, op: str) -> Any:
    """A boolean operand as is; anything else counts as null (with a warning)."""
    if value is None or value is True or value is False:
        return value
    scope.state.warn(where, f"'{op}' needs booleans, got {type_name(value)}")
    return None


def conjunction_evaluator(left: Evaluator, right: Evaluator, where: str) -> Evaluator:
    def conjunction(scope: Scope) -> Any:
        a = left(scope)
        if a is False:
            return False
        b = right(scope)
        if a is True and b is True:
            return True
        if b is False:
            return False
        _logic_operand(scope, a, where, "and")
        _logic_operand(scope, b, where, "and")
        return None

    return conjunction


def disjunction_evaluator(left: Evaluator, right: Evaluator, where: str) -> Evaluator:
    def disjunction(scope: Scope) -> Any:
        a = left(scope)
        if a is True:
            return True
        b = right(scope)
        if b is True:
            return True
        if a is False and b is False:
            return False
        _logic_operand(scope, a, where, "or")
        _logic_operand(scope, b, where, "or")
        return None

    return disjunction
