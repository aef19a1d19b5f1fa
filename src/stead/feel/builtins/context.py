"""Context functions: get value, get entries, context, context put, context merge."""

from __future__ import annotations

from typing import Any

from stead.feel.builtins.registry import builtin, require_context, require_list, require_string
from stead.feel.values import FeelEvalError, type_name

__all__: list[str] = []


def _key_path(function: str, keys: Any) -> list[str]:
    """A single key, or a non-empty list of keys naming a path into nested contexts."""
    if isinstance(keys, str):
        return [keys]
    if isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys):
        return keys
    raise FeelEvalError(f"{function}: the key must be a string or a non-empty list of strings")


@builtin("get value", "m", "key")
def get_value(m: Any, key: Any) -> Any:
    value: Any = require_context("get value", "m", m)
    for part in _key_path("get value", key):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


@builtin("get entries", "m")
def get_entries(m: Any) -> list[dict[str, Any]]:
    context = require_context("get entries", "m", m)
    return [{"key": key, "value": value} for key, value in context.items()]


@builtin("context", "entries")
def context(entries: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for entry in require_list("context", "entries", entries):
        if not isinstance(entry, dict) or "key" not in entry or "value" not in entry:
            raise FeelEvalError(
                f"context: each entry must be a context with 'key' and 'value', "
                f"not {type_name(entry)}"
            )
        key = entry["key"]
        if not isinstance(key, str):
            raise FeelEvalError(f"context: an entry key must be a string, not {type_name(key)}")
        if key in result:
            raise FeelEvalError(f"context: the key {key!r} appears twice")
        result[key] = entry["value"]
    return result


def _put(target: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    """A copy of ``target`` with ``value`` at ``path``; the original is left untouched."""
    copy = dict(target)
    head, rest = path[0], path[1:]
    if not rest:
        copy[head] = value
        return copy
    inner = copy.get(head)
    if inner is None and head not in copy:
        inner = {}
    if not isinstance(inner, dict):
        raise FeelEvalError(
            f"context put: the entry {head!r} is a {type_name(inner)}, not a context"
        )
    copy[head] = _put(inner, rest, value)
    return copy


# Registered first, so a positional call takes either a key or a list of keys; a named
# call says which it passes ("key" or "keys").
@builtin("context put", "context", "keys", "value")
def context_put_path(target: Any, keys: Any, value: Any) -> dict[str, Any]:
    context_value = require_context("context put", "context", target)
    return _put(context_value, _key_path("context put", keys), value)


@builtin("context put", "context", "key", "value")
def context_put(target: Any, key: Any, value: Any) -> dict[str, Any]:
    context_value = require_context("context put", "context", target)
    return _put(context_value, [require_string("context put", "key", key)], value)


@builtin("context merge", "contexts")
def context_merge(contexts: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in require_list("context merge", "contexts", contexts):
        result.update(require_context("context merge", "contexts", item))
    return result
