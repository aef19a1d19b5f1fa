"""Errors the store raises."""

from __future__ import annotations

__all__ = ["ConcurrencyConflictError"]


class ConcurrencyConflictError(Exception):
    """Another transaction changed an instance after it was loaded (optimistic lock lost);
    the whole command is retried from a fresh load."""
