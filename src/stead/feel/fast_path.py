"""A fast evaluator for common simple expressions, generated as Python code from the tree."""

# Conditions such as ``amount > 100 and status = "open"`` are evaluated millions of times, and
# the general evaluator spends most of its time on what the usual case never needs: scopes,
# warnings, and type dispatch. For a tree made only of names, literals, comparisons, ``and``,
# ``or``, number arithmetic, filters and a few built-ins, this module writes one Python function
# that reads the variables straight from the caller's mapping and checks each value's type.
#
# The generated function only handles the case where every value has the type it expects: any
# other value (null, a missing variable, a string where a number was expected, a non-finite
# result) raises :class:`Fallback`, and the caller evaluates the expression again with the
# general evaluator, which gives the exact FEEL result and its warnings. These expressions have
# no side effects, so evaluating them twice is invisible. So the generated code may be
# optimistic, but whatever it returns must be exactly what the general evaluator returns, with no
# warning.
#
# Nothing from the expression text reaches the generated code except variable names and string
# literals, and those only as ``repr`` string literals; the code runs without Python's builtins.

from __future__ import annotations

import decimal
import functools
import math
import types
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from stead.feel import limits
from stead.feel import nodes as n
from stead.feel.values import DECIMAL_CONTEXT

__all__ = ["Fallback", "FastEvaluator", "fast_evaluator"]

FastEvaluator = Callable[[Mapping[str, Any]], Any]

Decimal = decimal.Decimal

# What each value in generated code is known to be once its checks have passed:
# "num" is an int or a Decimal (both exact FEEL numbers), "bool" is True or False, "list" is a
# list of caller values, "nums" a list of numbers.
_NUM, _STR, _BOOL, _LIST, _NUMS = "num", "str", "bool", "list", "nums"
_DICT = "dict"  # a context given by the caller, read by ``order.amount``

_ORDERING = {"<", "<=", ">", ">="}
_PYTHON_ARITHMETIC = {"+": "_add", "-": "_subtract", "*": "_multiply"}

# Built-ins with a direct Python equivalent: parameter kinds, result kind, code template.
_BUILTINS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "contains": ((_STR, _STR), _BOOL, "({1} in {0})"),
    "starts with": ((_STR, _STR), _BOOL, "{0}.startswith({1})"),
    "ends with": ((_STR, _STR), _BOOL, "{0}.endswith({1})"),
    "string length": ((_STR,), _NUM, "_len({0})"),
    "count": ((_LIST,), _NUM, "_len({0})"),
    "sum": ((_NUMS,), _NUM, "_sum({0})"),
}


class Fallback(Exception):
    """Raised by generated code when the general evaluator must decide."""


class _Unsupported(Exception):
    """The tree has a part this module does not generate code for."""


def _fall_back() -> NoReturn:
    raise Fallback


# Converting a float through its shortest repr is the slow part of reading JSON numbers, and
# the same few values recur; Decimals are immutable, so converted ones are kept. Zero is left
# out because 0.0 and -0.0 are equal as keys yet convert differently.
_FLOATS: dict[float, Decimal] = {}
_FLOATS_KEPT = 4096


def _number(value: Any) -> Any:
    """A caller's value as an exact FEEL number (as the general evaluator converts it)."""
    kind = type(value)
    if kind is int or (kind is Decimal and not value.is_nan()):
        return value  # a NaN is left out: ordering it depends on the decimal context's traps
    if kind is not float:
        raise Fallback
    number = _FLOATS.get(value)
    if number is None:
        if not math.isfinite(value):
            raise Fallback
        number = Decimal(repr(value))
        if value:
            if len(_FLOATS) >= _FLOATS_KEPT:
                _FLOATS.clear()
            _FLOATS[value] = number
    return number


def _divide(left: Any, right: Any) -> Decimal:
    result = DECIMAL_CONTEXT.divide(left, right)
    if not result.is_finite():
        raise Fallback
    return result


def _sum(numbers: list[Any]) -> Decimal:
    if not numbers:
        raise Fallback  # the sum of nothing is null
    total = Decimal(0)
    for number in numbers:
        total = DECIMAL_CONTEXT.add(total, number)
    return total


_NAMESPACE: dict[str, Any] = {
    "__builtins__": {},
    "type": type,
    "_D": Decimal,
    "_add": DECIMAL_CONTEXT.add,
    "_subtract": DECIMAL_CONTEXT.subtract,
    "_multiply": DECIMAL_CONTEXT.multiply,
    "_int": int,
    "_str": str,
    "_list": list,
    "_dict": dict,
    "_len": len,
    "_number": _number,
    "_divide": _divide,
    "_sum": _sum,
    "_fall_back": _fall_back,
    "_limits": limits,
}


def fast_evaluator(tree: n.Node) -> FastEvaluator | None:
    """Generated code for ``tree``, or None when the tree has parts it cannot handle."""
    generator = _Generator()
    try:
        code, kind = generator.value(tree, None)
    except _Unsupported:
        return None
    if kind == _NUM:
        result = f"{code} if type({code}) is _D else _D({code})"  # an int becomes a Decimal
    elif kind in (_BOOL, _STR):
        result = code
    else:
        return None  # lists of caller values would need converting
    body = "\n".join(["def fast(v):", *generator.lines, f"    return {result}"])
    namespace = dict(_NAMESPACE, **generator.constants)
    exec(_code(body), namespace)
    evaluator: FastEvaluator = namespace["fast"]
    return evaluator


@functools.lru_cache(maxsize=512)
def _code(body: str) -> types.CodeType:
    """Python's compilation of generated text, the slow part of generating (often repeated)."""
    # The text is built by _Generator; the expression contributes only repr literals to it.
    return compile(body, "<feel>", "exec")


class _Generator:
    """Writes the statements of the generated function, one temporary per value."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {}
        self.indent = "    "
        self.count = 0
        self.source = "v"  # the mapping names are read from: the context, or a list item
        self.filters = 0

    def emit(self, line: str) -> None:
        self.lines.append(self.indent + line)

    def temporary(self) -> str:
        self.count += 1
        return f"_t{self.count}"

    def constant(self, value: Any) -> str:
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def value(self, node: n.Node, wanted: str | None) -> tuple[str, str]:
        """Code for the value of ``node`` and its kind; ``wanted`` is what the user needs."""
        code, kind = self._value(node, wanted)
        if wanted is not None and kind != wanted:
            raise _Unsupported
        return code, kind

    def _value(self, node: n.Node, wanted: str | None) -> tuple[str, str]:
        if isinstance(node, n.Name):
            return self.name(node.name, wanted), wanted or ""
        if isinstance(node, n.Path) and wanted is None:
            raise _Unsupported
        if isinstance(node, n.Number):
            return self.constant(DECIMAL_CONTEXT.plus(node.value)), _NUM
        if isinstance(node, n.Negation) and isinstance(node.operand, n.Number):
            negated = DECIMAL_CONTEXT.plus(node.operand.value).copy_negate()
            return self.constant(negated), _NUM
        if isinstance(node, n.String):
            return repr(node.value), _STR
        if isinstance(node, n.Boolean):
            return repr(node.value), _BOOL
        if isinstance(node, n.Comparison):
            return self.comparison(node), _BOOL
        if isinstance(node, n.Conjunction | n.Disjunction):
            return self.logic(node), _BOOL
        if isinstance(node, n.Arithmetic):
            return self.arithmetic(node), _NUM
        if isinstance(node, n.Invocation):
            return self.invocation(node)
        if isinstance(node, n.Filter):
            return self.filter(node), _LIST
        if isinstance(node, n.Path) and wanted == _NUMS:
            return self.path_numbers(node), _NUMS
        if isinstance(node, n.Path) and wanted in (_NUM, _STR, _BOOL, _DICT):
            return self.entry(node, wanted), wanted
        if isinstance(node, n.Negation):
            operand, _ = self.value(node.operand, _NUM)
            result = self.temporary()
            self.emit(f"{result} = _D({operand}).copy_negate()")
            return result, _NUM
        if isinstance(node, n.Between):
            return self.between(node), _BOOL
        raise _Unsupported

    def name(self, name: str, wanted: str | None) -> str:
        if name in ("?", "item") or wanted is None or wanted == _NUMS:
            raise _Unsupported  # "item" in a filter is the element itself
        result = self.temporary()
        # The caller's mapping is read with get(), as the general evaluator does (a missing
        # name gives None, which no check below lets through); list elements are plain dicts.
        if self.source == "v":
            self.emit(f"{result} = v.get({name!r})")
        else:
            self.emit(f"{result} = {self.source}[{name!r}]")  # a KeyError falls back
        self.check(result, wanted)
        return result

    def check(self, result: str, wanted: str) -> None:
        """Code that lets only a value of the wanted kind through (a number made exact)."""
        if wanted == _NUM:
            kind = f"type({result})"
            self.emit(f"if {kind} is not _int and ({kind} is not _D or {result}.is_nan()):")
            self.emit(f"    {result} = _number({result})")
        elif wanted == _STR:
            self.emit(f"if type({result}) is not _str: _fall_back()")
        elif wanted == _BOOL:
            self.emit(f"if {result} is not True and {result} is not False: _fall_back()")
        elif wanted == _LIST:
            self.emit(f"if type({result}) is not _list: _fall_back()")
        elif wanted == _DICT:
            self.emit(f"if type({result}) is not _dict: _fall_back()")
        else:
            raise _Unsupported

    def comparison(self, node: n.Comparison) -> str:
        kind = _kind_of(node.left) or _kind_of(node.right)
        if kind is None and node.op in _ORDERING:
            kind = _NUM
        if kind not in (_NUM, _STR, _BOOL) or (node.op in _ORDERING and kind != _NUM):
            raise _Unsupported
        left, _ = self.value(node.left, kind)
        right, _ = self.value(node.right, kind)
        operator = {"=": "==", "!=": "!="}.get(node.op, node.op)
        result = self.temporary()
        self.emit(f"{result} = {left} {operator} {right}")
        return result

    def logic(self, node: n.Conjunction | n.Disjunction) -> str:
        # Both sides are True or False here, so FEEL's three-valued logic is Python's.
        left, _ = self.value(node.left, _BOOL)
        result = self.temporary()
        self.emit(f"{result} = {left}")
        self.emit(f"if {'' if isinstance(node, n.Conjunction) else 'not '}{result}:")
        outer = self.indent
        self.indent += "    "
        right, _ = self.value(node.right, _BOOL)
        self.emit(f"{result} = {right}")
        self.indent = outer
        return result

    def arithmetic(self, node: n.Arithmetic) -> str:
        if node.op not in _PYTHON_ARITHMETIC and node.op != "/":
            raise _Unsupported
        left, _ = self.value(node.left, _NUM)
        right, _ = self.value(node.right, _NUM)
        function = _PYTHON_ARITHMETIC.get(node.op, "_divide")
        result = self.temporary()
        self.emit(f"{result} = {function}({left}, {right})")
        return result

    def invocation(self, node: n.Invocation) -> tuple[str, str]:
        function = node.function
        if not isinstance(function, n.Name) or function.name not in _BUILTINS:
            raise _Unsupported
        if self.source != "v":
            raise _Unsupported  # an element's entries could hide the built-in
        parameters, kind, template = _BUILTINS[function.name]
        if len(node.arguments) != len(parameters):
            raise _Unsupported
        # A variable of the same name would be called instead of the built-in.
        self.emit(f"if {function.name!r} in v: _fall_back()")
        arguments = [
            self.value(argument, parameter)[0]
            for argument, parameter in zip(node.arguments, parameters, strict=True)
        ]
        result = self.temporary()
        self.emit(f"{result} = {template.format(*arguments)}")
        return result, kind

    def filter(self, node: n.Filter) -> str:
        self.filters += 1
        if self.filters > 1 or self.source != "v":
            raise _Unsupported  # one filter keeps the step count simple
        items, _ = self.value(node.target, _LIST)
        self.emit(f"if _len({items}) > _limits.MAX_STEPS: _fall_back()")
        kept = self.temporary()
        self.emit(f"{kept} = []")
        self.emit(f"for _item in {items}:")
        outer = self.indent
        self.indent += "    "
        self.emit("if type(_item) is not _dict: _fall_back()")
        self.source = "_item"
        verdict, _ = self.value(node.condition, _BOOL)
        self.source = "v"
        self.emit(f"if {verdict}: {kept}.append(_item)")
        self.indent = outer
        return kept

    def entry(self, node: n.Path, wanted: str) -> str:
        context, _ = self.value(node.target, _DICT)
        result = self.temporary()
        self.emit(f"{result} = {context}.get({node.name!r})")  # absent: None, which falls back
        self.check(result, wanted)
        return result

    def between(self, node: n.Between) -> str:
        value, _ = self.value(node.value, _NUM)
        low, _ = self.value(node.low, _NUM)
        high, _ = self.value(node.high, _NUM)
        result = self.temporary()
        self.emit(f"{result} = {low} <= {value} <= {high}")
        return result

    def path_numbers(self, node: n.Path) -> str:
        items, _ = self.value(node.target, _LIST)
        numbers = self.temporary()
        self.emit(f"{numbers} = []")
        self.emit(f"for _element in {items}:")
        self.emit("    if type(_element) is not _dict: _fall_back()")
        self.emit(f"    {numbers}.append(_number(_element[{node.name!r}]))")
        return numbers


def _kind_of(node: n.Node) -> str | None:
    """The kind of a node's value when the node itself fixes it (not for names)."""
    if isinstance(node, n.Number | n.Arithmetic | n.Negation):
        return _NUM
    if isinstance(node, n.String):
        return _STR
    if isinstance(node, n.Boolean | n.Comparison | n.Conjunction | n.Disjunction | n.Between):
        return _BOOL
    if isinstance(node, n.Invocation) and isinstance(node.function, n.Name):
        known = _BUILTINS.get(node.function.name)
        return known[1] if known else None
    return None
