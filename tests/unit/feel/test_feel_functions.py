"""User-defined functions: closures, named arguments, recursion, external refusal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from feel_language_helpers import null_with_warning, num, value_of

import stead.feel as feel
from stead.feel import limits
from stead.feel.values import FeelEvalError, FeelFunction


def test_define_and_call() -> None:
    assert value_of("{add: function(a, b) a + b, r: add(2, 3)}.r") == num(5)


def test_named_arguments() -> None:
    assert value_of("{f: function(base, rate) base * rate, r: f(rate: 2, base: 10)}.r") == num(20)


def test_multi_word_parameter_names() -> None:
    text = (
        "{net: function(gross amount, tax rate) gross amount * (1 - tax rate), r: net(100, 0.2)}.r"
    )
    assert value_of(text) == num(80)


def test_closures_keep_their_scope() -> None:
    text = "{make: function(n) function(x) x + n, add5: make(5), r: add5(1)}.r"
    assert value_of(text) == num(6)


def test_functions_created_in_a_loop_capture_each_value() -> None:
    text = "for f in (for i in 1..3 return function() i) return f()"
    assert value_of(text) == [num(1), num(2), num(3)]


def test_recursion() -> None:
    text = "{fact: function(n) if n <= 1 then 1 else n * fact(n - 1), r: fact(10)}.r"
    assert value_of(text) == num(3628800)


def test_runaway_recursion_stops_with_a_clear_warning() -> None:
    result = feel.evaluate("{f: function(n) f(n + 1), r: f(1)}.r")
    assert result.value is None
    assert any("more than" in w and "deep" in w for w in result.warnings)


def test_exponential_recursion_hits_the_step_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_STEPS", 10_000)
    text = "{fib: function(n) if n < 2 then n else fib(n - 1) + fib(n - 2), r: fib(40)}.r"
    result = feel.evaluate(text)
    assert result.value is None
    assert any("stopped after 10000 steps" in w for w in result.warnings)


def test_typed_parameters_refuse_other_types() -> None:
    text = '{f: function(a: number) a * 2, r: f("x")}.r'
    assert "declared type" in null_with_warning(text)
    assert value_of("{f: function(a: number) a * 2, r: f(4)}.r") == num(8)


def test_wrong_number_of_arguments_is_null_with_warning() -> None:
    assert "takes 2 argument(s), got 1" in null_with_warning("{f: function(a, b) a, r: f(1)}.r")


def test_calling_a_non_function_is_null_with_warning() -> None:
    assert "not a function" in null_with_warning("x(1)", {"x": 3})


def test_unknown_named_argument_is_null_with_warning() -> None:
    assert "no parameter named 'c'" in null_with_warning("{f: function(a) a, r: f(c: 1)}.r")


def test_external_functions_are_never_executed() -> None:
    text = (
        '{f: function(x) external {java: {class: "java.lang.Runtime", '
        'method signature: "exec(java.lang.String)"}}, r: f("rm -rf /")}'
    )
    result = feel.evaluate(text)
    assert result.value == {"f": None, "r": None}
    assert any("java.lang.Runtime.exec" in w and "not one" in w for w in result.warnings)


def test_allowlisted_java_methods_are_mapped_onto_python() -> None:
    text = (
        '{max: function(a, b) external {java: {class: "java.lang.Math", '
        'method signature: "max(double, double)"}}, r: max(123.45, 456.78)}'
    )
    assert feel.evaluate(text).value["r"] == num("456.78")
    parse = (
        '{p: function(s) external {java: {class: "java.lang.Integer", '
        'method signature: "valueOf(java.lang.String)"}}, r: p("123")}'
    )
    assert feel.evaluate(parse).value["r"] == num(123)


class Twice(FeelFunction):
    """A function supplied by the caller through the context."""

    name = "twice"
    parameters = ("x",)

    def invoke(self, args: Sequence[Any]) -> Any:
        if len(args) != 1:
            raise FeelEvalError("twice takes one argument")
        return args[0] * 2

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        return self.invoke([args.get("x")])


def test_functions_from_the_context_can_be_called() -> None:
    assert value_of("twice(21)", {"twice": Twice()}) == num(42)
    assert value_of("twice(x: 4)", {"twice": Twice()}) == num(8)
    assert "twice takes one argument" in null_with_warning("twice(1, 2)", {"twice": Twice()})


def test_user_functions_can_be_invoked_from_python() -> None:
    function = feel.evaluate("function(a, b) a - b").value
    assert isinstance(function, FeelFunction)
    assert function.invoke([num(5), num(3)]) == num(2)
    assert function.invoke_named({"b": num(1), "a": num(4)}) == num(3)


def test_invoking_null_or_an_unknown_function_is_reported() -> None:
    assert "cannot invoke null" in null_with_warning("null()")
    assert "no function named 'no such thing'" in null_with_warning("no such thing(1)")
