"""Parsed process definitions by definition key, parsed once per version and kept."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from stead.model import parse_bpmn
from stead.model.graph import ProcessDefinition
from stead.runtime.errors import NotFoundError
from stead.store import definitions as definition_rows

__all__ = ["DefinitionCache"]


class DefinitionCache:
    """Definition key -> parsed :class:`ProcessDefinition` (definitions never change)."""

    def __init__(self) -> None:
        self._parsed: dict[int, ProcessDefinition] = {}
        self._lock = threading.Lock()

    def put(self, key: int, definition: ProcessDefinition) -> None:
        with self._lock:
            self._parsed[key] = definition

    def get(self, conn: sa.Connection, key: int) -> ProcessDefinition:
        found = self._parsed.get(key)
        if found is not None:
            return found
        row = definition_rows.by_key(conn, key)
        if row is None:
            raise NotFoundError(f"no process definition with key {key}")
        for definition in parse_bpmn(row.source.encode(), source=row.resource_name):
            if definition.process_id == row.process_id:
                self.put(key, definition)
                return definition
        raise NotFoundError(f"definition {key} no longer contains process {row.process_id!r}")
