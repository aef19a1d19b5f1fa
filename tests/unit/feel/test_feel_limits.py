"""Bounds: no FEEL text can hang the engine, exhaust memory or crash the interpreter."""

from __future__ import annotations

import time

import pytest

import stead.feel as feel
from stead.feel import limits


def test_huge_for_range_stops_at_once() -> None:
    started = time.perf_counter()
    result = feel.evaluate("for i in 1..1000000000 return i")
    assert result.value is None
    assert any("more than" in w and "elements" in w for w in result.warnings)
    assert time.perf_counter() - started < 1


def test_nested_loops_are_bounded_by_the_step_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_STEPS", 5_000)
    result = feel.evaluate("for a in 1..1000, b in 1..1000 return a * b")
    assert result.value is None
    assert any("stopped after 5000 steps" in w for w in result.warnings)


def test_strings_cannot_grow_without_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_STRING_LENGTH", 1_000)
    text = '{s: "0123456789", t: for i in 1..200 return s + s + s + s + s + s + s + s + s + s}'
    assert feel.evaluate(text).value is not None
    doubled = '{f: function(s, n) if n = 0 then s else f(s + s, n - 1), r: f("ab", 20)}.r'
    result = feel.evaluate(doubled)
    assert result.value is None
    assert any("string grew beyond 1000" in w for w in result.warnings)


def test_deep_recursion_of_user_functions() -> None:
    result = feel.evaluate("{down: function(n) if n = 0 then 0 else down(n - 1), r: down(10000)}.r")
    assert result.value is None
    assert any("levels deep" in w for w in result.warnings)


def test_recursion_within_the_limit_works() -> None:
    text = "{down: function(n) if n = 0 then 0 else 1 + down(n - 1), r: down(40)}.r"
    assert feel.evaluate(text).value == 40


def test_source_length_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SOURCE_LENGTH", 100)
    with pytest.raises(feel.FeelSyntaxError, match="longer than 100"):
        feel.compile("1" + " + 1" * 100)


@pytest.mark.parametrize(
    "text",
    [
        '__import__("os").system("echo hacked")',
        'open("/etc/passwd")',
        "exec",
        "().__class__.__bases__",
        "{a: 1}.__class__",
        '"x".__len__()',
        "eval",
    ],
)
def test_python_is_unreachable(text: str) -> None:
    try:
        result = feel.compile(text).evaluate({})
    except feel.FeelSyntaxError:
        return
    assert result.value is None
