"""The secret store: values for ``{{secrets.NAME}}`` references, encrypted at rest."""

from stead.secrets.keys import KEY_ENVIRONMENT, SecretKeyError
from stead.secrets.store import SecretInfo, SecretStore

__all__ = ["KEY_ENVIRONMENT", "SecretInfo", "SecretKeyError", "SecretStore"]
