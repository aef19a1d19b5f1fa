"""Compiling a model's FEEL texts once, with the names and types the model defines."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import stead.feel as feel
from conformance.dmn_model import DmnModel
from conformance.dmn_types import TypeRegistry

__all__ = ["FeelCompiler", "PreparedModel", "prepare_model"]

Mode = Literal["expression", "unary-tests"]
# A model's own type, as ``instance of`` tests it: value -> is an instance?
TypeTest = Callable[[Any], bool]


def _compile_accepts(parameter: str) -> bool:
    try:
        return parameter in inspect.signature(feel.compile).parameters
    except (TypeError, ValueError):
        return False


class FeelCompiler:
    """Compiles each FEEL text of one model once; a syntax error is kept as the result.

    Names with spaces or symbols (``Loan Amount``) are passed to the parser. The model's item
    definitions are passed as ``types`` for ``instance of`` when ``stead.feel.compile`` takes
    that parameter (a mapping of type name to a test of values).
    """

    def __init__(self, type_tests: Mapping[str, TypeTest] | None = None) -> None:
        self._cache: dict[tuple[str, str, tuple[str, ...]], Any] = {}
        self._type_tests = dict(type_tests or {}) if _compile_accepts("types") else {}

    def compile(self, text: str, mode: Mode = "expression", names: tuple[str, ...] = ()) -> Any:
        """The compiled expression, or the FeelSyntaxError it raised."""
        key = (mode, text, names)
        if key not in self._cache:
            syntax_error = getattr(feel, "FeelSyntaxError", None)
            options: dict[str, Any] = {"names": names} if names else {}
            if self._type_tests:
                options["types"] = self._type_tests
            try:
                self._cache[key] = feel.compile(text, mode=mode, **options)
            except Exception as exc:
                if syntax_error is None or not isinstance(exc, syntax_error):
                    raise
                self._cache[key] = exc
        return self._cache[key]

    def allowed_values_check(self, unary_tests: str, value: Any) -> bool:
        """Whether the value satisfies an item definition's allowed values."""
        compiled = self.compile(unary_tests, mode="unary-tests")
        if isinstance(compiled, Exception):
            return True  # an unreadable constraint does not reject values
        return compiled.evaluate({}, input_value=value).value is True


@dataclass(frozen=True)
class PreparedModel:
    """A model with its type registry and compiler, shared by all of its test cases."""

    model: DmnModel
    types: TypeRegistry
    compiler: FeelCompiler


def prepare_model(model: DmnModel) -> PreparedModel:
    """Build the registry (with allowed-value checks) and compiler of a model."""
    # ``instance of`` ignores allowed values (the TCK's 0070 cases say so); coercion does not.
    plain_types = TypeRegistry(model.item_definitions)
    compiler = FeelCompiler(
        {name: _type_test(plain_types, name) for name in model.item_definitions}
    )
    types = TypeRegistry(model.item_definitions, compiler.allowed_values_check)
    return PreparedModel(model, types, compiler)


def _type_test(types: TypeRegistry, name: str) -> TypeTest:
    return lambda value: value is not None and types.conforms(value, name)
