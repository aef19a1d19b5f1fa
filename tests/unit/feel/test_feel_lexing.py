"""Literals and lexical rules: numbers, strings, escapes, comments, names."""

from __future__ import annotations

import pytest
from feel_language_helpers import num, value_of

import stead.feel as feel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", "42"),
        ("3.25", "3.25"),
        (".5", "0.5"),
        ("1.23e4", "12300"),
        ("1.23e-4", "0.000123"),
        ("5E+2", "500"),
        ("-7", "-7"),
        ("1234567890123456789012345678901234567", "1.234567890123456789012345678901235E+36"),
    ],
)
def test_number_literals(text: str, expected: str) -> None:
    assert value_of(text) == num(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r'"plain"', "plain"),
        (r'"say \"hi\""', 'say "hi"'),
        (r'"back\\slash"', "back\\slash"),
        (r'"two\nlines\ttab\r"', "two\nlines\ttab\r"),
        (r'"\u0041\u00e9"', "Aé"),
        (r'"\uD83D\uDE00"', "😀"),
        (r'"\U01F600"', "😀"),
        (r'"regex \s+\d"', "regex \\s+\\d"),
        (r'"it\'s"', "it's"),
    ],
)
def test_string_literals_and_escapes(text: str, expected: str) -> None:
    assert value_of(text) == expected


def test_booleans_and_null() -> None:
    assert value_of("true") is True
    assert value_of("false") is False
    assert value_of("null") is None


def test_comments_are_ignored() -> None:
    assert value_of("1 + // one\n 2 /* two\n lines */ * 3") == num(7)


def test_a_range_is_not_a_decimal_point() -> None:
    assert value_of("for i in 1..3 return i") == [num(1), num(2), num(3)]


def test_unicode_names() -> None:
    assert value_of('{🐎: "bar", café: 2}') == {"🐎": "bar", "café": num(2)}


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ('"open', 1, "'\"' to close it"),
        ("1 + /* never closed", 5, "'*/'"),
        (r'"\u12"', 2, "4 hexadecimal digits"),
        ("1 + #", 5, "an expression"),
    ],
)
def test_lexical_errors_point_at_the_problem(text: str, column: int, expected: str) -> None:
    with pytest.raises(feel.FeelSyntaxError) as caught:
        feel.compile(text)
    assert caught.value.line == 1
    assert caught.value.column == column
    assert expected in caught.value.expected
    assert f"column {column}" in str(caught.value)


def test_numbers_beyond_decimal128_are_syntax_errors() -> None:
    with pytest.raises(feel.FeelSyntaxError, match="number out of range"):
        feel.compile("1e7000")
    assert value_of("1e6144") == num("1e6144")
