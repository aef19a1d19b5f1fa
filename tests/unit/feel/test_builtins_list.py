"""List built-ins: aggregation, slicing, set operations, sorting and replacement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.values import FeelEvalError, FeelFunction


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


def numbers(*values: int | str) -> list[Decimal]:
    return [Decimal(v) for v in values]


class PythonFunction(FeelFunction):
    """A FEEL function value backed by a Python callable, as a lambda would be."""

    def __init__(self, body: Any, parameters: tuple[str, ...]) -> None:
        self.body = body
        self.parameters = parameters

    def invoke(self, args: Sequence[Any]) -> Any:
        return self.body(*args)

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        return self.body(**args)


def test_list_contains_uses_feel_equality() -> None:
    assert call("list contains", numbers(1, 2), Decimal("2.0")) is True
    assert call("list contains", [Decimal(1), None], None) is True
    assert call("list contains", ["a"], Decimal(1)) is False


def test_count() -> None:
    assert call("count", ["a", "b", "c"]) == Decimal(3)
    assert call("count", []) == Decimal(0)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("min", (numbers(6, 14, -3),), Decimal(-3)),
        ("min", (Decimal(3), Decimal(1)), Decimal(1)),
        ("max", (["a", "c", "b"],), "c"),
        ("min", ([],), None),
        ("sum", (numbers(6, 14, -3),), Decimal(17)),
        ("sum", (Decimal(1), Decimal(2)), Decimal(3)),
        ("sum", ([],), None),
        ("mean", (numbers(6, 14, -3),), Decimal("5.666666666666666666666666666666667")),
        ("mean", ([],), None),
        ("product", (numbers("2.5", 1, "2.5", 3),), Decimal("18.75")),
        ("product", (Decimal(6),), Decimal(6)),
        ("median", (numbers(8, 2, 5, 3, 4),), Decimal(4)),
        ("median", (numbers(6, 1, 2, 3),), Decimal("2.5")),
        ("median", ([],), None),
        ("mode", (numbers(3, 6, 1, 9, 6, 1, 3),), numbers(1, 3, 6)),
        ("mode", ([],), []),
        ("mode", (Decimal(6),), numbers(6)),
    ],
)
def test_aggregates(name: str, args: tuple[Any, ...], expected: Any) -> None:
    assert call(name, *args) == expected


def test_stddev_is_the_sample_standard_deviation() -> None:
    result = call("stddev", numbers(2, 4, 7, 5))
    assert str(result).startswith("2.0816659994661")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("min", ([Decimal(1), "a"],)),
        ("sum", ([Decimal(1), "a"],)),
        ("product", ([],)),
        ("product", ([Decimal(1), None],)),
        ("stddev", ([Decimal(47)],)),
        ("stddev", ([],)),
        ("median", (None,)),
        ("mode", ([Decimal(1), "foo"],)),
        ("min", ()),
    ],
)
def test_aggregates_reject_bad_lists(name: str, args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call(name, *args)


def test_aggregates_accept_the_list_parameter_by_name() -> None:
    assert BUILTINS["max"].invoke_named({"list": numbers(1, 5)}) == Decimal(5)
    with pytest.raises(FeelEvalError):
        BUILTINS["max"].invoke_named({"l": numbers(1, 5)})


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("all", ([True, False, True],), False),
        ("all", ([True, None, True],), None),
        ("all", ([],), True),
        ("all", (True,), True),
        ("all", (True, None, True), None),
        ("any", ([False, True],), True),
        ("any", ([],), False),
        ("any", (None, False), None),
    ],
)
def test_all_and_any_use_three_valued_logic(
    name: str, args: tuple[Any, ...], expected: Any
) -> None:
    assert call(name, *args) is expected


@pytest.mark.parametrize("args", [([True, Decimal(123)],), (None,), (Decimal(123),)])
def test_all_rejects_non_booleans(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("all", *args)


def test_sublist() -> None:
    assert call("sublist", ["a", "b", "c"], Decimal(1), Decimal(2)) == ["a", "b"]
    assert call("sublist", ["a", "b", "c"], Decimal(-1), Decimal(1)) == ["c"]
    assert call("sublist", ["a", "b", "c"], Decimal(2)) == ["b", "c"]
    with pytest.raises(FeelEvalError):
        call("sublist", ["a"], Decimal(0))


def test_building_lists() -> None:
    assert call("append", ["a"], "b", "c") == ["a", "b", "c"]
    assert call("concatenate", ["a"], [["b"]], ["c"]) == ["a", ["b"], "c"]
    assert call("insert before", ["x", "y"], Decimal(2), "OK") == ["x", "OK", "y"]
    assert call("insert before", ["x", "y"], Decimal(-1), "OK") == ["x", "OK", "y"]
    assert call("remove", ["x", "y", "z"], Decimal(2)) == ["x", "z"]
    assert call("reverse", ["a", "b"]) == ["b", "a"]
    with pytest.raises(FeelEvalError):
        call("remove", ["x"], Decimal(2))


def test_searching_and_set_operations() -> None:
    assert call("index of", numbers(1, 2, 3, 2), Decimal(2)) == numbers(2, 4)
    assert call("index of", ["x"], "OK") == []
    assert call("union", numbers(1, 2), numbers(2, 3)) == numbers(1, 2, 3)
    assert call("distinct values", numbers(1, 2, 3, 2, 1)) == numbers(1, 2, 3)
    assert call("distinct values", [[Decimal(1)], [Decimal("1.0")]]) == [[Decimal(1)]]
    assert call("distinct values", [Decimal(1), "1", True, Decimal("1.0"), None, None]) == [
        Decimal(1),
        "1",
        True,
        None,
    ]
    assert call("flatten", [["w", "x"], ["y", ["z"]], "t"]) == ["w", "x", "y", "z", "t"]


def test_sort_naturally_and_with_precedes() -> None:
    assert call("sort", numbers(3, 1, 5, 4)) == numbers(1, 3, 4, 5)
    descending = PythonFunction(lambda x, y: x > y, ("x", "y"))
    assert call("sort", numbers(3, 1, 5, 4), descending) == numbers(5, 4, 3, 1)
    with pytest.raises(FeelEvalError):
        call("sort", [Decimal(1), "a"])


def test_list_replace_by_position_and_by_match() -> None:
    assert call("list replace", numbers(1, 2, 3), Decimal(2), Decimal(4)) == numbers(1, 4, 3)
    assert call("list replace", numbers(1, 2, 3), Decimal("-1.5"), Decimal(4)) == numbers(1, 2, 4)
    assert call("list replace", numbers(1, 2, 3), Decimal(3), None) == [
        Decimal(1),
        Decimal(2),
        None,
    ]
    smaller = PythonFunction(lambda item, new: item < new, ("item", "newItem"))
    assert call("list replace", numbers(2, 4, 7, 8), smaller, Decimal(5)) == numbers(5, 5, 7, 8)
    named = BUILTINS["list replace"].invoke_named(
        {"match": smaller, "newItem": Decimal(3), "list": numbers(1, 5)}
    )
    assert named == numbers(3, 5)
    assert call("list replace", Decimal(1), Decimal(1), Decimal(5)) == numbers(5)


@pytest.mark.parametrize(
    "args",
    [
        (numbers(1, 2, 3), Decimal(0), Decimal(4)),
        (numbers(1, 2, 3), Decimal(4), Decimal(4)),
        (numbers(1, 2, 3), "2", Decimal(4)),
        (None, Decimal(1), Decimal(4)),
        (numbers(2, 4), PythonFunction(lambda item: item == 2, ("item",)), Decimal(5)),
        (numbers(2, 4), PythonFunction(lambda item, new: item, ("item", "newItem")), Decimal(5)),
    ],
)
def test_list_replace_rejects_bad_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("list replace", *args)


def test_results_beyond_decimal128_are_errors() -> None:
    huge = Decimal("1E+6000")
    with pytest.raises(FeelEvalError, match="out of range"):
        call("product", [huge, huge])
    with pytest.raises(FeelEvalError, match="out of range"):
        call("sublist", numbers(1, 2), huge)
