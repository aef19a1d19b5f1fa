"""Facts about a process graph the engine asks for repeatedly, computed once per definition.

Definitions are immutable, so the answers are cached (a bounded cache keyed by the definition
object itself).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from stead.model.graph import ElementType, ProcessDefinition

__all__ = ["GraphIndex", "index_of"]

_CACHE_SIZE = 256
_cache: OrderedDict[int, tuple[ProcessDefinition, GraphIndex]] = OrderedDict()
_cache_lock = threading.Lock()  # runtimes may run instances on several threads


class GraphIndex:
    """Join gateways and sequence-flow reachability of one definition."""

    __slots__ = ("_reach", "definition", "joins")

    def __init__(self, definition: ProcessDefinition) -> None:
        self.definition = definition
        # Gateways that merge tokens: parallel or inclusive with more than one incoming flow.
        self.joins: dict[str, str] = {
            element.id: element.type.value
            for element in definition.elements.values()
            if element.type in (ElementType.PARALLEL_GATEWAY, ElementType.INCLUSIVE_GATEWAY)
            and len(element.incoming) > 1
        }
        self._reach: dict[tuple[str, str], frozenset[str]] = {}

    def reachable_flows(self, element_id: str, gateway_id: str) -> frozenset[str]:
        """Sequence flows a token at ``element_id`` can still take (through its outgoing flows
        and boundary events) without passing through ``gateway_id``."""
        cache_key = (element_id, gateway_id)
        found = self._reach.get(cache_key)
        if found is not None:
            return found
        elements = self.definition.elements
        flows = self.definition.flows
        seen_flows: set[str] = set()
        seen_elements = {element_id}
        pending = [element_id]
        while pending:
            element = elements[pending.pop()]
            exits = list(element.outgoing)
            for boundary_id in element.boundary_events:
                exits.extend(elements[boundary_id].outgoing)
            for flow_id in exits:
                if flow_id in seen_flows:
                    continue
                seen_flows.add(flow_id)
                target = flows[flow_id].target_id
                if target != gateway_id and target not in seen_elements:
                    seen_elements.add(target)
                    pending.append(target)
        result = frozenset(seen_flows)
        self._reach[cache_key] = result
        return result


def index_of(definition: ProcessDefinition) -> GraphIndex:
    """The (cached) index of ``definition``."""
    entry = _cache.get(id(definition))
    if entry is not None and entry[0] is definition:
        return entry[1]
    index = GraphIndex(definition)
    with _cache_lock:
        _cache[id(definition)] = (definition, index)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index
