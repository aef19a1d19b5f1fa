"""The connector runner ``stead serve`` starts: every registered connector, secrets from the
secret store and the environment."""

from __future__ import annotations

from stead.connectors.registry import ConnectorRegistry
from stead.connectors.runner import ConnectorRunner
from stead.connectors.secrets import SecretResolver
from stead.runtime import Runtime
from stead.secrets import SecretStore

__all__ = ["connector_runner"]


def connector_runner(runtime: Runtime) -> ConnectorRunner:
    """A runner over the default registry (built-ins and entry points; a broken entry point
    is logged and skipped)."""
    secrets = SecretResolver(SecretStore(runtime.database, runtime.tenant))
    return ConnectorRunner(runtime, ConnectorRegistry.default(), secrets)
