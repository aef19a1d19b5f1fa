"""Printing syntax trees back to FEEL text."""

from __future__ import annotations

import pytest

import stead.feel as feel


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("a+b*c", "a + b * c"),
        ("(a+b)*c", "(a + b) * c"),
        ("-(2**2)", "-(2 ** 2)"),
        ("x in [1..5[", "x in ([1..5))"),
        ("]1..5]", "(1..5]"),
        ("1 + (if a then 1 else 2)", "1 + (if a then 1 else 2)"),
        ('{a b: 1, "c": a b}', '{"a b": 1, "c": a b}'),
        ("f(first name: 1)", "f(first name: 1)"),
        ("`order-id` + 1", "`order-id` + 1"),
        ('date and time("2024-01-01T00:00:00")', '`date and time`("2024-01-01T00:00:00")'),
        ('"tab\\there \\"q\\""', '"tab\\there \\"q\\""'),
        ("xs[item > 1].name", "xs[item > 1].name"),
        ("x instance of list<context<a: number>>", "x instance of list<context<a: number>>"),
        ("function(a: number) external a", "function(a: number) external a"),
    ],
)
def test_printed_text(text: str, printed: str) -> None:
    tree = feel.parse(text)
    assert feel.to_source(tree) == printed
    assert feel.parse(printed) == tree


def test_printing_unary_tests() -> None:
    tree = feel.parse('not("a", < 3)', mode="unary-tests")
    assert feel.to_source(tree) == 'not("a", < 3)'
