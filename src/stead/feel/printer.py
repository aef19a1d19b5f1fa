"""Prints a FEEL syntax tree back to text that parses to the same tree."""

from __future__ import annotations

import decimal

from stead.feel import nodes as n
from stead.feel.lexer import KEYWORDS
from stead.feel.names import name_tokens

__all__ = ["to_source"]

# Precedence levels: an operand printed where a higher level is needed gets parentheses.
_TEXTUAL, _OR, _AND, _COMPARE, _ADD, _MULTIPLY, _POWER, _NEGATE, _POSTFIX = range(9)
_ARITHMETIC_LEVEL = {"+": _ADD, "-": _ADD, "*": _MULTIPLY, "/": _MULTIPLY, "**": _POWER}
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def to_source(node: n.Node) -> str:
    """FEEL text for a syntax tree (expression or unary tests)."""
    if isinstance(node, n.UnaryTests):
        return ", ".join(_test(test, in_list=True) for test in node.tests)
    if isinstance(node, n.UnaryNot):
        return "not(" + ", ".join(_test(test, in_list=True) for test in node.tests) + ")"
    if isinstance(node, n.UnaryAny):
        return "-"
    return _print(node, _TEXTUAL)


def string_literal(value: str) -> str:
    """A FEEL string literal for ``value``."""
    out = []
    for char in value:
        if char in _STRING_ESCAPES:
            out.append(_STRING_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):06x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


def name_source(name: str) -> str:
    """A name as written in FEEL: bare when it reads back as itself, else `back-quoted`."""
    if name == "?":
        return name
    if all(_plain_word(word) for word in name.split(" ")):
        return name
    if "`" in name or not name:
        raise ValueError(f"the name {name!r} cannot be written in FEEL")
    return f"`{name}`"


def _plain_word(word: str) -> bool:
    return (
        (word[:1].isalpha() or word[:1] == "_")
        and word not in KEYWORDS
        and name_tokens(word) == (word,)
    )


def _number(value: decimal.Decimal) -> str:
    return format(value, "f")


def _wrap(text: str, level: int, needed: int) -> str:
    return f"({text})" if level < needed else text


def _test(node: n.Node, *, in_list: bool) -> str:
    if isinstance(node, n.UnaryComparison):
        return f"{node.op} {_print(node.operand, _ADD)}"
    return _print(node, _TEXTUAL if in_list else _ADD)


def _print(node: n.Node, needed: int) -> str:
    text, level = _render(node)
    return _wrap(text, level, needed)


def _render(node: n.Node) -> tuple[str, int]:
    """The text of ``node`` and the precedence level of its outermost construct."""
    if isinstance(node, n.Null):
        return "null", _POSTFIX
    if isinstance(node, n.Boolean):
        return ("true" if node.value else "false"), _POSTFIX
    if isinstance(node, n.Number):
        return _number(node.value), _POSTFIX
    if isinstance(node, n.String):
        return string_literal(node.value), _POSTFIX
    if isinstance(node, n.Temporal):
        return "@" + string_literal(node.text), _POSTFIX
    if isinstance(node, n.Name):
        return name_source(node.name), _POSTFIX
    if isinstance(node, n.Negation):
        return "-" + _print(node.operand, _NEGATE), _NEGATE
    if isinstance(node, n.Arithmetic):
        level = _ARITHMETIC_LEVEL[node.op]
        left, right = _print(node.left, level), _print(node.right, level + 1)
        return f"{left} {node.op} {right}", level
    if isinstance(node, n.Comparison):
        left, right = _print(node.left, _COMPARE), _print(node.right, _ADD)
        return f"{left} {node.op} {right}", _COMPARE
    if isinstance(node, n.Conjunction):
        return f"{_print(node.left, _AND)} and {_print(node.right, _COMPARE)}", _AND
    if isinstance(node, n.Disjunction):
        return f"{_print(node.left, _OR)} or {_print(node.right, _AND)}", _OR
    if isinstance(node, n.Between):
        low, high = _print(node.low, _ADD), _print(node.high, _ADD)
        return f"{_print(node.value, _COMPARE)} between {low} and {high}", _COMPARE
    if isinstance(node, n.In):
        tests = ", ".join(_test(test, in_list=True) for test in node.tests)
        return f"{_print(node.value, _COMPARE)} in ({tests})", _COMPARE
    if isinstance(node, n.InstanceOf):
        return f"{_print(node.value, _COMPARE)} instance of {_type(node.type)}", _COMPARE
    if isinstance(node, n.If):
        parts = (_print(x, _TEXTUAL) for x in (node.condition, node.then, node.otherwise))
        return "if {} then {} else {}".format(*parts), _TEXTUAL
    if isinstance(node, n.For):
        return f"for {_iterations(node.iterations)} return {_print(node.body, _TEXTUAL)}", _TEXTUAL
    if isinstance(node, n.Quantified):
        word = "every" if node.every else "some"
        condition = _print(node.condition, _TEXTUAL)
        return f"{word} {_iterations(node.iterations)} satisfies {condition}", _TEXTUAL
    if isinstance(node, n.Filter):
        return f"{_print(node.target, _POSTFIX)}[{_print(node.condition, _TEXTUAL)}]", _POSTFIX
    if isinstance(node, n.Path):
        return f"{_print(node.target, _POSTFIX)}.{name_source(node.name)}", _POSTFIX
    if isinstance(node, n.Invocation):
        args = ", ".join(_print(arg, _TEXTUAL) for arg in node.arguments)
        return f"{_print(node.function, _POSTFIX)}({args})", _POSTFIX
    if isinstance(node, n.NamedInvocation):
        args = ", ".join(f"{name_source(k)}: {_print(v, _TEXTUAL)}" for k, v in node.arguments)
        return f"{_print(node.function, _POSTFIX)}({args})", _POSTFIX
    if isinstance(node, n.ContextLiteral):
        entries = ", ".join(f"{string_literal(k)}: {_print(v, _TEXTUAL)}" for k, v in node.entries)
        return "{" + entries + "}", _POSTFIX
    if isinstance(node, n.ListLiteral):
        return "[" + ", ".join(_print(item, _TEXTUAL) for item in node.items) + "]", _POSTFIX
    if isinstance(node, n.RangeLiteral):
        return _range(node)
    if isinstance(node, n.FunctionDefinition):
        params = ", ".join(
            name_source(name) + (f": {_type(t)}" if t is not None else "")
            for name, t in node.parameters
        )
        external = "external " if node.external else ""
        return f"function({params}) {external}{_print(node.body, _TEXTUAL)}", _TEXTUAL
    if isinstance(node, n.UnaryComparison):
        return _test(node, in_list=True), _TEXTUAL
    raise TypeError(f"cannot print {type(node).__name__}")


def _range(node: n.RangeLiteral) -> tuple[str, int]:
    if node.start is None and node.end is not None:
        op = "<=" if node.end_included else "<"
        return f"{op} {_print(node.end, _ADD)}", _TEXTUAL
    if node.end is None and node.start is not None:
        op = ">=" if node.start_included else ">"
        return f"{op} {_print(node.start, _ADD)}", _TEXTUAL
    if node.start is None or node.end is None:
        raise ValueError("a range needs at least one end")
    opening = "[" if node.start_included else "("
    closing = "]" if node.end_included else ")"
    start, end = _print(node.start, _OR), _print(node.end, _OR)
    return f"{opening}{start}..{end}{closing}", _POSTFIX


def _iterations(iterations: tuple[n.Iteration, ...]) -> str:
    parts = []
    for it in iterations:
        text = f"{name_source(it.name)} in {_print(it.domain, _OR)}"
        if it.end is not None:
            text += f"..{_print(it.end, _OR)}"
        parts.append(text)
    return ", ".join(parts)


def _type(node: n.TypeNode) -> str:
    if isinstance(node, n.NamedType):
        return node.name
    if isinstance(node, n.ListType):
        return f"list<{_type(node.element)}>"
    if isinstance(node, n.RangeType):
        return f"range<{_type(node.element)}>"
    if isinstance(node, n.ContextType):
        entries = ", ".join(f"{name_source(k)}: {_type(v)}" for k, v in node.entries)
        return f"context<{entries}>"
    if isinstance(node, n.FunctionType):
        params = ", ".join(_type(p) for p in node.parameters)
        return f"function<{params}> -> {_type(node.result)}"
    raise TypeError(f"not a type expression: {type(node).__name__}")
