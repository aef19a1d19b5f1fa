"""List functions: membership, aggregation, slicing, set operations and sorting."""

from __future__ import annotations

import decimal
import functools
from typing import Any

from stead.feel.builtins.registry import (
    builtin,
    call_function,
    items_or_list,
    require_function,
    require_integer,
    require_list,
)
from stead.feel.values import (
    DECIMAL_CONTEXT,
    FeelEvalError,
    FeelFunction,
    feel_compare,
    feel_equals,
    type_name,
)

__all__: list[str] = []

Number = decimal.Decimal


def _index(function: str, items: list[Any], position: Any) -> int:
    """A 1-based (or negative, from the end) FEEL position as a 0-based Python index."""
    number = require_integer(function, "position", position)
    if number == 0 or abs(number) > len(items):
        raise FeelEvalError(f"{function}: position {number} is outside a list of {len(items)}")
    return number - 1 if number > 0 else len(items) + number


def _contains(items: list[Any], element: Any) -> bool:
    return any(feel_equals(item, element) is True for item in items)


def _hash_key(item: Any) -> tuple[str, Any] | None:
    """A key under which FEEL-equal simple values collide (1 and 1.0 alike); else None."""
    if isinstance(item, bool):
        return ("boolean", item)
    if isinstance(item, Number):
        return ("number", item)
    if isinstance(item, str):
        return ("string", item)
    return None


def _distinct(items: list[Any]) -> list[Any]:
    # Numbers, strings and booleans are checked through a set so that long lists stay fast;
    # other values need FEEL equality against those kept so far.
    result: list[Any] = []
    seen: set[tuple[str, Any]] = set()
    others: list[Any] = []
    for item in items:
        key = _hash_key(item)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        elif _contains(others, item):
            continue
        else:
            others.append(item)
        result.append(item)
    return result


def _numbers(function: str, items: list[Any]) -> list[Number]:
    for item in items:
        if not isinstance(item, Number):
            raise FeelEvalError(f"{function}: the list holds a {type_name(item)}, not numbers")
    return items


def _sum(numbers: list[Number]) -> Number:
    result = Number(0)
    for number in numbers:
        result = DECIMAL_CONTEXT.add(result, number)
    return result


def _extreme(function: str, items: list[Any], wanted: int) -> Any:
    if not items:
        return None
    best = items[0]
    for item in items[1:]:
        order = feel_compare(item, best)
        if order is None:
            raise FeelEvalError(
                f"{function}: cannot compare {type_name(item)} with {type_name(best)}"
            )
        if order == wanted:
            best = item
    if len(items) == 1 and feel_compare(best, best) is None:
        raise FeelEvalError(f"{function}: a {type_name(best)} has no order")
    return best


@builtin("list contains", "list", "element")
def list_contains(items: Any, element: Any) -> bool:
    return _contains(require_list("list contains", "list", items), element)


@builtin("count", "list")
def count(items: Any) -> Number:
    return Number(len(require_list("count", "list", items)))


@builtin("min", "list...")
def minimum(*args: Any) -> Any:
    return _extreme("min", items_or_list("min", args), -1)


@builtin("max", "list...")
def maximum(*args: Any) -> Any:
    return _extreme("max", items_or_list("max", args), 1)


@builtin("sum", "list...")
def total(*args: Any) -> Number | None:
    numbers = _numbers("sum", items_or_list("sum", args))
    return _sum(numbers) if numbers else None


@builtin("mean", "list...")
def mean(*args: Any) -> Number | None:
    numbers = _numbers("mean", items_or_list("mean", args))
    if not numbers:
        return None
    return DECIMAL_CONTEXT.divide(_sum(numbers), Number(len(numbers)))


@builtin("product", "list...")
def product(*args: Any) -> Number:
    numbers = _numbers("product", items_or_list("product", args))
    if not numbers:
        raise FeelEvalError("product: the list is empty")
    result = Number(1)
    for number in numbers:
        result = DECIMAL_CONTEXT.multiply(result, number)
    return result


@builtin("median", "list...")
def median(*args: Any) -> Number | None:
    numbers = sorted(_numbers("median", items_or_list("median", args)))
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[middle]
    pair = DECIMAL_CONTEXT.add(numbers[middle - 1], numbers[middle])
    return DECIMAL_CONTEXT.divide(pair, Number(2))


@builtin("stddev", "list...")
def stddev(*args: Any) -> Number:
    numbers = _numbers("stddev", items_or_list("stddev", args))
    if len(numbers) < 2:
        raise FeelEvalError("stddev: needs at least two numbers")
    # The sample standard deviation (dividing by n - 1).
    mean_value = DECIMAL_CONTEXT.divide(_sum(numbers), Number(len(numbers)))
    squares = Number(0)
    for number in numbers:
        deviation = DECIMAL_CONTEXT.subtract(number, mean_value)
        squares = DECIMAL_CONTEXT.add(squares, DECIMAL_CONTEXT.multiply(deviation, deviation))
    variance = DECIMAL_CONTEXT.divide(squares, Number(len(numbers) - 1))
    return DECIMAL_CONTEXT.sqrt(variance)


@builtin("mode", "list...")
def mode(*args: Any) -> list[Number]:
    numbers = _numbers("mode", items_or_list("mode", args))
    counts: dict[Number, int] = {}
    for number in numbers:
        counts[number] = counts.get(number, 0) + 1
    if not counts:
        return []
    highest = max(counts.values())
    return sorted(number for number, seen in counts.items() if seen == highest)


def _truth_values(function: str, items: list[Any]) -> list[bool | None]:
    for item in items:
        if item is not None and not isinstance(item, bool):
            raise FeelEvalError(f"{function}: the list holds a {type_name(item)}, not booleans")
    return items


@builtin("all", "list...")
def all_true(*args: Any) -> bool | None:
    values = _truth_values("all", items_or_list("all", args))
    if False in values:
        return False
    return None if None in values else True


@builtin("any", "list...")
def any_true(*args: Any) -> bool | None:
    values = _truth_values("any", items_or_list("any", args))
    if True in values:
        return True
    return None if None in values else False


@builtin("sublist", "list", "start position", "length?")
def sublist(items: Any, start: Any, length: Any = None) -> list[Any]:
    values = require_list("sublist", "list", items)
    number = require_integer("sublist", "start position", start)
    if number == 0 or abs(number) > len(values):
        raise FeelEvalError(f"sublist: start position {number} is outside a list of {len(values)}")
    begin = number - 1 if number > 0 else len(values) + number
    if length is None:
        return values[begin:]
    count = require_integer("sublist", "length", length)
    if count < 0 or begin + count > len(values):
        raise FeelEvalError(f"sublist: length {count} goes past the end of the list")
    return values[begin : begin + count]


@builtin("append", "list", "item...")
def append(items: Any, *new_items: Any) -> list[Any]:
    return [*require_list("append", "list", items), *new_items]


@builtin("concatenate", "list...")
def concatenate(*lists: Any) -> list[Any]:
    result: list[Any] = []
    for value in lists:
        result.extend(require_list("concatenate", "list", value))
    return result


@builtin("insert before", "list", "position", "newItem")
def insert_before(items: Any, position: Any, new_item: Any) -> list[Any]:
    values = require_list("insert before", "list", items)
    index = _index("insert before", values, position)
    return [*values[:index], new_item, *values[index:]]


@builtin("remove", "list", "position")
def remove(items: Any, position: Any) -> list[Any]:
    values = require_list("remove", "list", items)
    index = _index("remove", values, position)
    return [*values[:index], *values[index + 1 :]]


@builtin("reverse", "list")
def reverse(items: Any) -> list[Any]:
    return list(reversed(require_list("reverse", "list", items)))


@builtin("index of", "list", "match")
def index_of(items: Any, match: Any) -> list[Number]:
    values = require_list("index of", "list", items)
    return [Number(i) for i, item in enumerate(values, 1) if feel_equals(item, match) is True]


@builtin("union", "list...")
def union(*lists: Any) -> list[Any]:
    combined: list[Any] = []
    for value in lists:
        combined.extend(require_list("union", "list", value))
    return _distinct(combined)


@builtin("distinct values", "list")
def distinct_values(items: Any) -> list[Any]:
    return _distinct(require_list("distinct values", "list", items))


def _flatten_into(result: list[Any], items: list[Any]) -> None:
    for item in items:
        if isinstance(item, list):
            _flatten_into(result, item)
        else:
            result.append(item)


@builtin("flatten", "list")
def flatten(items: Any) -> list[Any]:
    result: list[Any] = []
    _flatten_into(result, require_list("flatten", "list", items))
    return result


def _natural_order(left: Any, right: Any) -> int:
    order = feel_compare(left, right)
    if order is None:
        raise FeelEvalError(f"sort: cannot compare {type_name(left)} with {type_name(right)}")
    return order


def _order_by(precedes: FeelFunction) -> Any:
    def compare(left: Any, right: Any) -> int:
        if call_function(precedes, [left, right]) is True:
            return -1
        if call_function(precedes, [right, left]) is True:
            return 1
        return 0

    return compare


@builtin("sort", "list", "precedes?")
def sort(items: Any, precedes: Any = None) -> list[Any]:
    values = require_list("sort", "list", items)
    if precedes is None:
        return sorted(values, key=functools.cmp_to_key(_natural_order))
    function = require_function("sort", "precedes", precedes)
    return sorted(values, key=functools.cmp_to_key(_order_by(function)))


@builtin("list replace", "list", "position", "newItem")
def list_replace(items: Any, position: Any, new_item: Any) -> list[Any]:
    values = require_list("list replace", "list", items)
    if isinstance(position, FeelFunction):
        result = []
        for item in values:
            verdict = call_function(position, [item, new_item])
            if not isinstance(verdict, bool):
                raise FeelEvalError("list replace: the match function must return a boolean")
            result.append(new_item if verdict else item)
        return result
    index = _index("list replace", values, position)
    return [*values[:index], new_item, *values[index + 1 :]]


@builtin("list replace", "list", "match", "newItem")
def list_replace_matching(items: Any, match: Any, new_item: Any) -> list[Any]:
    require_function("list replace", "match", match)
    return list_replace(items, match, new_item)
