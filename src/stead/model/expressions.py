"""Turning model values into :class:`Expression`: FEEL after a leading ``=``, else static text."""

from __future__ import annotations

from stead.feel import FeelSyntaxError
from stead.feel import compile as compile_feel
from stead.model.graph import Expression

__all__ = ["FeelSyntaxError", "compile_expression", "describe_syntax_error"]


def compile_expression(text: str) -> Expression:
    """The model value ``text`` as an :class:`Expression`; compiles the FEEL after ``=``.

    Raises :class:`FeelSyntaxError` for FEEL that does not parse.
    """
    if not text.startswith("="):
        return Expression(text)
    return Expression(text, compile_feel(text[1:]))


def describe_syntax_error(error: FeelSyntaxError) -> str:
    """A one-line account of a FEEL syntax error (the FEEL message without its caret drawing)."""
    return str(error).split("\n", 1)[0]
