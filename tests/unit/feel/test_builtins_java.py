"""External ``java`` functions: only allowlisted java.lang methods, mapped onto Python."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import stead.feel as feel
from stead.feel.java_methods import java_method
from stead.feel.values import FeelEvalError


def call_java(class_name: str, signature: str, *args: Any) -> Any:
    names = tuple(f"p{i}" for i in range(len(args)))
    return java_method(class_name, signature, names).invoke(list(args))


@pytest.mark.parametrize(
    ("class_name", "signature", "args", "expected"),
    [
        ("java.lang.Math", "cos(double)", [Decimal(0)], Decimal(1)),
        ("java.lang.Math", "max(int, int)", [Decimal(123), Decimal(456)], Decimal(456)),
        ("java.lang.Math", "max(double,double)", [Decimal("1.5"), Decimal("0.5")], Decimal("1.5")),
        ("java.lang.Math", "pow(double, double)", [Decimal(2), Decimal(10)], Decimal(1024)),
        ("java.lang.Integer", "valueOf(java.lang.String)", ["123"], Decimal(123)),
        ("java.lang.Double", "valueOf(java.lang.String)", ["1234.56"], Decimal("1234.56")),
        ("java.lang.String", "valueOf(char)", ["a"], "a"),
        ("java.lang.String", "valueOf(boolean)", [True], "true"),
        (
            "java.lang.String",
            "format(java.lang.String, [Ljava.lang.Object;)",
            ["%s=%d", ["n", Decimal(3)]],
            "n=3",
        ),
    ],
)
def test_allowlisted_methods(
    class_name: str, signature: str, args: list[Any], expected: Any
) -> None:
    assert call_java(class_name, signature, *args) == expected


@pytest.mark.parametrize(
    ("class_name", "signature", "args"),
    [
        ("java.lang.String", "valueOf(char)", ["abc"]),  # not one character
        ("java.lang.Math", "max(int, int)", [Decimal("1.5"), Decimal(2)]),  # not an int
        ("java.lang.Integer", "valueOf(java.lang.String)", ["12a"]),
        ("java.lang.Math", "log(double)", [Decimal(0)]),  # -Infinity is no FEEL number
    ],
)
def test_bad_arguments_are_errors(class_name: str, signature: str, args: list[Any]) -> None:
    with pytest.raises(FeelEvalError):
        call_java(class_name, signature, *args)


@pytest.mark.parametrize(
    ("class_name", "signature"),
    [
        ("java.lang.Runtime", "exec(java.lang.String)"),
        ("java.lang.System", "exit(int)"),
        ("java.lang.Math", "foo(double)"),
        ("java.lang.Math", "max(java.lang.String, java.lang.String)"),
        ("java.lang.Foo", "valueOf(double)"),
    ],
)
def test_anything_else_is_never_looked_up(class_name: str, signature: str) -> None:
    with pytest.raises(FeelEvalError, match="not one Stead provides"):
        java_method(class_name, signature, ("a",) * (signature.count(",") + 1))


def test_a_refused_definition_is_null_with_a_warning() -> None:
    result = feel.evaluate(
        '{f: function(n) external {java: {class: "java.lang.System", '
        'method signature: "exit(int)"}}, r: f(1)}'
    )
    assert result.value == {"f": None, "r": None}
    assert any("java.lang.System.exit" in warning for warning in result.warnings)
