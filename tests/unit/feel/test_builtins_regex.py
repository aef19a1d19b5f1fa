"""Regular expressions follow XML Schema / XPath, not Python's own dialect."""

from __future__ import annotations

from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.values import FeelEvalError


def matches(*args: Any) -> Any:
    return BUILTINS["matches"].invoke(args)


@pytest.mark.parametrize(
    ("text", "pattern", "flags", "expected"),
    [
        ("abracadabra", "bra", None, True),
        ("\nabcd\ndefg\n", "^$", "m", True),
        ("abcd\n", "d$", None, False),
        ("abcd\n", "d$", "m", True),
        ("Mary\rJones", "Mary.Jones", None, False),
        ("Mary\nJones", "Mary.Jones", "s", True),
        ("abc", "ABC", "i", True),
        ("\u212a", "k", "i", True),
        ("\u00df", "ss", "i", False),
        ("x", "[A-Z-[OI]]", "i", True),
        ("O", "[A-Z-[OI]]", "i", False),
        ("i", "[A-Z-[OI]]", "i", False),
        ("e", "[a-z-[aeiou]]", None, False),
        ("q", "[^Q]", "i", False),
        ("hello world", "hello\\ sworld", "x", True),
        ("hello world", "he ll o[ ]worl d", "x", True),
        ("hello world", "\\p{ I s B a s i c L a t i n }+", "x", True),
        ("\u00e9", "^\\p{IsBasicLatin}$", None, False),
        ("aA", "(a)\\1", "i", True),
        ("a ", "a[^b]", None, True),
        ("a", "a[^b]", None, False),
        ("\u00a0", "^\\s$", None, False),
        ("\t", "^\\s$", None, True),
        ("_", "^\\w$", None, False),
        ("\u00e9", "^\\w$", None, True),
        ("a.b", ".", "q", True),
        ("ab", "a{1,2}b", None, True),
        ("-", "[a-]", None, True),
    ],
)
def test_matches(text: str, pattern: str, flags: str | None, expected: bool) -> None:
    assert matches(text, pattern, flags) is expected


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        ("\\p{ IsBasicLatin}+", None),
        ("(.)\\3", None),
        ("(.)\\2", None),
        ("\\3", None),
        ("(asd)[\\1]", None),
        ("(asd)[asd\\0]", None),
        ("(?=a)", None),
        ("a{2,1}", None),
        ("[b-a]", None),
        ("\\b", None),
        ("a]", None),
        ("(a", None),
        ("pattern", "p"),
        ("pattern", " "),
        ("pattern", "X"),
    ],
)
def test_invalid_patterns_and_flags_are_errors(pattern: str, flags: str | None) -> None:
    with pytest.raises(FeelEvalError):
        matches("input", pattern, flags)


@pytest.mark.parametrize("args", [(None, "a"), ("a", None), ("a", []), ("input",)])
def test_matches_rejects_missing_or_mistyped_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        matches(*args)


def test_a_runaway_match_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    from stead.feel.builtins import string

    monkeypatch.setattr(string, "REGEX_TIMEOUT_SECONDS", 1e-6)
    with pytest.raises(FeelEvalError, match="took longer"):
        matches("a" * 200_000 + "b", "(a|aa)*c")
