"""Properties over generated input: printing round-trips, and nothing but syntax errors escape."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stead.feel as feel
from stead.feel import nodes as n
from stead.feel.api import Mode
from stead.feel.printer import to_source

NAMES = st.sampled_from(["a", "b", "x y", "item", "total amount", "_z", "a-b", "not", "é"])
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=8)
NUMBERS = st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=3).filter(
    lambda d: not d.is_signed()
)

BASIC_TYPES = st.sampled_from(
    ["number", "string", "boolean", "date", "date and time", "Any", "Null", "time"]
).map(n.NamedType)
TYPES = st.recursive(
    BASIC_TYPES,
    lambda inner: st.one_of(
        inner.map(n.ListType),
        inner.map(n.RangeType),
        st.lists(st.tuples(NAMES, inner), max_size=2).map(lambda e: n.ContextType(tuple(e))),
        st.builds(n.FunctionType, st.lists(inner, max_size=2).map(tuple), inner),
    ),
    max_leaves=4,
)

LEAVES = st.one_of(
    st.just(n.Null()),
    st.booleans().map(n.Boolean),
    NUMBERS.map(n.Number),
    TEXT.map(n.String),
    TEXT.map(n.Temporal),
    NAMES.map(n.Name),
    st.just(n.Name("?")),
)


def _compound(inner: st.SearchStrategy[n.Node]) -> st.SearchStrategy[n.Node]:
    pairs = st.tuples(NAMES, inner)
    iteration = st.builds(n.Iteration, NAMES, inner)
    counted = st.builds(n.Iteration, NAMES, inner, inner)
    tests = st.one_of(inner, st.builds(n.UnaryComparison, st.sampled_from(["=", "!="]), inner))
    return st.one_of(
        inner.map(n.Negation),
        st.builds(n.UnaryComparison, st.sampled_from(["=", "!="]), inner),
        st.builds(n.Arithmetic, st.sampled_from(["+", "-", "*", "/", "**"]), inner, inner),
        st.builds(n.Comparison, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), inner, inner),
        st.builds(n.Conjunction, inner, inner),
        st.builds(n.Disjunction, inner, inner),
        st.builds(n.Between, inner, inner, inner),
        st.builds(n.In, inner, st.lists(tests, min_size=1, max_size=3).map(tuple)),
        st.builds(n.InstanceOf, inner, TYPES),
        st.builds(n.If, inner, inner, inner),
        st.builds(
            n.For, st.lists(st.one_of(iteration, counted), min_size=1, max_size=2).map(tuple), inner
        ),
        st.builds(
            n.Quantified,
            st.booleans(),
            st.lists(st.one_of(iteration, counted), min_size=1, max_size=2).map(tuple),
            inner,
        ),
        st.builds(n.Filter, inner, inner),
        st.builds(n.Path, inner, NAMES),
        st.builds(n.Invocation, inner, st.lists(inner, max_size=3).map(tuple)),
        st.builds(n.NamedInvocation, inner, st.lists(pairs, min_size=1, max_size=2).map(tuple)),
        st.lists(pairs, max_size=3).map(lambda e: n.ContextLiteral(tuple(e))),
        st.lists(inner, max_size=3).map(lambda items: n.ListLiteral(tuple(items))),
        st.builds(n.RangeLiteral, inner, inner, st.booleans(), st.booleans()),
        st.builds(n.RangeLiteral, st.none(), inner, st.just(False), st.booleans()),
        st.builds(n.RangeLiteral, inner, st.none(), st.booleans(), st.just(False)),
        st.builds(
            n.FunctionDefinition,
            st.lists(st.tuples(NAMES, st.one_of(st.none(), TYPES)), max_size=2).map(tuple),
            inner,
            st.booleans(),
        ),
    )


EXPRESSIONS = st.recursive(LEAVES, _compound, max_leaves=12)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_print_then_parse_gives_the_same_tree(tree: n.Node) -> None:
    text = to_source(tree)
    assert feel.parse(text) == tree, text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_evaluating_any_expression_never_raises(tree: n.Node) -> None:
    compiled = feel.compile(to_source(tree))
    context = {"a": Decimal(1), "b": [Decimal(1), Decimal(2)], "x y": "s", "item": {"a": 1}}
    result = compiled.evaluate(context, input_value=Decimal(3))
    assert isinstance(result.warnings, tuple)


POSITIVE_TESTS = st.one_of(
    EXPRESSIONS.filter(lambda t: not isinstance(t, n.Invocation)),
    st.builds(n.UnaryComparison, st.sampled_from(["=", "!="]), EXPRESSIONS),
)
UNARY_TESTS = st.one_of(
    st.just(n.UnaryAny()),
    st.lists(POSITIVE_TESTS, min_size=1, max_size=3).map(lambda t: n.UnaryTests(tuple(t))),
    st.lists(POSITIVE_TESTS, min_size=1, max_size=3).map(lambda t: n.UnaryNot(tuple(t))),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UNARY_TESTS)
def test_unary_tests_round_trip(tree: n.Node) -> None:
    text = to_source(tree)
    assert feel.parse(text, mode="unary-tests") == tree, text


MODES: tuple[Mode, ...] = ("expression", "unary-tests")

VOCABULARY = st.sampled_from(
    [
        "1",
        ".5",
        "1e3",
        '"s"',
        '@"2024-01-01"',
        "a",
        "x y",
        "?",
        "+",
        "-",
        "*",
        "/",
        "**",
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        ".",
        "..",
        "and",
        "or",
        "not",
        "in",
        "between",
        "instance of",
        "number",
        "list<",
        ">",
        "if",
        "then",
        "else",
        "for",
        "return",
        "some",
        "every",
        "satisfies",
        "function",
        "external",
        "true",
        "false",
        "null",
        "item",
        "`q`",
        "//c\n",
        "/*c*/",
        " ",
        "\n",
        '"\\u00',
        "@",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(VOCABULARY, max_size=20).map(" ".join))
def test_token_soup_raises_only_syntax_errors(text: str) -> None:
    for mode in MODES:
        try:
            compiled = feel.compile(text, mode=mode)
        except feel.FeelSyntaxError as error:
            position = (error.line, error.column)
            assert min(position) >= 1
            continue
        compiled.evaluate({"a": 1, "x y": [1, 2]}, input_value=1)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_raises_only_syntax_errors(text: str) -> None:
    with contextlib.suppress(feel.FeelSyntaxError):
        feel.compile(text).evaluate({})


def test_printer_is_public() -> None:
    assert feel.to_source(feel.parse("(a+b)*c")) == "(a + b) * c"
