"""Bounds that keep any FEEL evaluation finite; change them here to tune the engine."""

from __future__ import annotations

__all__ = [
    "MAX_CALL_DEPTH",
    "MAX_COLLECTION_SIZE",
    "MAX_NESTING",
    "MAX_SOURCE_LENGTH",
    "MAX_STEPS",
    "MAX_STRING_LENGTH",
    "MAX_TREE_DEPTH",
    "MAX_WARNINGS",
]

# How deeply brackets, lists, contexts and other sub-expressions may nest.
MAX_NESTING = 100

# How deep the syntax tree may grow, counting chains such as ``a + b + c + ...``.
MAX_TREE_DEPTH = 250

# The longest FEEL text accepted by the parser, in characters.
MAX_SOURCE_LENGTH = 100_000

# How deeply user-defined functions may call each other during one evaluation.
MAX_CALL_DEPTH = 64

# Loop iterations, filter tests and function calls allowed in one evaluation (a few seconds
# of work at most).
MAX_STEPS = 250_000

# Warnings kept per evaluation; later ones are dropped.
MAX_WARNINGS = 100

# The largest list (elements) or context (entries) an evaluation may build.
MAX_COLLECTION_SIZE = 1_000_000

# The longest string an evaluation may build, in characters.
MAX_STRING_LENGTH = 10_000_000
