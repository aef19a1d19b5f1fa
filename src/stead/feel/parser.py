"""A recursive-descent (Pratt) parser from FEEL text to the syntax tree of ``nodes``."""

from __future__ import annotations

from collections.abc import Iterable

from stead.feel import limits
from stead.feel import nodes as n
from stead.feel.cursor import TokenCursor
from stead.feel.errors import FeelSyntaxError
from stead.feel.lexer import KEYWORDS, Token
from stead.feel.type_parser import parse_type

__all__ = ["parse_expression", "parse_unary_tests"]

# Binding powers of the infix operators, loosest first.
_OR, _AND, _COMPARE, _ADD, _MULTIPLY, _POWER = 1, 2, 3, 4, 5, 6
_INFIX_OPS = {
    "+": _ADD,
    "-": _ADD,
    "*": _MULTIPLY,
    "/": _MULTIPLY,
    "**": _POWER,
    "=": _COMPARE,
    "!=": _COMPARE,
    "<": _COMPARE,
    "<=": _COMPARE,
    ">": _COMPARE,
    ">=": _COMPARE,
}
_INFIX_WORDS = {"or": _OR, "and": _AND, "between": _COMPARE, "in": _COMPARE, "instance": _COMPARE}
_OPEN_RANGE_OPS = ("<", "<=", ">", ">=")


class Parser(TokenCursor):
    """Parses one FEEL text into the syntax tree of ``nodes``."""

    # -- expressions ---------------------------------------------------------------------

    def expression(self, min_power: int = 0) -> n.Node:
        left = self.prefix()
        while True:
            token = self.token
            if token.kind == "op":
                power = _INFIX_OPS.get(token.text, 0)
            elif token.kind == "name" and not token.quoted:
                power = _INFIX_WORDS.get(token.text, 0)
            else:
                power = 0
            if power <= min_power:
                return left
            left = self.infix(left, power)

    def infix(self, left: n.Node, power: int) -> n.Node:
        token = self.advance()
        at = token.start
        text = token.text
        if text in ("+", "-", "*", "/", "**"):
            return n.Arithmetic(text, left, self.expression(power), at=at)
        if token.kind == "op":
            return n.Comparison(text, left, self.expression(power), at=at)
        if text == "or":
            return n.Disjunction(left, self.expression(power), at=at)
        if text == "and":
            return n.Conjunction(left, self.expression(power), at=at)
        if text == "between":
            low = self.expression(_COMPARE)
            self.expect_word("and", "'and' between the two bounds")
            return n.Between(left, low, self.expression(_COMPARE), at=at)
        if text == "in":
            return n.In(left, self.in_tests(), at=at)
        self.expect_word("of", "'of' after 'instance'")
        return n.InstanceOf(left, parse_type(self), at=at)

    def in_tests(self) -> tuple[n.Node, ...]:
        """The right side of ``in``: one positive unary test or a parenthesised list."""
        if self.at_op("("):
            start = self.pos
            self.advance()
            tests = [self.positive_test()]
            if self.at_op(",", ")"):
                while self.at_op(","):
                    self.advance()
                    tests.append(self.positive_test())
                self.expect_op(")", "',' or ')'")
                return tuple(tests)
            self.pos = start  # a range such as (1..5), or a parenthesised expression
        return (self.positive_test(_COMPARE),)

    def positive_test(self, min_power: int = 0) -> n.Node:
        token = self.token
        if self.at_op("=", "!="):
            self.advance()
            return n.UnaryComparison(token.text, self.expression(_COMPARE), at=token.start)
        return self.expression(min_power)

    def prefix(self) -> n.Node:
        self.enter()
        try:
            token = self.token
            if token.kind == "op" and token.text == "-":
                self.advance()
                return n.Negation(self.prefix(), at=token.start)
            return self.postfix(self.primary())
        finally:
            self.depth -= 1

    def postfix(self, target: n.Node) -> n.Node:
        while True:
            token = self.token
            if token.kind != "op":
                return target
            if token.text == ".":
                self.advance()
                target = n.Path(target, self.name("a name after '.'"), at=token.start)
            elif token.text == "[" and self.depth != self.no_filter_depth:
                self.advance()
                condition = self.expression()
                self.expect_op("]", "']' to close the filter")
                target = n.Filter(target, condition, at=token.start)
            elif token.text == "(":
                target = self.arguments(target)
            else:
                return target

    def arguments(self, function: n.Node) -> n.Node:
        at = self.advance().start
        if self.at_op(")"):
            self.advance()
            return n.Invocation(function, (), at=at)
        if self.is_named_argument():
            named: list[tuple[str, n.Node]] = []
            while True:
                key = self.declared_name((":",), "a parameter name")
                self.expect_op(":", "':' after the parameter name")
                named.append((key, self.expression()))
                if not self.at_op(","):
                    break
                self.advance()
            self.expect_op(")", "',' or ')' in the argument list")
            return n.NamedInvocation(function, tuple(named), at=at)
        args = [self.expression()]
        while self.at_op(","):
            self.advance()
            args.append(self.expression())
        self.expect_op(")", "',' or ')' in the argument list")
        return n.Invocation(function, tuple(args), at=at)

    def is_named_argument(self) -> bool:
        ahead = self.pos
        while self.tokens[ahead].kind == "name":
            ahead += 1
        token = self.tokens[ahead]
        return ahead > self.pos and token.kind == "op" and token.text == ":"

    def primary(self) -> n.Node:
        token = self.token
        at = token.start
        kind = token.kind
        if kind == "number":
            self.advance()
            return n.Number(token.value, at=at)  # type: ignore[arg-type]
        if kind == "string":
            self.advance()
            return n.String(str(token.value), at=at)
        if kind == "at":
            self.advance()
            return n.Temporal(str(token.value), at=at)
        if kind == "op":
            return self.bracketed(token)
        keyword = kind == "name" and not token.quoted and token.text in KEYWORDS
        if keyword and self.known.match(self.tokens, self.pos) is None:
            return self.keyword(token)
        if self.is_name_start():
            return n.Name(self.name(), at=at)
        raise self.fail("an expression")

    def keyword(self, token: Token) -> n.Node:
        text, at = token.text, token.start
        if text in ("true", "false"):
            self.advance()
            return n.Boolean(text == "true", at=at)
        if text == "null":
            self.advance()
            return n.Null(at=at)
        if text == "if":
            self.advance()
            condition = self.expression()
            self.expect_word("then", "'then'")
            then = self.expression()
            self.expect_word("else", "'else'")
            return n.If(condition, then, self.expression(), at=at)
        if text in ("for", "some", "every"):
            return self.loop(text)
        if text == "function":
            return self.function_definition()
        raise self.fail("an expression")

    def loop(self, kind: str) -> n.Node:
        at = self.advance().start
        added: list[str] = []
        iterations: list[n.Iteration] = []
        try:
            while True:
                var_at = self.token.start
                var = self.declared_name(("in",), "a variable name")
                self.expect_word("in", "'in' after the variable name")
                domain = self.expression()
                end = None
                if self.at_op(".."):
                    self.advance()
                    end = self.expression()
                iterations.append(n.Iteration(var, domain, end, at=var_at))
                if self.known.add(var):
                    added.append(var)
                if not self.at_op(","):
                    break
                self.advance()
            if kind == "for":
                self.expect_word("return", "',' or 'return'")
                return n.For(tuple(iterations), self.expression(), at=at)
            self.expect_word("satisfies", "',' or 'satisfies'")
            return n.Quantified(kind == "every", tuple(iterations), self.expression(), at=at)
        finally:
            for var in added:
                self.known.remove(var)

    def function_definition(self) -> n.Node:
        at = self.advance().start
        self.expect_op("(", "'(' after 'function'")
        params: list[tuple[str, n.TypeNode | None]] = []
        while not self.at_op(")"):
            name = self.declared_name((":", ",", ")"), "a parameter name")
            type_ = None
            if self.at_op(":"):
                self.advance()
                type_ = parse_type(self)
            params.append((name, type_))
            if not self.at_op(","):
                break
            self.advance()
        self.expect_op(")", "',' or ')' after the parameters")
        external = False
        if self.at_word("external"):
            self.advance()
            external = True
        added = [name for name, _ in params if self.known.add(name)]
        try:
            body = self.expression()
        finally:
            for name in added:
                self.known.remove(name)
        return n.FunctionDefinition(tuple(params), body, external, at=at)

    def bracketed(self, token: Token) -> n.Node:
        text, at = token.text, token.start
        if text == "?":
            self.advance()
            return n.Name("?", at=at)
        if text in _OPEN_RANGE_OPS:
            self.advance()
            bound = self.expression(_COMPARE)
            if text in ("<", "<="):
                return n.RangeLiteral(None, bound, False, text == "<=", at=at)
            return n.RangeLiteral(bound, None, text == ">=", False, at=at)
        if text in ("=", "!="):
            self.advance()
            return n.UnaryComparison(text, self.expression(_COMPARE), at=at)
        if text == "{":
            return self.context()
        if text == "(":
            self.advance()
            first = self.expression()
            if self.at_op(".."):
                return self.range_rest(first, False, at)
            self.expect_op(")", "')' or an operator")
            return first
        if text == "[":
            self.advance()
            if self.at_op("]"):
                self.advance()
                return n.ListLiteral((), at=at)
            first = self.expression()
            if self.at_op(".."):
                return self.range_rest(first, True, at)
            items = [first]
            while self.at_op(","):
                self.advance()
                items.append(self.expression())
            self.expect_op("]", "',' or ']' in the list")
            return n.ListLiteral(tuple(items), at=at)
        if text == "]":
            self.advance()
            first = self.expression()
            if not self.at_op(".."):
                raise self.fail("'..' in the range")
            return self.range_rest(first, False, at)
        raise self.fail("an expression", token)

    def range_rest(self, start: n.Node, start_included: bool, at: int) -> n.Node:
        self.expect_op("..")
        resume = self.pos
        try:
            end = self.expression()
        except FeelSyntaxError:
            end = None
        if end is None or not self.at_op("]", ")", "["):
            # Maybe "x[" ended the range ("[1..x["): parse again without filters at this level.
            self.pos = resume
            saved, self.no_filter_depth = self.no_filter_depth, self.depth + 1
            try:
                end = self.expression()
            finally:
                self.no_filter_depth = saved
        if self.at_op("]"):
            end_included = True
        elif self.at_op(")", "["):
            end_included = False
        else:
            raise self.fail("']', ')' or '[' to close the range")
        self.advance()
        return n.RangeLiteral(start, end, start_included, end_included, at=at)

    def context(self) -> n.Node:
        at = self.advance().start
        entries: list[tuple[str, n.Node]] = []
        added: list[str] = []
        try:
            while not self.at_op("}"):
                key = self.declared_name((":",), "a name or string as context key")
                self.expect_op(":", "':' after the context key")
                entries.append((key, self.expression()))
                if self.known.add(key):
                    added.append(key)
                if not self.at_op(","):
                    break
                self.advance()
            self.expect_op("}", "',' or '}' in the context")
        finally:
            for key in added:
                self.known.remove(key)
        return n.ContextLiteral(tuple(entries), at=at)

    # -- unary tests ---------------------------------------------------------------------

    def unary_tests(self) -> n.Node:
        at = self.token.start
        if self.at_op("-") and self.peek().kind == "end":
            self.advance()
            return n.UnaryAny(at=at)
        if self.at_word("not") and self.peek().kind == "op" and self.peek().text == "(":
            start = self.pos
            self.advance()
            self.advance()
            tests = self.test_list()
            if self.at_op(")") and self.peek().kind == "end":
                self.advance()
                return n.UnaryNot(tests, at=at)
            self.pos = start  # not(x) = y and the like: an ordinary expression
        tests = self.test_list()
        self.expect_end()
        return n.UnaryTests(tests, at=at)

    def test_list(self) -> tuple[n.Node, ...]:
        tests = [self.positive_test()]
        while self.at_op(","):
            self.advance()
            tests.append(self.positive_test())
        return tuple(tests)


def _check_tree_depth(tree: n.Node, source: str) -> None:
    """Refuse trees deeper than the evaluator can walk (long ``a + b + ...`` chains)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.MAX_TREE_DEPTH:
            raise FeelSyntaxError(
                f"expression nested more than {limits.MAX_TREE_DEPTH} levels deep",
                source=source,
                offset=node.at,
                expected="a shorter chain of operators",
            )
        stack.extend((child, depth + 1) for child in n.children(node))


def parse_expression(source: str, names: Iterable[str] = ()) -> n.Node:
    """Parse a FEEL expression; ``names`` are multi-word names in scope (variables)."""
    parser = Parser(source, names)
    if parser.token.kind == "end":
        raise parser.fail("an expression")
    tree = parser.expression()
    parser.expect_end()
    _check_tree_depth(tree, source)
    return tree


def parse_unary_tests(source: str, names: Iterable[str] = ()) -> n.Node:
    """Parse FEEL unary tests (a decision-table cell): ``< 10``, ``"a","b"``, ``-``, ..."""
    parser = Parser(source, names)
    if parser.token.kind == "end":
        raise parser.fail("a unary test such as '< 10', '\"a\"' or '-'")
    tree = parser.unary_tests()
    _check_tree_depth(tree, source)
    return tree
