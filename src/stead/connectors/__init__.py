"""Connectors: service tasks and events that talk to other systems, configured in the model."""

from stead.connectors.api import (
    AwaitingOutcome,
    BusinessError,
    Connector,
    ConnectorCall,
    ConnectorContract,
    ConnectorError,
    InputError,
    PermanentError,
    TransientError,
)

__all__ = [
    "AwaitingOutcome",
    "BusinessError",
    "Connector",
    "ConnectorCall",
    "ConnectorContract",
    "ConnectorError",
    "InputError",
    "PermanentError",
    "TransientError",
]
