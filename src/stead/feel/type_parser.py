"""Parses FEEL type expressions: ``number``, ``list<string>``, ``context<a: T>``, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stead.feel import nodes as n

if TYPE_CHECKING:
    from stead.feel.cursor import TokenCursor

__all__ = ["MULTI_WORD_TYPES", "parse_type"]

MULTI_WORD_TYPES = (
    ("days", "and", "time", "duration"),
    ("years", "and", "months", "duration"),
    ("date", "and", "time"),
)


def parse_type(parser: TokenCursor) -> n.TypeNode:
    """Read one type expression at the parser's current token."""
    parser.enter()
    try:
        return _type(parser)
    finally:
        parser.depth -= 1


def _type(parser: TokenCursor) -> n.TypeNode:
    token = parser.token
    at = token.start
    if token.kind != "name":
        raise parser.fail("a type such as number, string or list<number>")
    following = parser.peek()
    generic = following.kind == "op" and following.text == "<"
    if generic and token.text in ("list", "range"):
        parser.advance()
        parser.advance()
        element = parse_type(parser)
        _close(parser)
        if token.text == "list":
            return n.ListType(element, at=at)
        return n.RangeType(element, at=at)
    if generic and token.text == "context":
        parser.advance()
        parser.advance()
        entries: list[tuple[str, n.TypeNode]] = []
        while not parser.at_op(">"):
            key = parser.declared_name((":",), "an entry name")
            parser.expect_op(":", "':' after the entry name")
            entries.append((key, parse_type(parser)))
            if not parser.at_op(","):
                break
            parser.advance()
        _close(parser)
        return n.ContextType(tuple(entries), at=at)
    if generic and token.text == "function":
        parser.advance()
        parser.advance()
        params: list[n.TypeNode] = []
        while not parser.at_op(">"):
            params.append(parse_type(parser))
            if not parser.at_op(","):
                break
            parser.advance()
        _close(parser)
        parser.expect_op("->", "'->' and the result type")
        return n.FunctionType(tuple(params), parse_type(parser), at=at)
    return n.NamedType(_type_name(parser), at=at)


def _close(parser: TokenCursor) -> None:
    parser.expect_op(">", "'>' to close the type")


def _type_name(parser: TokenCursor) -> str:
    tokens, pos = parser.tokens, parser.pos
    for words in MULTI_WORD_TYPES:
        end = pos + len(words)
        if end < len(tokens) and all(tokens[pos + i].text == w for i, w in enumerate(words)):
            parser.pos = end
            return " ".join(words)
    parts = [parser.advance().text]
    # Qualified item-definition names such as ``tns.Customer``.
    while parser.at_op(".") and parser.peek().kind == "name":
        parser.advance()
        parts.append(parser.advance().text)
    return ".".join(parts)
