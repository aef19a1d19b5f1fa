"""Context built-ins: get value, get entries, context, context put, context merge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.values import FeelEvalError

N = Decimal


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


def test_get_value() -> None:
    assert call("get value", {"a": "foo"}, "a") == "foo"
    assert call("get value", {"a": None}, "a") is None
    assert call("get value", {"a": "foo"}, "b") is None
    assert call("get value", {"a": {"b": N(1)}}, ["a", "b"]) == N(1)
    assert BUILTINS["get value"].invoke_named({"key": "a", "m": {"a": "foo"}}) == "foo"


@pytest.mark.parametrize(
    "args", [("foo", "foo"), ({"a": "foo"}, N(123)), (None, "a"), ({"a": "foo"},), ({"a": 1}, None)]
)
def test_get_value_rejects_bad_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("get value", *args)


def test_get_entries_keeps_order() -> None:
    assert call("get entries", {"a": "foo", "b": "bar"}) == [
        {"key": "a", "value": "foo"},
        {"key": "b", "value": "bar"},
    ]
    assert call("get entries", {}) == []
    with pytest.raises(FeelEvalError):
        call("get entries", [N(1)])


def test_context_builds_from_entries() -> None:
    entries = [{"key": "a", "value": N(1)}, {"key": "b", "value": N(2), "ignored": "x"}]
    assert call("context", entries) == {"a": N(1), "b": N(2)}
    assert call("context", {"key": "a", "value": None}) == {"a": None}
    assert call("context", []) == {}
    assert BUILTINS["context"].invoke_named({"entries": {"key": "", "value": N(1)}}) == {"": N(1)}


@pytest.mark.parametrize(
    "entries",
    [
        [{"key": "a", "value": N(1)}, {"key": "a", "value": N(2)}],
        {"value": N(1)},
        {"key": None, "value": N(1)},
        {"key": "a"},
        None,
        "foo",
    ],
)
def test_context_rejects_bad_entries(entries: Any) -> None:
    with pytest.raises(FeelEvalError):
        call("context", entries)


def test_context_put_copies_and_replaces_in_place() -> None:
    original = {"a": N(1), "b": N(2), "c": N(3)}
    result = call("context put", original, "b", N(5))
    assert list(result.items()) == [("a", N(1)), ("b", N(5)), ("c", N(3))]
    assert original["b"] == N(2)
    assert call("context put", {}, "a", None) == {"a": None}


def test_context_put_with_a_key_path() -> None:
    nested = {"x": N(1), "y": {"a": N(0)}}
    assert call("context put", nested, ["y", "a"], N(2)) == {"x": N(1), "y": {"a": N(2)}}
    assert call("context put", nested, ["y", "b"], N(2)) == {"x": N(1), "y": {"a": N(0), "b": N(2)}}
    assert nested == {"x": N(1), "y": {"a": N(0)}}
    named = BUILTINS["context put"].invoke_named(
        {"context": nested, "keys": ["y", "a"], "value": 3}
    )
    assert named["y"]["a"] == 3


@pytest.mark.parametrize(
    "args",
    [
        ({}, None, N(1)),
        (None, "a", N(1)),
        ([], "a", N(1)),
        ({}, N(1), N(1)),
        ({"y": {"a": N(0)}}, ["y", None], N(2)),
        ({"y": {"a": N(0)}}, [], N(2)),
        ({"y": {"a": N(0)}}, ["y", "a", "b"], N(2)),
        ({}, "a"),
    ],
)
def test_context_put_rejects_bad_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("context put", *args)


def test_context_put_named_key_must_be_a_single_key() -> None:
    with pytest.raises(FeelEvalError):
        BUILTINS["context put"].invoke_named({"context": {}, "key": ["a", "b"], "value": N(1)})


def test_context_merge_later_entries_win() -> None:
    assert call("context merge", [{"a": N(1)}, {"b": N(2)}]) == {"a": N(1), "b": N(2)}
    assert call("context merge", [{"a": {"aa": N(1)}}, {"a": {"bb": N(2)}}]) == {"a": {"bb": N(2)}}
    assert call("context merge", {"a": N(1)}) == {"a": N(1)}
    for bad in (None, [N(1)], [{"a": N(1)}, N(2)]):
        with pytest.raises(FeelEvalError):
            call("context merge", bad)
