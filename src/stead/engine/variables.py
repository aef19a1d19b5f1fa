"""Scoped variables: what an element sees, and where a variable it produces lands.

Every element instance may hold local variables. An element sees its own and every enclosing
scope's variables, the innermost winning. A variable an element produces propagates upward:
it is set in the nearest scope that already defines it, otherwise in the root scope. Values are
never changed in place (a dotted assignment copies the contexts along its path), so states can
share values safely.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from stead.engine.state import ElementInstance, InstanceState

__all__ = [
    "Layered",
    "assign_path",
    "lookup",
    "propagate",
    "set_local",
    "split_target",
    "visible_variables",
]

JsonObject = dict[str, Any]
_EMPTY: dict[str, Any] = {}


def visible_variables(state: InstanceState, inst: ElementInstance) -> Mapping[str, Any]:
    """The variables ``inst`` sees. Returns a scope's own dict when only one scope on the chain
    has variables (the common case), so callers must not change the result."""
    instances = state.instances
    chain: list[JsonObject] = []
    node: ElementInstance | None = inst
    while node is not None:
        if node.variables:
            chain.append(node.variables)
        node = instances.get(node.parent_key) if node.parent_key is not None else None
    if not chain:
        return _EMPTY
    if len(chain) == 1:
        return chain[0]
    merged: JsonObject = {}
    for scope_variables in reversed(chain):
        merged.update(scope_variables)
    return merged


def set_local(inst: ElementInstance, name: str, value: Any) -> None:
    if inst.variables is None:
        inst.variables = {name: value}
    else:
        inst.variables[name] = value


def propagate(state: InstanceState, start: ElementInstance, name: str, value: Any) -> None:
    """Set ``name`` in the nearest scope from ``start`` upward that defines it, else the root."""
    instances = state.instances
    node: ElementInstance | None = start
    while node is not None:
        scope_variables = node.variables
        if scope_variables is not None and name in scope_variables:
            scope_variables[name] = value
            return
        node = instances.get(node.parent_key) if node.parent_key is not None else None
    set_local(instances[state.root_key], name, value)


def split_target(target: str) -> tuple[str, tuple[str, ...]]:
    """``"a.b.c"`` -> ``("a", ("b", "c"))``."""
    if "." not in target:
        return target, ()
    head, *rest = (part.strip() for part in target.split("."))
    return head, tuple(rest)


def assign_path(current: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of the context ``current`` with ``value`` at ``path`` (contexts created as
    needed; a non-context on the way is replaced by a new context)."""
    if not path:
        return value
    base: JsonObject = dict(current) if isinstance(current, dict) else {}
    base[path[0]] = assign_path(base.get(path[0]), path[1:], value)
    return base


def lookup(state: InstanceState, start: ElementInstance, name: str) -> Any:
    """The value of ``name`` as ``start`` sees it (None when undefined)."""
    instances = state.instances
    node: ElementInstance | None = start
    while node is not None:
        if node.variables is not None and name in node.variables:
            return node.variables[name]
        node = instances.get(node.parent_key) if node.parent_key is not None else None
    return None


class Layered(Mapping[str, Any]):
    """``front`` over ``back``: an evaluation context with a few extra names, without copying
    the variables underneath."""

    __slots__ = ("back", "front")

    def __init__(self, front: Mapping[str, Any], back: Mapping[str, Any]) -> None:
        self.front = front
        self.back = back

    def __getitem__(self, name: str) -> Any:
        if name in self.front:
            return self.front[name]
        return self.back[name]

    def __contains__(self, name: object) -> bool:
        return name in self.front or name in self.back

    def __iter__(self) -> Iterator[str]:
        yield from self.front
        for name in self.back:
            if name not in self.front:
                yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)
