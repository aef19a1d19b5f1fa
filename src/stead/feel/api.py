"""Compiling and evaluating FEEL text: the entry points behind ``stead.feel``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, NamedTuple

from stead.feel import nodes as n
from stead.feel.compiler import Compiler
from stead.feel.errors import FeelSyntaxError
from stead.feel.fast_path import FastEvaluator, fast_evaluator
from stead.feel.names import glued_operators
from stead.feel.parser import parse_expression, parse_unary_tests
from stead.feel.scope import MISSING, EvaluationAborted, Evaluator, State, from_python

__all__ = ["CompiledExpression", "Mode", "Result", "compile", "evaluate", "parse"]

Mode = Literal["expression", "unary-tests"]

_EMPTY: Mapping[str, Any] = {}


class Result(NamedTuple):
    """The outcome of an evaluation: a FEEL value and what went wrong on the way."""

    value: Any
    warnings: tuple[str, ...] = ()


# Building the tuple directly skips NamedTuple's keyword handling on the hot path.
_new_result = tuple.__new__
# Results are immutable, so the common warning-free ones are shared.
_TRUE = Result(True)
_FALSE = Result(False)


class CompiledExpression:
    """A parsed and compiled FEEL text, ready to be evaluated many times."""

    __slots__ = (
        "_evaluator",
        "_fast",
        "_glued",
        "_types",
        "_variants",
        "mode",
        "source",
        "tree",
    )

    def __init__(
        self,
        source: str,
        mode: Mode,
        tree: n.Node,
        evaluator: Evaluator,
        *,
        glued: tuple[str, ...] = (),
        types: Mapping[str, Callable[[Any], bool]] | None = None,
        fast: FastEvaluator | None = None,
    ) -> None:
        self.source = source
        self.mode = mode
        self.tree = tree
        self._evaluator = evaluator
        # Generated code for the usual case; it defers to ``evaluator`` for everything else.
        self._fast = fast
        self._glued = glued
        self._types = types
        self._variants: dict[tuple[str, ...], CompiledExpression] = {}

    def __repr__(self) -> str:
        return f"CompiledExpression({self.source!r}, mode={self.mode!r})"

    def evaluate(
        self, context: Mapping[str, Any] = _EMPTY, *, input_value: Any = MISSING
    ) -> Result:
        """Evaluate against ``context`` (FEEL or JSON-like values); never raises."""
        fast = self._fast
        if fast is not None and input_value is MISSING:
            try:
                value = fast(context)
            except Exception:  # Fallback, or a value the general evaluator must judge
                pass
            else:
                if value is True:
                    return _TRUE
                if value is False:
                    return _FALSE
                return _new_result(Result, (value, ()))
        if self._glued and context:
            variant = self._variant_for(context)
            if variant is not None:
                return variant.evaluate(context, input_value=input_value)
        tested = input_value if input_value is MISSING else from_python(input_value)
        state = State(context or _EMPTY, tested)
        try:
            value = self._evaluator(state)
        except EvaluationAborted as stop:
            state.warnings.append(f"evaluation stopped: {stop}")
            value = None
        except RecursionError:
            state.warnings.append("evaluation stopped: expression nested too deeply")
            value = None
        except Exception as error:  # the promise is: no exception out of evaluate
            state.warnings.append(f"evaluation failed: {type(error).__name__}: {error}")
            value = None
        if state.warnings:
            return _new_result(Result, (value, tuple(state.warnings)))
        if value is True:
            return _TRUE
        if value is False:
            return _FALSE
        return _new_result(Result, (value, ()))

    def _variant_for(self, context: Mapping[str, Any]) -> CompiledExpression | None:
        """This text compiled again knowing the context names it spells, like "Pre-Bureau"."""
        names = tuple(sorted(k for k in context if any(g in k for g in self._glued)))
        if not names:
            return None
        variant = self._variants.get(names)
        if variant is None:
            try:
                variant = compile(self.source, mode=self.mode, names=names, types=self._types)
            except FeelSyntaxError:
                variant = self
            variant._glued = ()
            if len(self._variants) < 16:
                self._variants[names] = variant
        return None if variant is self else variant


def parse(source: str, *, mode: Mode = "expression", names: Iterable[str] = ()) -> n.Node:
    """The syntax tree of a FEEL text; raises FeelSyntaxError."""
    try:
        if mode == "unary-tests":
            return parse_unary_tests(source, names)
        if mode != "expression":
            raise ValueError(f"unknown mode {mode!r}")
        return parse_expression(source, names)
    except RecursionError:
        raise FeelSyntaxError(
            "expression nested too deeply", source=source, offset=0, expected="a flatter one"
        ) from None


def compile(
    expression: str,
    *,
    mode: Mode = "expression",
    names: Iterable[str] = (),
    types: Mapping[str, Callable[[Any], bool]] | None = None,
) -> CompiledExpression:
    """Parse and compile a FEEL text.

    ``names`` lists variable names that contain spaces or symbols (``Pre-Bureau Risk``),
    so that the parser can tell them from operators. ``types`` defines further type names
    for ``instance of`` and typed parameters, each as a membership test. Raises
    FeelSyntaxError.
    """
    if not isinstance(expression, str):
        raise TypeError("a FEEL expression must be a str")
    tree = parse(expression, mode=mode, names=names)
    try:
        evaluator = Compiler(expression, types).compile(tree)
    except RecursionError:
        raise FeelSyntaxError(
            "expression nested too deeply", source=expression, offset=0, expected="a flatter one"
        ) from None
    # Names given explicitly are trusted; otherwise names glued by operators are checked
    # against each context at evaluation time.
    glued = () if names else glued_operators(expression)
    # With glued names a context may change how the text reads, so only the general path.
    fast = fast_evaluator(tree) if mode == "expression" and not glued else None
    return CompiledExpression(
        expression, mode, tree, evaluator, glued=glued, types=types, fast=fast
    )


@functools.lru_cache(maxsize=1024)
def _cached(expression: str, mode: Mode, names: tuple[str, ...]) -> CompiledExpression:
    return compile(expression, mode=mode, names=names)


def evaluate(
    expression: str,
    context: Mapping[str, Any] = _EMPTY,
    *,
    mode: Mode = "expression",
    input_value: Any = MISSING,
) -> Result:
    """Compile (cached) and evaluate in one step; raises FeelSyntaxError for bad text.

    Context keys that contain spaces or symbols are known to the parser, so an expression
    may use them directly.
    """
    special = tuple(sorted(key for key in context if not _is_plain_name(key)))
    return _cached(expression, mode, special).evaluate(context, input_value=input_value)


def _is_plain_name(key: str) -> bool:
    return key.replace("_", "a").isalnum()
