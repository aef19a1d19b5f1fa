"""Splits FEEL text into tokens: words, numbers, strings, temporal literals and operators."""

from __future__ import annotations

import decimal
import re
from typing import Literal

from stead.feel.errors import FeelSyntaxError

__all__ = ["KEYWORDS", "Token", "TokenKind", "tokenize"]

TokenKind = Literal["name", "number", "string", "at", "op", "end"]

# Words with a grammatical role. They still may be parts of longer names ("date and time").
KEYWORDS = frozenset(
    {
        "and",
        "or",
        "in",
        "between",
        "instance",
        "of",
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
    }
)

# Longest first, so that "**" wins over "*" and "<=" over "<".
_OPERATOR = re.compile(r"\*\*|\.\.|<=|>=|!=|->|[-+*/=<>()\[\]{},:.?]")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_']*")
_BLANKS = re.compile(r"\s*")

_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


class Token:
    """One token; ``spaced`` tells whether whitespace or a comment came right before it."""

    __slots__ = ("end", "kind", "quoted", "spaced", "start", "text", "value")

    def __init__(
        self,
        kind: TokenKind,
        text: str,
        start: int,
        end: int,
        spaced: bool,
        value: object = None,
        quoted: bool = False,  # a `back-quoted` name, never a keyword
    ) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.spaced = spaced
        self.value = value
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.start})"


def _is_digit(char: str) -> bool:
    # Only ASCII digits make numbers; "²" or Arabic-Indic digits are not FEEL numbers.
    return len(char) == 1 and "0" <= char <= "9"


def _is_name_start(char: str) -> bool:
    # DMN admits most of Unicode beyond Latin-1 in names (emoji included); not spaces.
    return char.isalpha() or char == "_" or (char >= "\u00c0" and not char.isspace())


def _is_name_part(char: str) -> bool:
    # The apostrophe has no other role in FEEL, so "Applicant's" stays one word.
    return _is_name_start(char) or char.isdigit() or char in "'\u00b7"


class _Lexer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.tokens: list[Token] = []

    def fail(self, problem: str, offset: int, expected: str = "") -> FeelSyntaxError:
        return FeelSyntaxError(problem, source=self.source, offset=offset, expected=expected)

    def skip_blanks(self) -> bool:
        """Skip whitespace and comments; True if anything was skipped."""
        src, start = self.source, self.pos
        while True:
            self.pos = _BLANKS.match(src, self.pos).end()  # type: ignore[union-attr]
            if src.startswith("//", self.pos):
                end = src.find("\n", self.pos)
                self.pos = len(src) if end < 0 else end + 1
            elif src.startswith("/*", self.pos):
                end = src.find("*/", self.pos + 2)
                if end < 0:
                    raise self.fail("unterminated comment", self.pos, "'*/' to close it")
                self.pos = end + 2
            else:
                return self.pos > start

    def run(self) -> list[Token]:
        src = self.source
        spaced = True
        while True:
            spaced = self.skip_blanks() or spaced
            if self.pos >= len(src):
                self.tokens.append(Token("end", "", self.pos, self.pos, spaced))
                return self.tokens
            self.tokens.append(self.next_token(spaced))
            spaced = False

    def next_token(self, spaced: bool) -> Token:
        src, start = self.source, self.pos
        char = src[start]
        if _is_digit(char) or (char == "." and _is_digit(src[start + 1 : start + 2])):
            return self.number(spaced)
        if char == '"':
            text = self.string()
            return Token("string", src[start : self.pos], start, self.pos, spaced, text)
        if char == "@" and src.startswith('"', start + 1):
            self.pos += 1
            text = self.string()
            return Token("at", src[start : self.pos], start, self.pos, spaced, text)
        if char == "`":
            end = src.find("`", start + 1)
            if end < 0 or end == start + 1:
                raise self.fail("unterminated quoted name", start, "a name followed by '`'")
            self.pos = end + 1
            return Token("name", src[start + 1 : end], start, self.pos, spaced, quoted=True)
        if _is_name_start(char):
            # Plain ASCII words in one step; other characters one by one.
            end = _ASCII_WORD.match(src, start).end()  # type: ignore[union-attr]
            while end < len(src) and _is_name_part(src[end]):
                end += 1
            self.pos = end
            return Token("name", src[start:end], start, end, spaced)
        operator = _OPERATOR.match(src, start)
        if operator is not None:
            self.pos = operator.end()
            return Token("op", operator.group(), start, self.pos, spaced)
        raise self.fail(f"unexpected character {char!r}", start, "an expression")

    def number(self, spaced: bool) -> Token:
        src, start = self.source, self.pos
        end = start
        while end < len(src) and _is_digit(src[end]):
            end += 1
        # "1..3" is a range: the dot belongs to the fraction only when a digit follows it.
        if end < len(src) and src[end] == "." and _is_digit(src[end + 1 : end + 2]):
            end += 1
            while end < len(src) and _is_digit(src[end]):
                end += 1
        # An exponent ("1.23e4", "5E-3") only when digits follow, so "2e" stays 2 and a name.
        if end < len(src) and src[end] in "eE":
            digits = end + 2 if src[end + 1 : end + 2] in ("+", "-") else end + 1
            if _is_digit(src[digits : digits + 1]):
                end = digits
                while end < len(src) and _is_digit(src[end]):
                    end += 1
        self.pos = end
        text = src[start:end]
        value = decimal.Decimal(text)
        if value and not -6143 <= value.adjusted() <= 6144:
            # Beyond the exponent range of DMN's 128-bit decimal numbers.
            raise self.fail("number out of range", start, "a magnitude from 1E-6143 to 1E+6144")
        return Token("number", text, start, end, spaced, value)

    def string(self) -> str:
        """Read a double-quoted string at ``self.pos`` and return its value."""
        src, start = self.source, self.pos
        parts: list[str] = []
        pos = start + 1
        while True:
            end = pos
            while end < len(src) and src[end] not in '"\\':
                end += 1
            parts.append(src[pos:end])
            if end >= len(src):
                raise self.fail("unterminated string", start, "'\"' to close it")
            if src[end] == '"':
                self.pos = end + 1
                return _join_surrogates("".join(parts))
            pos = self.escape(end, parts)

    def escape(self, at: int, parts: list[str]) -> int:
        """Decode the escape sequence at ``at`` (a backslash); return the position after it."""
        src = self.source
        kind = src[at + 1 : at + 2]
        if kind in _ESCAPES:
            parts.append(_ESCAPES[kind])
            return at + 2
        width = {"u": 4, "U": 6}.get(kind)
        if width is None:
            if not kind:
                raise self.fail("unterminated string", at, "'\"' to close it")
            # Other escapes (as in regular expressions: "\s", "\d") keep their backslash.
            parts.append("\\" + kind)
            return at + 2
        digits = src[at + 2 : at + 2 + width]
        if len(digits) != width or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise self.fail("invalid unicode escape", at, f"{width} hexadecimal digits")
        code = int(digits, 16)
        if code > 0x10FFFF:
            raise self.fail("unicode escape out of range", at, "a code point up to 10FFFF")
        parts.append(chr(code))
        return at + 2 + width


def _join_surrogates(text: str) -> str:
    """Combine UTF-16 surrogate pairs written as two \\u escapes into one character."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def tokenize(source: str) -> list[Token]:
    """The tokens of ``source``, ending with an ``end`` token; raises FeelSyntaxError."""
    return _Lexer(source).run()
