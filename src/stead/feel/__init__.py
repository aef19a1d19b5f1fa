"""FEEL, the expression language of DMN 1.5: compile once, evaluate many times."""

from __future__ import annotations

from stead.feel.api import CompiledExpression, Result, compile, evaluate, parse
from stead.feel.errors import FeelSyntaxError
from stead.feel.json import from_json, to_json
from stead.feel.printer import to_source

__all__ = [
    "CompiledExpression",
    "FeelSyntaxError",
    "Result",
    "compile",
    "evaluate",
    "from_json",
    "parse",
    "to_json",
    "to_source",
]
