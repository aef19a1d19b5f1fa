"""External ``java`` functions: a fixed allowlist of ``java.lang`` static methods.

DMN lets a function be bound to a Java static method by class name and method signature.
Stead never loads or reflects on code: a definition is honoured only when its class and
signature are in the table below, each mapped onto a Python function with the same result.
Anything else is not a function (null, with a warning where it is defined).
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from stead.feel.values import FeelEvalError, FeelFunction

__all__ = ["JavaMethod", "java_method", "java_method_from_context"]

Number = decimal.Decimal

# Java parameter types, converted from FEEL values before the call.
_INTEGRAL = {"int": 2**31, "long": 2**63, "short": 2**15, "byte": 2**7}
_FLOATING = ("double", "float")
_STRING = "java.lang.String"
_OBJECTS = "[Ljava.lang.Object;"


def _to_java(value: Any, java_type: str) -> Any:
    """A FEEL argument as the Java parameter type expects it; FeelEvalError if it does not fit."""
    if java_type in _INTEGRAL:
        if not isinstance(value, Number) or value != value.to_integral_value():
            raise FeelEvalError(f"{java_type} parameter: expected a whole number")
        bound = _INTEGRAL[java_type]
        if not -bound <= value < bound:
            raise FeelEvalError(f"{java_type} parameter: {value} is out of range")
        return int(value)
    if java_type in _FLOATING:
        if not isinstance(value, Number):
            raise FeelEvalError(f"{java_type} parameter: expected a number")
        return float(value)
    if java_type == "boolean":
        if not isinstance(value, bool):
            raise FeelEvalError("boolean parameter: expected true or false")
        return value
    if java_type == "char":
        if not isinstance(value, str) or len(value) != 1:
            raise FeelEvalError("char parameter: expected a string of one character")
        return value
    if java_type == _STRING:
        if not isinstance(value, str):
            raise FeelEvalError("String parameter: expected a string")
        return value
    return value  # Object: any FEEL value


def _to_feel(value: Any) -> Any:
    """A Java result as a FEEL value: every Java number becomes a FEEL number."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return Number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FeelEvalError("the Java method returned a value that is not a finite number")
        # The shortest decimal that reads back as the same double, as Java prints it.
        return Number(repr(value))
    raise FeelEvalError("the Java method returned a value FEEL cannot represent")


def _parse_number(text: str, integral: bool) -> int | float:
    try:
        return int(text.strip()) if integral else float(text.strip())
    except ValueError:
        raise FeelEvalError(f"NumberFormatException: {text!r}") from None


_FORMAT_SPECIFIER = re.compile(r"%(?:([sdn%]))")


def _string_format(template: str, *values: Any) -> str:
    """``String.format`` for the ``%s``, ``%d``, ``%n`` and ``%%`` specifiers only."""
    remaining = list(values)

    def substitute(match: re.Match[str]) -> str:
        kind = match[1]
        if kind == "%":
            return "%"
        if kind == "n":
            return "\n"
        if not remaining:
            raise FeelEvalError("MissingFormatArgumentException")
        value = remaining.pop(0)
        if kind == "d":
            if not isinstance(value, Number) or value != value.to_integral_value():
                raise FeelEvalError("IllegalFormatConversionException: %d needs a whole number")
            return str(int(value))
        if isinstance(value, Number):
            return format(value, "f")
        if isinstance(value, bool):
            return "true" if value else "false"
        return "null" if value is None else str(value)

    if re.search(r"%(?![sdn%])", template):
        raise FeelEvalError("String.format: only %s, %d, %n and %% are supported")
    return _FORMAT_SPECIFIER.sub(substitute, template)


def _signum(x: float) -> float:
    return math.copysign(1.0, x) if x else x


_UNARY_DOUBLE: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "cbrt": lambda x: math.copysign(abs(x) ** (1 / 3), x),
    "floor": math.floor,
    "ceil": math.ceil,
    "signum": _signum,
    "toDegrees": math.degrees,
    "toRadians": math.radians,
}

_BINARY_DOUBLE: dict[str, Callable[[float, float], float]] = {
    "pow": math.pow,
    "atan2": math.atan2,
    "hypot": math.hypot,
}

# (class, normalised signature) -> implementation taking the converted arguments.
_METHODS: dict[tuple[str, str], Callable[..., Any]] = {}
for _name, _unary in _UNARY_DOUBLE.items():
    _METHODS[("java.lang.Math", f"{_name}(double)")] = _unary
for _name, _binary in _BINARY_DOUBLE.items():
    _METHODS[("java.lang.Math", f"{_name}(double,double)")] = _binary
for _type in ("double", "float", "int", "long"):
    _METHODS[("java.lang.Math", f"max({_type},{_type})")] = max
    _METHODS[("java.lang.Math", f"min({_type},{_type})")] = min
    _METHODS[("java.lang.Math", f"abs({_type})")] = abs
for _class, _type, _integral in (
    ("java.lang.Integer", "int", True),
    ("java.lang.Long", "long", True),
    ("java.lang.Short", "short", True),
    ("java.lang.Byte", "byte", True),
    ("java.lang.Double", "double", False),
    ("java.lang.Float", "float", False),
):
    _METHODS[(_class, f"valueOf({_type})")] = lambda x: x
    _METHODS[(_class, f"valueOf({_STRING})")] = lambda s, i=_integral: _parse_number(s, i)
_METHODS[("java.lang.Integer", f"parseInt({_STRING})")] = lambda s: _parse_number(s, True)
_METHODS[("java.lang.Long", f"parseLong({_STRING})")] = lambda s: _parse_number(s, True)
_METHODS[("java.lang.Double", f"parseDouble({_STRING})")] = lambda s: _parse_number(s, False)
for _type in ("char", "int", "long", "double"):
    _METHODS[("java.lang.String", f"valueOf({_type})")] = str
_METHODS[("java.lang.String", "valueOf(boolean)")] = lambda b: "true" if b else "false"
_METHODS[("java.lang.String", f"format({_STRING},{_OBJECTS})")] = _string_format
del _name, _unary, _binary, _type, _class, _integral

_SIGNATURE = re.compile(r"(?P<method>[A-Za-z_]\w*)\((?P<types>[^()]*)\)")


class JavaMethod(FeelFunction):
    """A FEEL function bound to one allowlisted Java static method."""

    def __init__(
        self,
        parameters: tuple[str, ...],
        java_types: tuple[str, ...],
        implementation: Callable[..., Any],
        name: str,
    ) -> None:
        self.name = name
        self.parameters = parameters
        self._java_types = java_types
        self._implementation = implementation

    def invoke(self, args: Sequence[Any]) -> Any:
        if len(args) != len(self._java_types):
            raise FeelEvalError(
                f"{self.name} takes {len(self._java_types)} argument(s), got {len(args)}"
            )
        converted: list[Any] = []
        for value, java_type in zip(args, self._java_types, strict=True):
            if java_type == _OBJECTS:
                # A Java varargs parameter: a FEEL list spreads, a single value is one item.
                converted.extend(value if isinstance(value, list) else [value])
            else:
                converted.append(_to_java(value, java_type))
        try:
            result = self._implementation(*converted)
        except (ValueError, OverflowError, ZeroDivisionError) as exc:
            raise FeelEvalError(f"{self.name}: {exc}") from None
        return _to_feel(result)

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        unknown = [name for name in args if name not in (self.parameters or ())]
        if unknown:
            raise FeelEvalError(f"no parameter named '{unknown[0]}'")
        return self.invoke([args.get(name) for name in self.parameters or ()])


def java_method(class_name: Any, signature: Any, parameters: tuple[str, ...]) -> JavaMethod:
    """The function for ``class_name``/``signature``; FeelEvalError if not allowlisted."""
    if not isinstance(class_name, str) or not isinstance(signature, str):
        raise FeelEvalError("a java function needs a 'class' and a 'method signature' string")
    match = _SIGNATURE.fullmatch(signature.strip())
    if match is None:
        raise FeelEvalError(f"{signature!r} is not a Java method signature")
    java_types = tuple(t.strip() for t in match["types"].split(",") if t.strip())
    key = (class_name.strip(), f"{match['method']}({','.join(java_types)})")
    implementation = _METHODS.get(key)
    if implementation is None:
        raise FeelEvalError(
            f"the Java method {key[0]}.{key[1]} is not one Stead provides "
            "(only a fixed set of java.lang methods is available)"
        )
    if len(java_types) != len(parameters):
        raise FeelEvalError(
            f"the function has {len(parameters)} parameter(s) but {key[1]} takes {len(java_types)}"
        )
    return JavaMethod(parameters, java_types, implementation, f"{key[0]}.{match['method']}")


def java_method_from_context(body: Any, parameters: tuple[str, ...]) -> JavaMethod:
    """The function an ``external`` definition's context describes (``{java: {...}}``)."""
    if not isinstance(body, dict):
        raise FeelEvalError("an external function definition needs a context")
    java = body.get("java")
    if not isinstance(java, dict):
        raise FeelEvalError("external functions other than 'java' are not supported")
    return java_method(java.get("class"), java.get("method signature"), parameters)
