"""Filters (``list[condition]``, ``list[index]``) and paths (``order.amount``)."""

from __future__ import annotations

import decimal
from typing import Any

from stead.feel import nodes as n
from stead.feel.compiler import Compiler, handles
from stead.feel.scope import MISSING, Evaluator, Scope, from_python
from stead.feel.values import FeelEvalError, type_name

__all__ = ["index_into"]


def index_into(items: list[Any], index: decimal.Decimal) -> Any:
    """The element at a 1-based index (negative counts from the end); null if absent."""
    if index != index.to_integral_value():
        return None
    position = int(index)
    if position > 0 and position <= len(items):
        return items[position - 1]
    if position < 0 and -position <= len(items):
        return items[position]
    return None


def _item_scope(scope: Scope, item: Any) -> Scope:
    # The element is "item"; a context element also shows its entries by name.
    if isinstance(item, dict):
        variables = dict(item)
        variables.setdefault("item", item)
        return Scope(variables, scope, scope.state, raw=True)
    return Scope({"item": item}, scope, scope.state)


def _literal_index(node: n.Node) -> decimal.Decimal | None:
    if isinstance(node, n.Number):
        return node.value
    if isinstance(node, n.Negation) and isinstance(node.operand, n.Number):
        return -node.operand.value
    return None


@handles(n.Filter)
def _filter(compiler: Compiler, node: n.Filter) -> Evaluator:
    target_of = compiler.compile(node.target)
    condition = compiler.compile(node.condition)
    index = _literal_index(node.condition)

    if index is not None:
        literal = index

        def indexed(scope: Scope) -> Any:
            target = target_of(scope)
            if target is None:
                return None
            return index_into(target if isinstance(target, list) else [target], literal)

        return indexed

    def filtered(scope: Scope) -> Any:
        target = target_of(scope)
        if target is None:
            return None
        items = target if isinstance(target, list) else [target]
        kept: list[Any] = []
        state = scope.state
        for position, item in enumerate(items):
            state.spend()
            verdict = condition(_item_scope(scope, item))
            if verdict is True:
                kept.append(item)
            elif position == 0 and isinstance(verdict, decimal.Decimal):
                # A number selects by position; it was computed with the first element in
                # scope, which only matters for conditions that mention "item".
                return index_into(items, verdict)
        return kept

    return filtered


@handles(n.Path)
def _path(compiler: Compiler, node: n.Path) -> Evaluator:
    target_of = compiler.compile(node.target)
    name = node.name
    where = compiler.where(node)

    def select(scope: Scope, value: Any) -> Any:
        if isinstance(value, dict):
            found = value.get(name, MISSING)
            if found is MISSING:
                scope.state.warn(where, f"no entry '{name}' in the context")
                return None
            return from_python(found)
        if value is None:
            scope.state.warn(where, f"no '{name}' in null")
            return None
        try:
            from stead.feel.properties import get_property
        except ImportError:
            scope.state.warn(where, f"a {type_name(value)} has no property '{name}'")
            return None
        try:
            return get_property(value, name)
        except FeelEvalError as error:
            scope.state.warn(where, str(error) or f"{type_name(value)} has no property '{name}'")
            return None

    def path(scope: Scope) -> Any:
        value = target_of(scope)
        if isinstance(value, list):
            # A path on a list applies to every element.
            return [select(scope, item) for item in value]
        return select(scope, value)

    return path
