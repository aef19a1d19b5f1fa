"""Type references of a DMN model: conformance of FEEL values and DMN's result coercion."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from typing import Any

from conformance.dmn_model import ItemDefinition
from stead.feel.values import (
    DayTimeDuration,
    FeelFunction,
    Range,
    YearMonthDuration,
    type_name,
)
from stead.feel.wide_temporal import is_date, is_date_time, is_time

__all__ = ["CoercionError", "TypeRegistry"]


class CoercionError(Exception):
    """A value does not conform to the declared type: DMN makes the result null."""


def _is_number(value: Any) -> bool:
    return isinstance(value, decimal.Decimal) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return is_date(value)


_BUILTIN_TYPES: dict[str, Callable[[Any], bool]] = {
    "Any": lambda v: True,
    "Null": lambda v: v is None,
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "date": _is_date,
    "time": is_time,
    "date and time": is_date_time,
    "dateTime": is_date_time,
    "days and time duration": lambda v: isinstance(v, DayTimeDuration),
    "dayTimeDuration": lambda v: isinstance(v, DayTimeDuration),
    "years and months duration": lambda v: isinstance(v, YearMonthDuration),
    "yearMonthDuration": lambda v: isinstance(v, YearMonthDuration),
    "list": lambda v: isinstance(v, list),
    "context": lambda v: isinstance(v, dict),
    "function": lambda v: isinstance(v, FeelFunction),
    "range": lambda v: isinstance(v, Range),
}

# A constraint check on allowed values: (unary-test text, value) -> satisfied?
AllowedValuesCheck = Callable[[str, Any], bool]


class TypeRegistry:
    """Resolves typeRefs against built-in types and the model's item definitions."""

    def __init__(
        self,
        item_definitions: Mapping[str, ItemDefinition],
        allowed_values_check: AllowedValuesCheck | None = None,
    ) -> None:
        self._items = item_definitions
        self._allowed_values_check = allowed_values_check

    def coerce(self, value: Any, type_ref: str | None) -> Any:
        """The value converted to the type as DMN 1.5 (10.3.2.9.4) converts results.

        A conforming value is kept; a singleton list of a conforming element becomes the element;
        an element conforming to a collection type's item type becomes a singleton list;
        anything else raises :class:`CoercionError`.
        """
        if value is None or not type_ref:
            return value
        if self.conforms(value, type_ref):
            return value
        if isinstance(value, list) and len(value) == 1 and self.conforms(value[0], type_ref):
            return value[0]
        item_type = self._collection_item_type(type_ref)
        if (
            item_type is not None
            and not isinstance(value, list)
            and self._conforms_item(value, item_type)
        ):
            return [value]
        raise CoercionError(f"{type_name(value)} value does not conform to type {type_ref!r}")

    def conforms(self, value: Any, type_ref: str) -> bool:
        """Whether the value is an instance of the type (null conforms to every type)."""
        if value is None:
            return True
        name = self._normalise(type_ref)
        if name.startswith("list<") and name.endswith(">"):
            inner = name[5:-1].strip()
            return isinstance(value, list) and all(self.conforms(v, inner) for v in value)
        if name.startswith(("context<", "function<", "range<")):
            # Structured FEEL type syntax: only the outer kind is checked here.
            return self.conforms(value, name.split("<", 1)[0])
        check = _BUILTIN_TYPES.get(name)
        if check is not None:
            return check(value)
        item = self._items.get(name)
        if item is None:
            # An unknown type name is not a reason to fail a result: treat it as Any.
            return True
        if item.is_collection:
            return isinstance(value, list) and all(self._conforms_item(v, item) for v in value)
        return self._conforms_item(value, item)

    def _conforms_item(self, value: Any, item: ItemDefinition) -> bool:
        if value is None:
            return True
        if item.is_function:
            return isinstance(value, FeelFunction)
        if item.components:
            if not isinstance(value, dict):
                return False
            return all(
                component.name in value and self._conforms_item(value[component.name], component)
                for component in item.components
            )
        if item.type_ref is not None and not self.conforms(value, item.type_ref):
            return False
        if item.allowed_values and self._allowed_values_check is not None:
            return self._allowed_values_check(item.allowed_values, value)
        return True

    def _collection_item_type(self, type_ref: str) -> ItemDefinition | None:
        name = self._normalise(type_ref)
        if name.startswith("list<") and name.endswith(">"):
            return ItemDefinition(name="", type_ref=name[5:-1].strip(), is_collection=False)
        item = self._items.get(name)
        if item is None or not item.is_collection:
            return None
        return ItemDefinition(
            name=item.name,
            type_ref=item.type_ref,
            is_collection=False,
            components=item.components,
            is_function=item.is_function,
            function_output=item.function_output,
            allowed_values=item.allowed_values,
        )

    def function_output_type(self, type_ref: str | None) -> str | None:
        """The output type of a function type (a ``functionItem``), if the typeRef names one."""
        if not type_ref:
            return None
        item = self._items.get(self._normalise(type_ref))
        if item is None or not item.is_function:
            return None
        return item.function_output

    def is_function_type(self, type_ref: str | None) -> bool:
        """Whether the typeRef names a function type."""
        if not type_ref:
            return False
        name = self._normalise(type_ref)
        item = self._items.get(name)
        return name == "function" or name.startswith("function<") or bool(item and item.is_function)

    def _normalise(self, type_ref: str) -> str:
        name = type_ref.strip()
        if name in _BUILTIN_TYPES or name in self._items or "<" in name:
            return name
        # A namespace-prefixed reference (feel:number, model:tThing) names the unprefixed type.
        prefix, colon, rest = name.partition(":")
        if colon and prefix.isidentifier():
            return rest.strip()
        return name
