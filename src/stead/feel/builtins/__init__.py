"""The built-in functions of FEEL (DMN 1.5, chapter 10.3.4), by name."""

from __future__ import annotations

from stead.feel.values import FeelFunction

__all__ = ["BUILTINS"]

# Filled in by the function-family modules of this package.
BUILTINS: dict[str, FeelFunction] = {}
