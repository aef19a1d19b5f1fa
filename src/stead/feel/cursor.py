"""The parser's view of the tokens: position, expectations, errors, and reading names."""

from __future__ import annotations

from collections.abc import Iterable

from stead.feel import limits
from stead.feel.errors import FeelSyntaxError
from stead.feel.lexer import KEYWORDS, Token, tokenize
from stead.feel.names import KnownNames, normalize_name

__all__ = ["TokenCursor", "describe"]


def describe(token: Token) -> str:
    """How a token is named in an error message."""
    if token.kind == "end":
        return "end of input"
    if token.kind == "string":
        return f"string {token.text}"
    if token.kind == "number":
        return f"number {token.text}"
    return f"'{token.text}'"


class TokenCursor:
    """A position in the tokens of one FEEL text, with the names known at that point."""

    def __init__(self, source: str, names: Iterable[str] = ()) -> None:
        if len(source) > limits.MAX_SOURCE_LENGTH:
            raise FeelSyntaxError(
                f"expression longer than {limits.MAX_SOURCE_LENGTH} characters",
                source=source[:200],
                offset=0,
            )
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0
        self.depth = 0
        # Inside a range end such as "[1..5[", "[" closes the range instead of filtering.
        self.no_filter_depth = -1
        self.known = KnownNames(names, with_builtins=True)

    # -- token helpers -------------------------------------------------------------------

    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def at_op(self, *ops: str) -> bool:
        return self.token.kind == "op" and self.token.text in ops

    def at_word(self, *words: str) -> bool:
        token = self.token
        return token.kind == "name" and not token.quoted and token.text in words

    def fail(self, expected: str, token: Token | None = None) -> FeelSyntaxError:
        token = token or self.token
        return FeelSyntaxError(
            f"unexpected {describe(token)}",
            source=self.source,
            offset=token.start,
            expected=expected,
        )

    def expect_op(self, op: str, expected: str | None = None) -> Token:
        if not self.at_op(op):
            raise self.fail(expected or f"'{op}'")
        return self.advance()

    def expect_word(self, word: str, expected: str | None = None) -> Token:
        if not self.at_word(word):
            raise self.fail(expected or f"'{word}'")
        return self.advance()

    def expect_end(self) -> None:
        if self.token.kind != "end":
            raise self.fail("an operator or the end of the expression")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > limits.MAX_NESTING:
            raise FeelSyntaxError(
                f"expression nested more than {limits.MAX_NESTING} levels deep",
                source=self.source,
                offset=self.token.start,
                expected="a flatter expression",
            )

    # -- names ---------------------------------------------------------------------------

    def is_name_start(self) -> bool:
        token = self.token
        if token.kind == "name":
            return (
                token.quoted
                or token.text not in KEYWORDS
                or self.known.match(self.tokens, self.pos) is not None
            )
        return token.kind == "op" and token.text == "?"

    def name(self, what: str = "a name") -> str:
        """Read a (possibly multi-word) name at the current token."""
        token = self.token
        if token.kind == "op" and token.text == "?":
            self.advance()
            return "?"
        if token.kind != "name":
            raise self.fail(what)
        if token.quoted:
            self.advance()
            return token.text
        matched = self.known.match(self.tokens, self.pos)
        if matched is not None:
            self.pos += matched[1]
            words = [matched[0]]
        elif token.text in KEYWORDS:
            raise self.fail(what)
        else:
            words = [self.advance().text]
        # Two names side by side mean nothing else in FEEL, so they are one name with spaces.
        while True:
            nxt = self.token
            word = nxt.kind == "name" and not nxt.quoted and nxt.text not in KEYWORDS
            if word or (nxt.kind == "number" and nxt.text.isdigit()):
                words.append(self.advance().text)
            else:
                return " ".join(words)

    def declared_name(self, stops: tuple[str, ...], what: str) -> str:
        """A name being introduced (context key, parameter, loop variable), up to a stop."""
        if self.token.kind == "string":
            return str(self.advance().value)
        if self.token.kind == "name" and self.token.quoted:
            return self.advance().text
        first = self.token
        last = first
        while not (self.token.kind == "end" or self.at_op(*stops) or self.at_word(*stops)):
            if self.token.kind not in ("name", "number") and not self.at_op(*"+-*/.?'"):
                break
            last = self.advance()
        if last is first and self.token is first:
            raise self.fail(what)
        return normalize_name(self.source[first.start : last.end])
