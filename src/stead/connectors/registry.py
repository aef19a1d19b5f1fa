"""The connectors a Stead process knows: the built-ins and those installed packages declare in
the entry-point group ``stead.connectors``."""

from __future__ import annotations

import functools
import importlib.metadata
import logging
from collections.abc import Iterable

from stead.connectors.api import Connector, ConnectorContract
from stead.connectors.callbacks import CallbackConnector
from stead.connectors.chat import ChatWebhookConnector
from stead.connectors.email import EmailConnector
from stead.connectors.http import HttpJsonConnector
from stead.connectors.sql import SqlConnector

__all__ = ["BUILT_INS", "ENTRY_POINT_GROUP", "ConnectorRegistry"]

ENTRY_POINT_GROUP = "stead.connectors"

# Every connector Stead ships, in the order the modeler lists their templates.
BUILT_INS: tuple[type[Connector], ...] = (
    HttpJsonConnector,
    CallbackConnector,
    EmailConnector,
    ChatWebhookConnector,
    SqlConnector,
)

_log = logging.getLogger("stead.connectors")


class ConnectorRegistry:
    """Connectors by job type (``id:version``). ``problems`` says which entry points could
    not be loaded and why; a broken one is skipped, never fatal."""

    def __init__(self, connectors: Iterable[Connector] = (), problems: Iterable[str] = ()) -> None:
        self._by_type: dict[str, Connector] = {}
        self.problems: list[str] = list(problems)
        for connector in connectors:
            self.add(connector)

    def add(self, connector: Connector) -> None:
        job_type = connector.contract.job_type
        if job_type in self._by_type:
            raise ValueError(f"connector {job_type} is registered twice")
        self._by_type[job_type] = connector

    @classmethod
    def built_in(cls) -> ConnectorRegistry:
        return cls(connector() for connector in BUILT_INS)

    @staticmethod
    @functools.cache
    def default() -> ConnectorRegistry:
        """The built-ins plus every entry point (loaded once per process; ``reload`` after
        installing a package at run time)."""
        registry = ConnectorRegistry.built_in()
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            problem = _load(registry, entry_point)
            if problem is not None:
                _log.error("%s", problem)
                registry.problems.append(problem)
        return registry

    @staticmethod
    def reload() -> ConnectorRegistry:
        ConnectorRegistry.default.cache_clear()
        return ConnectorRegistry.default()

    def get(self, job_type: str) -> Connector | None:
        return self._by_type.get(job_type)

    def job_types(self) -> tuple[str, ...]:
        return tuple(self._by_type)

    def contracts(self) -> list[ConnectorContract]:
        return [connector.contract for connector in self._by_type.values()]

    def close(self) -> None:
        """Close every connector; one that fails to close is logged, the others still are."""
        for job_type, connector in self._by_type.items():
            try:
                connector.close()
            except Exception:
                _log.exception("closing connector %s failed", job_type)

    def versions(self, connector_id: str) -> tuple[int, ...]:
        """The versions registered for a connector id (empty when the id is unknown)."""
        return tuple(
            sorted(
                c.contract.version for c in self._by_type.values() if c.contract.id == connector_id
            )
        )


def _load(registry: ConnectorRegistry, entry_point: importlib.metadata.EntryPoint) -> str | None:
    """Add the connector an entry point names; return why it could not be, or None."""
    where = f"connector entry point {entry_point.name!r} ({entry_point.value})"
    try:
        loaded = entry_point.load()
    except Exception as error:  # any import-time failure of a third-party package
        return f"{where} cannot be loaded: {type(error).__name__}: {error}"
    if not (isinstance(loaded, type) and issubclass(loaded, Connector)):
        return f"{where} is not a subclass of stead.connectors.api.Connector"
    contract = getattr(loaded, "contract", None)
    if not isinstance(contract, ConnectorContract):
        return f"{where} has no contract (a ConnectorContract class attribute)"
    try:
        registry.add(loaded())
    except Exception as error:
        return f"{where}: {type(error).__name__}: {error}"
    return None
