"""Secret references in connector inputs: resolving ``{{secrets.NAME}}`` and redacting values.

A connector field may hold ``{{secrets.NAME}}`` (spaces allowed inside the braces) anywhere in
a string. Just before a connector runs, :func:`substitute` replaces every reference with the
secret's value, looked up by a :class:`SecretResolver`: the Stead secret store first (any object
with ``get(name) -> str | None``, injected so this module does no I/O of its own), then the
environment variable ``STEAD_SECRET_<NAME>`` (the name exactly as written). :func:`redact` then
masks those values in everything that leaves the connector: messages, outputs, logs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, quote_plus

from stead.connectors.api import PermanentError

__all__ = [
    "ENVIRONMENT_PREFIX",
    "MASK",
    "InvalidSecretNameError",
    "MissingSecretError",
    "SecretResolver",
    "SecretSource",
    "check_secret_name",
    "is_secret_name",
    "redact",
    "substitute",
]

ENVIRONMENT_PREFIX = "STEAD_SECRET_"
MASK = "***"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Anything between the braces after "secrets." is captured, so a malformed name is reported
# instead of being sent on silently as literal text.
_REFERENCE = re.compile(r"\{\{\s*secrets\.([^{}]*?)\s*\}\}")
# Environment variables that look like secrets but hold Stead's own settings: never handed to
# a connector (STEAD_SECRET_KEY is the key that encrypts the secret store).
_RESERVED_ENVIRONMENT_NAMES = frozenset({"KEY"})

T = TypeVar("T")


class MissingSecretError(PermanentError):
    """A referenced secret is neither in the secret store nor in the environment."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"secret {name!r} is not set: add it to the secret store "
            f"(stead secret set {name}) or set the environment variable "
            f"{ENVIRONMENT_PREFIX}{name}"
        )
        self.name = name


class InvalidSecretNameError(PermanentError):
    """A secret name that is not a letter or underscore followed by letters, digits and
    underscores."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"invalid secret name {name!r}: use a letter or '_' followed by letters, digits and '_'"
        )
        self.name = name


class SecretSource(Protocol):
    """Where stored secrets come from (the secret store of one tenant)."""

    def get(self, name: str) -> str | None:
        """The secret's value, or None when there is no such secret."""
        ...


def is_secret_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def check_secret_name(name: str) -> str:
    """Return ``name`` if it is a valid secret name, else raise InvalidSecretNameError."""
    if not is_secret_name(name):
        raise InvalidSecretNameError(name)
    return name


class SecretResolver:
    """Looks secrets up by name: the store first, then ``STEAD_SECRET_<NAME>``."""

    def __init__(
        self, store: SecretSource | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        self._store = store
        # Read at each lookup (not copied) so a changed environment is seen by a long runner.
        self._environ = environ if environ is not None else os.environ

    def resolve(self, name: str) -> str:
        check_secret_name(name)
        if self._store is not None:
            stored = self._store.get(name)
            if stored is not None:
                return stored
        if name not in _RESERVED_ENVIRONMENT_NAMES:
            # An empty variable is treated as unset: sending an empty credential is never meant.
            value = self._environ.get(ENVIRONMENT_PREFIX + name)
            if value:
                return value
        raise MissingSecretError(name)


def substitute(value: T, resolver: SecretResolver) -> tuple[T, frozenset[str]]:
    """Replace every ``{{secrets.NAME}}`` in every string (keys included) nested in a JSON
    value; return the new value and the secret values used (for :func:`redact`)."""
    resolved: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in resolved:
            resolved[name] = resolver.resolve(name)
        return resolved[name]

    result: T = _map_strings(value, lambda text: _REFERENCE.sub(replace, text))
    return result, frozenset(resolved.values())


def redact(value: T, secrets: Iterable[str]) -> T:
    """Replace each non-empty secret value with ``***`` in plain text or in every string (keys
    included) nested in a JSON value. The URL-encoded and JSON-escaped forms of a value are
    masked too, since error messages often quote URLs and JSON bodies."""
    forms = _masked_forms(secrets)
    if not forms:
        return value
    pattern = re.compile("|".join(re.escape(form) for form in forms))

    result: T = _map_strings(value, lambda text: pattern.sub(MASK, text))
    return result


def _map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` with ``change`` applied to every string in it, mapping keys included."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, Mapping):
        return {_map_strings(k, change): _map_strings(v, change) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_map_strings(child, change) for child in value)
    return value


def _masked_forms(secrets: Iterable[str]) -> list[str]:
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        forms.update((secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]))
    # Longest first, so a secret that contains another is masked whole.
    return sorted(forms, key=lambda form: (-len(form), form))
