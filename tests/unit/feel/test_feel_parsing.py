"""Grammar: precedence, names with spaces, syntax errors that say where and what."""

from __future__ import annotations

import pytest
from feel_language_helpers import num, value_of

import stead.feel as feel
from stead.feel import nodes as n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("10 - 4 - 3", "3"),
        ("2 ** 3 ** 2", "64"),  # exponentiation is left-associative in FEEL
        ("-2 ** 2", "4"),  # negation binds tighter than **
        ("2 * 3 ** 2", "18"),
        ("12 / 4 / 3", "1"),
    ],
)
def test_arithmetic_precedence(text: str, expected: str) -> None:
    assert value_of(text) == num(expected)


def test_logic_precedence_and_over_or() -> None:
    assert value_of("true or false and false") is True
    assert value_of("(true or false) and false") is False


def test_comparison_binds_looser_than_arithmetic() -> None:
    assert value_of("1 + 1 = 2 and 3 > 2") is True


def test_if_branch_extends_to_the_right() -> None:
    assert value_of("if false then 1 else 2 + 3") == num(5)
    assert value_of("1 + (if true then 1 else 2)") == num(2)


def test_names_with_spaces() -> None:
    context = {"Monthly Income": 5000, "Monthly Costs": 3200}
    assert value_of("Monthly Income - Monthly Costs", context) == num(1800)


def test_names_with_symbols_given_to_compile() -> None:
    compiled = feel.compile("Pre-Bureau Risk + 1", names=["Pre-Bureau Risk"])
    assert compiled.evaluate({"Pre-Bureau Risk": 4}).value == num(5)


def test_evaluate_knows_the_special_names_of_its_context() -> None:
    assert value_of("Loan/Income * 2", {"Loan/Income": 0.25}) == num("0.5")


def test_without_the_name_a_minus_is_a_minus() -> None:
    assert value_of("a-b", {"a": 5, "b": 2}) == num(3)


def test_back_quoted_names() -> None:
    assert value_of("`order-id` + 1", {"order-id": 41}) == num(42)


def test_context_keys_become_names_for_later_entries() -> None:
    assert value_of("{gross-value: 10, net: gross-value * 0.8}.net") == num(8)


def test_parse_returns_stead_syntax_tree() -> None:
    tree = feel.parse("a + 1")
    assert tree == n.Arithmetic("+", n.Name("a"), n.Number(num(1)))


@pytest.mark.parametrize(
    ("text", "line", "column", "expected"),
    [
        ("if x then 1", 1, 12, "'else'"),
        ("1 +", 1, 4, "an expression"),
        ("[1, 2", 1, 6, "',' or ']'"),
        ("{a 1}", 1, 5, "':'"),
        ("f(1, 2", 1, 7, "',' or ')'"),
        ("a\nand\n)", 3, 1, "an expression"),
        ("for x in [1] x", 1, 14, "',' or 'return'"),
        ("x instance of", 1, 14, "a type"),
        ("1 2", 1, 3, "an operator or the end"),
        ("", 1, 1, "an expression"),
    ],
)
def test_syntax_errors_say_where_and_what(text: str, line: int, column: int, expected: str) -> None:
    with pytest.raises(feel.FeelSyntaxError) as caught:
        feel.compile(text)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert expected in error.expected
    assert f"line {line}, column {column}" in str(error)
    assert "^" in str(error)


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(feel.FeelSyntaxError, match="nested more than"):
        feel.compile("(" * 10_000 + "1" + ")" * 10_000)


def test_long_operator_chain_is_refused_clearly() -> None:
    with pytest.raises(feel.FeelSyntaxError, match="nested more than"):
        feel.compile(" + ".join(["1"] * 5000))


def test_moderate_nesting_is_fine() -> None:
    assert value_of("(" * 50 + "1" + ")" * 50) == num(1)
    assert value_of(" + ".join(["1"] * 100)) == num(100)


def test_unary_tests_mode_parses_cells() -> None:
    tree = feel.parse('< 10, "a", [1..2]', mode="unary-tests")
    assert isinstance(tree, n.UnaryTests)
    assert len(tree.tests) == 3
    assert feel.parse("-", mode="unary-tests") == n.UnaryAny()
    assert isinstance(feel.parse("not(1, 2)", mode="unary-tests"), n.UnaryNot)


def test_compiled_expression_finds_glued_names_in_the_context() -> None:
    compiled = feel.compile("Pre-Bureau Risk + 1")
    assert compiled.evaluate({"Pre-Bureau Risk": 4}).value == num(5)
    assert compiled.evaluate({"Pre": 4, "Bureau Risk": 1}).value == num(4)


def test_spacing_tells_a_name_from_an_operator() -> None:
    context = {"net-value": 10, "net": 3, "value": 1}
    assert value_of("net-value", context) == num(10)
    assert value_of("net - value", context) == num(2)
