"""The webhook table, derived from the deployed definitions: which process and element answers
each ``/hooks/{path}``; and the deploy-time check that keeps it unambiguous."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from stead.connectors.inbound_config import (
    WebhookEndpoint,
    endpoints_of_versions,
    read_endpoints,
)
from stead.model.errors import ModelError, Problem
from stead.model.graph import ProcessDefinition
from stead.store.database import Database
from stead.store.schema import definitions

__all__ = ["AmbiguousPathError", "WebhookTable", "check_deployment", "deployed_endpoints"]

# (connection, definition key) -> the parsed definition; the runtime's DefinitionCache.get.
Loader = Callable[[sa.Connection, int], ProcessDefinition]

# Only sources that mention an inbound property are parsed when the table is built.
_MENTIONS_INBOUND = definitions.c.source.like("%inbound.type%")


class AmbiguousPathError(Exception):
    """Two processes claim one path (deployed before the check existed, or by a race)."""

    def __init__(self, path: str, owners: Iterable[WebhookEndpoint]) -> None:
        names = " and ".join(endpoint.owner for endpoint in owners)
        super().__init__(f"webhook path {path!r} is claimed by {names}")


def deployed_endpoints(conn: sa.Connection, tenant: str, load: Loader) -> list[WebhookEndpoint]:
    """Start events of each process's newest version, and catch events of every version."""
    rows = conn.execute(
        sa.select(
            definitions.c.key,
            definitions.c.process_id,
            definitions.c.version,
            _MENTIONS_INBOUND.label("inbound"),
        ).where(definitions.c.tenant_id == tenant)
    ).all()
    newest: dict[str, int] = {}
    for row in rows:
        newest[row.process_id] = max(newest.get(row.process_id, 0), row.version)
    return list(
        endpoints_of_versions(
            (load(conn, row.key), row.version, row.version == newest[row.process_id])
            for row in rows
            if row.inbound
        )
    )


def _by_path(endpoints: Iterable[WebhookEndpoint]) -> dict[str, dict[str, WebhookEndpoint]]:
    """path -> process id -> the endpoint of that process's newest version claiming it."""
    table: dict[str, dict[str, WebhookEndpoint]] = {}
    for endpoint in endpoints:
        owners = table.setdefault(endpoint.path, {})
        current = owners.get(endpoint.process_id)
        if current is None or endpoint.version > current.version:
            owners[endpoint.process_id] = endpoint
    return table


class WebhookTable:
    """The current webhook table of one database, rebuilt only when definitions were added
    (by this or another Stead process sharing the database)."""

    def __init__(self, database: Database, tenant: str, load: Loader) -> None:
        self._database = database
        self._tenant = tenant
        self._load = load
        self._lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._table: dict[str, dict[str, WebhookEndpoint]] = {}

    def find(self, path: str) -> WebhookEndpoint | None:
        """The endpoint at ``path``; raises AmbiguousPathError when two processes claim it."""
        owners = self._current().get(path, {})
        if len(owners) > 1:
            raise AmbiguousPathError(path, owners.values())
        return next(iter(owners.values()), None)

    def _current(self) -> dict[str, dict[str, WebhookEndpoint]]:
        with self._database.read() as conn:
            signature = tuple(
                conn.execute(
                    sa.select(sa.func.count(), sa.func.max(definitions.c.key)).where(
                        definitions.c.tenant_id == self._tenant
                    )
                ).one()
            )
            with self._lock:
                if signature != self._signature:
                    endpoints = deployed_endpoints(conn, self._tenant, self._load)
                    self._table = _by_path(endpoints)
                    self._signature = signature
                return self._table


def check_deployment(
    conn: sa.Connection,
    tenant: str,
    load: Loader,
    processes: Iterable[tuple[str, ProcessDefinition]],
) -> None:
    """Refuse (ModelError naming the element) webhook settings that cannot work, and a path
    that another process already claims or that two processes of this deployment claim.
    ``processes`` are (resource name, definition) pairs about to be deployed."""
    declared: list[tuple[str, WebhookEndpoint]] = []
    problems: dict[str, list[Problem]] = {}
    for resource_name, process in processes:
        endpoints, found = read_endpoints(process, 0)
        problems.setdefault(resource_name, []).extend(found)
        declared.extend((resource_name, endpoint) for endpoint in endpoints)
    if declared:
        deploying = {endpoint.process_id for _, endpoint in declared}
        # A redeployed process's newest start events are replaced; its catch events stay.
        claimed: dict[str, list[WebhookEndpoint]] = {}
        for endpoint in deployed_endpoints(conn, tenant, load):
            if endpoint.process_id not in deploying or endpoint.kind == "catch":
                claimed.setdefault(endpoint.path, []).append(endpoint)
        for resource_name, endpoint in declared:
            owners = claimed.setdefault(endpoint.path, [])
            others = [o for o in owners if o.process_id != endpoint.process_id]
            if others:
                problems[resource_name].append(
                    Problem(
                        endpoint.element_id,
                        f"webhook path {endpoint.path!r} of process {endpoint.process_id!r} "
                        f"is already used by {others[0].owner}",
                    )
                )
            else:
                owners.append(endpoint)
    for resource_name, found in problems.items():
        if found:
            raise ModelError(found, source=resource_name)
