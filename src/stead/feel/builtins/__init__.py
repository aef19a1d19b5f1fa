"""The built-in functions of FEEL (DMN 1.5, chapter 10.3.4), by name."""

from __future__ import annotations

# Importing each family module registers its functions in BUILTINS.
from stead.feel.builtins import (  # noqa: F401
    boolean,
    context,
    conversion,
    date_time,
    list,
    misc,
    numeric,
    range,
    string,
)
from stead.feel.builtins.registry import BUILTINS

__all__ = ["BUILTINS"]
