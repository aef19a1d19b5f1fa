"""String built-ins: substring, case, search, replace, split and join."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stead.feel.builtins import BUILTINS
from stead.feel.values import FeelEvalError


def call(name: str, *args: Any) -> Any:
    return BUILTINS[name].invoke(args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("foobar", Decimal(3)), "obar"),
        (("foobar", Decimal(3), Decimal(3)), "oba"),
        (("foobar", Decimal(-2), Decimal(1)), "a"),
        (("foobar", Decimal(-6), Decimal(6)), "foobar"),
        (("foobar", Decimal(3), Decimal("3.8")), "oba"),
        (("f", Decimal(1), Decimal(1)), "f"),
        (("\U0001f600ab", Decimal(2)), "ab"),
    ],
)
def test_substring_counts_code_points_from_one(args: tuple[Any, ...], expected: str) -> None:
    assert call("substring", *args) == expected


def test_substring_named_parameter_with_space() -> None:
    result = BUILTINS["substring"].invoke_named({"string": "foobar", "start position": Decimal(3)})
    assert result == "obar"


@pytest.mark.parametrize(
    "args", [(None, Decimal(1)), ("abc", None), ("abc",), (Decimal(1), Decimal(1))]
)
def test_substring_rejects_bad_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("substring", *args)


def test_string_length_counts_characters() -> None:
    assert call("string length", "") == Decimal(0)
    assert call("string length", "aaaaa dddd ") == Decimal(11)


def test_case_conversion() -> None:
    assert call("upper case", "xyZ ") == "XYZ "
    assert call("lower case", "aBc4") == "abc4"
    assert call("upper case", "") == ""


@pytest.mark.parametrize(
    ("name", "string", "match", "expected"),
    [
        ("substring before", "foobar", "bar", "foo"),
        ("substring before", "foobar", "x", ""),
        ("substring before", "abc", "", ""),
        ("substring after", "foobar", "ob", "ar"),
        ("substring after", "abc", "", "abc"),
        ("substring after", "abc", "c", ""),
        ("contains", "foobar", "o", True),
        ("contains", "", "ab", False),
        ("contains", "", "", True),
        ("starts with", "foobar", "foo", True),
        ("starts with", "foobar", "bar", False),
        ("ends with", "foobar", "bar", True),
        ("ends with", "foobar", "f", False),
    ],
)
def test_substring_search(name: str, string: str, match: str, expected: Any) -> None:
    assert call(name, string, match) == expected


@pytest.mark.parametrize("name", ["contains", "starts with", "ends with", "substring before"])
def test_search_functions_reject_null(name: str) -> None:
    with pytest.raises(FeelEvalError):
        call(name, None, "a")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("abcd", "(ab)|(a)", "[1=$1][2=$2]"), "[1=ab][2=]cd"),
        (("abracadabra", "a.*?a", "*"), "*c*bra"),
        (("abracadabra", "a(.)", "a$1$1"), "abbraccaddabbra"),
        (("AAAA", "A+?", "b"), "bbbb"),
        (("darted", "^(.*?)d(.*)$", "$1c$2"), "carted"),
        (("0123456789", r"(\d{3})(\d{3})(\d{4})", "($1) $2-$3"), "(012) 345-6789"),
        (("facetiously", "[iouy]", "[$0]"), "facet[i][o][u]sl[y]"),
        (("abc", "[A-Z]", "#", "i"), "###"),
        (("a b c d ", "[a-z]", "#", "x"), "# # # # "),
        (("abc", ".^[d-z]*", "smix"), "abc"),
        (("a.b", ".", "$", "q"), "a$b"),
        (("a$b", "\\$", "\\$\\\\"), "a$\\b"),
    ],
)
def test_replace_uses_xpath_semantics(args: tuple[Any, ...], expected: str) -> None:
    assert call("replace", *args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("abc", "", "x"),
        ("abc", "b", "$"),
        ("abc", "b", "\\x"),
        ("abc", "(", "x"),
        ("abc", "b", "x", "p"),
    ],
)
def test_replace_rejects_bad_patterns_and_templates(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("replace", *args)


def test_split_keeps_empty_fields() -> None:
    assert call("split", "John Doe", "\\s") == ["John", "Doe"]
    assert call("split", "a;b;c;;", ";") == ["a", "b", "c", "", ""]


def test_split_named_parameters_must_use_spec_names() -> None:
    assert BUILTINS["split"].invoke_named({"delimiter": ",", "string": "foo,bar"}) == ["foo", "bar"]
    with pytest.raises(FeelEvalError):
        BUILTINS["split"].invoke_named({"delimiter": ",", "str": "foo,bar"})


def test_extract_returns_every_match() -> None:
    assert call("extract", "references are 1234, 1256, 1378", "12[0-9]*") == ["1234", "1256"]
    assert call("extract", "abc", "x") == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((["a", "b", "c"],), "abc"),
        ((["a", "b", "c"], " and "), "a and b and c"),
        ((["a", None, "c"], "X"), "aXc"),
        (([], "X"), ""),
        (("a", "X"), "a"),
        ((["a", "b"], None), "ab"),
    ],
)
def test_string_join(args: tuple[Any, ...], expected: str) -> None:
    assert call("string join", *args) == expected


@pytest.mark.parametrize("args", [(None,), ([Decimal(1)], "X"), (["a"], "X", "foo"), ()])
def test_string_join_rejects_bad_arguments(args: tuple[Any, ...]) -> None:
    with pytest.raises(FeelEvalError):
        call("string join", *args)


def test_a_one_item_list_stands_for_its_item() -> None:
    assert call("upper case", ["bob"]) == "BOB"
    assert call("substring", ["foobar"], [Decimal(4)]) == "bar"
    with pytest.raises(FeelEvalError):
        call("upper case", ["a", "b"])
