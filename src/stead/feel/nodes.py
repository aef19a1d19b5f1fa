"""The syntax tree of FEEL expressions, unary tests and type expressions."""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "Arithmetic",
    "Between",
    "Boolean",
    "Comparison",
    "Conjunction",
    "ContextLiteral",
    "ContextType",
    "Disjunction",
    "Filter",
    "For",
    "FunctionDefinition",
    "FunctionType",
    "If",
    "In",
    "InstanceOf",
    "Invocation",
    "Iteration",
    "ListLiteral",
    "ListType",
    "Name",
    "NamedInvocation",
    "NamedType",
    "Negation",
    "Node",
    "Null",
    "Number",
    "Path",
    "Quantified",
    "RangeLiteral",
    "RangeType",
    "String",
    "Temporal",
    "TypeNode",
    "UnaryAny",
    "UnaryComparison",
    "UnaryNot",
    "UnaryTests",
    "children",
]


@dataclass(frozen=True, slots=True)
class Node:
    """A syntax node; ``at`` is its source offset, ignored when comparing trees."""

    at: int = field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Null(Node):
    """The literal ``null``."""


@dataclass(frozen=True, slots=True)
class Boolean(Node):
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True, slots=True)
class Number(Node):
    """A non-negative numeric literal (a leading minus is a :class:`Negation`)."""

    value: decimal.Decimal


@dataclass(frozen=True, slots=True)
class String(Node):
    """A string literal, already unescaped."""

    value: str


@dataclass(frozen=True, slots=True)
class Temporal(Node):
    """An ``@"..."`` literal: a date, time, date and time or duration."""

    text: str


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A reference to a variable, context entry or function; ``?`` is the tested value."""

    name: str


@dataclass(frozen=True, slots=True)
class Negation(Node):
    """Arithmetic negation ``-x``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Arithmetic(Node):
    """``+ - * / **``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Comparison(Node):
    """``= != < <= > >=``."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Conjunction(Node):
    """Three-valued ``and``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Disjunction(Node):
    """Three-valued ``or``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Between(Node):
    """``value between low and high`` (both ends included)."""

    value: Node
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    """``value in test`` or ``value in (test, test, ...)``."""

    value: Node
    tests: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class InstanceOf(Node):
    """``value instance of type``."""

    value: Node
    type: TypeNode


@dataclass(frozen=True, slots=True)
class If(Node):
    """``if condition then a else b``."""

    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True, slots=True)
class Iteration(Node):
    """One ``name in domain`` of a loop; ``end`` is set for ``name in start..end``."""

    name: str
    domain: Node
    end: Node | None = None


@dataclass(frozen=True, slots=True)
class For(Node):
    """``for a in x, b in y return body``; ``partial`` holds the results so far."""

    iterations: tuple[Iteration, ...]
    body: Node


@dataclass(frozen=True, slots=True)
class Quantified(Node):
    """``some``/``every`` ``a in x satisfies condition``."""

    every: bool
    iterations: tuple[Iteration, ...]
    condition: Node


@dataclass(frozen=True, slots=True)
class Filter(Node):
    """``target[condition]``: a boolean filter or a 1-based index."""

    target: Node
    condition: Node


@dataclass(frozen=True, slots=True)
class Path(Node):
    """``target.name``."""

    target: Node
    name: str


@dataclass(frozen=True, slots=True)
class Invocation(Node):
    """``function(a, b)`` with positional arguments."""

    function: Node
    arguments: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class NamedInvocation(Node):
    """``function(x: a, y: b)`` with named arguments."""

    function: Node
    arguments: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class ContextLiteral(Node):
    """``{key: value, ...}``; each value sees the entries before it."""

    entries: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    """``[a, b, c]``."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class RangeLiteral(Node):
    """``[a..b]``, ``(a..b)``, ``]a..b[`` or an open-ended ``< b`` (a missing end is None)."""

    start: Node | None
    end: Node | None
    start_included: bool
    end_included: bool


@dataclass(frozen=True, slots=True)
class FunctionDefinition(Node):
    """``function(a, b: number) body``; ``external`` definitions are never executed."""

    parameters: tuple[tuple[str, TypeNode | None], ...]
    body: Node
    external: bool = False


@dataclass(frozen=True, slots=True)
class UnaryComparison(Node):
    """A unary test ``= x`` or ``!= x`` (``< x`` and friends are open ranges)."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class UnaryAny(Node):
    """The unary test ``-``: matches anything."""


@dataclass(frozen=True, slots=True)
class UnaryNot(Node):
    """``not(test, ...)``: matches when none of the tests matches."""

    tests: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class UnaryTests(Node):
    """A comma-separated list of unary tests: matches when any test matches."""

    tests: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class TypeNode(Node):
    """A type expression (after ``instance of`` or in a parameter)."""


@dataclass(frozen=True, slots=True)
class NamedType(TypeNode):
    """``number``, ``date and time``, ``Any``, ``Null``, ..."""

    name: str


@dataclass(frozen=True, slots=True)
class ListType(TypeNode):
    """``list<T>``."""

    element: TypeNode


@dataclass(frozen=True, slots=True)
class RangeType(TypeNode):
    """``range<T>``."""

    element: TypeNode


@dataclass(frozen=True, slots=True)
class ContextType(TypeNode):
    """``context<a: T, b: U>``."""

    entries: tuple[tuple[str, TypeNode], ...]


@dataclass(frozen=True, slots=True)
class FunctionType(TypeNode):
    """``function<T, U> -> R``."""

    parameters: tuple[TypeNode, ...]
    result: TypeNode


def children(node: Node) -> list[Node]:
    """The direct sub-nodes of ``node`` (for walking a tree without recursion)."""
    found: list[Node] = []
    for f in fields(node):
        _collect(getattr(node, f.name), found)
    return found


def _collect(value: Any, found: list[Node]) -> None:
    if isinstance(value, Node):
        found.append(value)
    elif isinstance(value, tuple):
        for item in value:
            _collect(item, found)
