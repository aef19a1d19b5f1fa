"""Names that span several tokens ("date and time", "Pre-Bureau Risk Category").

FEEL names may contain spaces, keywords and the symbols ``+ - * / . '``, so the lexer cannot
find where a name ends. The parser asks this index instead: it knows the built-in function
names, the names given to ``compile`` and the names the expression itself introduces (context
keys, parameters, loop variables), and matches the longest one at the current token.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from stead.feel.errors import FeelSyntaxError
from stead.feel.lexer import Token, tokenize

__all__ = ["KnownNames", "glued_operators", "name_tokens", "normalize_name"]


def normalize_name(text: str) -> str:
    """A name with its runs of whitespace reduced to one space."""
    return " ".join(text.split())


def _spelled(token: Token) -> str:
    # Spacing is part of the spelling: "a-b" may be a name where "a - b" is a subtraction.
    return " " + token.text if token.spaced else token.text


@functools.lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...]:
    """How a name is tokenized: the first token's text, then each next token as spelled
    (with a leading space when whitespace precedes it); empty if it cannot be written
    unquoted."""
    try:
        tokens = tokenize(name)
    except FeelSyntaxError:
        return ()
    if any(t.kind in ("string", "at") for t in tokens):
        return ()
    return tuple(t.text if i == 0 else _spelled(t) for i, t in enumerate(tokens[:-1]))


# Built-in names that contain keywords, known even before the built-ins are loaded.
_BUILT_IN_NAMES = ("date and time", "years and months duration", "days and time duration")

_Index = dict[str, list[tuple[tuple[str, ...], str]]]
_builtin_index: tuple[int, _Index] = (-1, {})


def _builtins_index() -> _Index:
    """The index of the built-in function names, rebuilt when the built-ins change."""
    global _builtin_index
    from stead.feel.builtins import BUILTINS

    if _builtin_index[0] != len(BUILTINS):
        index = KnownNames()
        for name in (*_BUILT_IN_NAMES, *BUILTINS):
            index.add(name)
        _builtin_index = (len(BUILTINS), index._by_first)
    return _builtin_index[1]


class KnownNames:
    """Multi-token names, indexed by their first token, that can be added and removed."""

    def __init__(self, names: Iterable[str] = (), *, with_builtins: bool = False) -> None:
        self._by_first: _Index = {}
        if with_builtins:
            self._by_first = {first: list(e) for first, e in _builtins_index().items()}
        for name in names:
            self.add(name)

    def add(self, name: str) -> bool:
        """Make ``name`` known; False if it needs no index (a single word) or was known."""
        texts = name_tokens(name)
        if len(texts) < 2:
            return False
        entries = self._by_first.setdefault(texts[0], [])
        if any(existing == texts for existing, _ in entries):
            return False
        entries.append((texts, name))
        entries.sort(key=lambda entry: -len(entry[0]))
        return True

    def remove(self, name: str) -> None:
        """Forget a name added by :meth:`add` (which returned True)."""
        texts = name_tokens(name)
        entries = self._by_first.get(texts[0] if texts else "", [])
        for index, (existing, _) in enumerate(entries):
            if existing == texts:
                del entries[index]
                return

    def match(self, tokens: Sequence[Token], pos: int) -> tuple[str, int] | None:
        """The longest known name written at ``tokens[pos:]`` and how many tokens it takes."""
        first = tokens[pos]
        if first.quoted:
            return None
        for texts, name in self._by_first.get(first.text, ()):
            end = pos + len(texts)
            if end < len(tokens) and all(
                _spelled(tokens[pos + i]) == text
                and tokens[pos + i].kind in ("name", "op", "number")
                and not tokens[pos + i].quoted
                for i, text in enumerate(texts[1:], start=1)
            ):
                return name, len(texts)
        return None


# A quick test before tokenizing: a word character, an operator, a word character.
_GLUED = re.compile(r"\w[-+*/]\w")


def glued_operators(source: str) -> tuple[str, ...]:
    """Places like "Pre-Bureau" where an operator touches a name on both sides.

    Written without spaces, such a text is more likely part of a name from the context than
    arithmetic; the evaluator checks the context keys for it (see ``CompiledExpression``).
    """
    if _GLUED.search(source) is None:
        return ()
    try:
        tokens = tokenize(source)
    except FeelSyntaxError:
        return ()
    found: list[str] = []
    for before, op, after in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if (
            op.kind == "op"
            and op.text in ("+", "-", "*", "/")
            and not op.spaced
            and not after.spaced
            and before.kind == "name"
            and after.kind == "name"
        ):
            found.append(source[before.start : after.end])
    return tuple(found)
