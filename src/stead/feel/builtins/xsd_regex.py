"""XML Schema / XPath regular expressions, translated for the ``regex`` module."""

from __future__ import annotations

import functools

import regex

from stead.feel.values import FeelEvalError

__all__ = ["compile_pattern", "expand_replacement"]

_FLAG_BITS = {"s": regex.DOTALL, "m": regex.MULTILINE, "i": regex.IGNORECASE}
_VALID_FLAGS = frozenset("smixq")
_SINGLE_ESCAPES = frozenset("nrt\\|.?*+(){}-[]^$")
_CONTROL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
# XML Schema's multi-character escapes differ from Perl's: \s is only four characters and
# \w is "everything but punctuation, separators and other characters".
_CLASS_ESCAPES = {
    "s": r"[ \t\n\r]",
    "S": r"[^ \t\n\r]",
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "w": r"[^\p{P}\p{Z}\p{C}]",
    "W": r"[\p{P}\p{Z}\p{C}]",
    # Name characters of XML; letters, digits and the few punctuation marks names allow.
    "i": r"[\p{L}_:]",
    "I": r"[^\p{L}_:]",
    "c": r"[\p{L}\p{Nd}\p{Mn}\p{Mc}._:\-\u00B7]",
    "C": r"[^\p{L}\p{Nd}\p{Mn}\p{Mc}._:\-\u00B7]",
}
_WHITESPACE = " \t\n\r"
_META = frozenset(".\\?*+{}()[]|^$")


class _Translator:
    """A recursive-descent reader of one XSD pattern that writes the ``regex`` equivalent."""

    def __init__(self, pattern: str, dot_all: bool, multi_line: bool) -> None:
        self.pattern = pattern
        self.pos = 0
        self.dot_all = dot_all
        self.multi_line = multi_line
        self.groups_opened = 0
        self.groups_closed: set[int] = set()
        self.open_groups: list[int] = []

    def error(self, message: str) -> FeelEvalError:
        return FeelEvalError(
            f"invalid regular expression {self.pattern!r} at position {self.pos}: {message}"
        )

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.pattern[index] if index < len(self.pattern) else ""

    def translate(self) -> str:
        out: list[str] = []
        while self.pos < len(self.pattern):
            out.append(self.atom())
        if self.open_groups:
            raise self.error("unclosed group")
        return "".join(out)

    def atom(self) -> str:
        char = self.peek()
        self.pos += 1
        if char == "\\":
            return self.escape_outside_class()
        if char == "[":
            return self.character_class()
        if char == "(":
            if self.peek() == "?":
                if self.peek(1) != ":":
                    raise self.error("lookaround and inline options are not allowed")
                self.pos += 2
                self.open_groups.append(0)
                return "(?:"
            self.groups_opened += 1
            self.open_groups.append(self.groups_opened)
            return "("
        if char == ")":
            if not self.open_groups:
                raise self.error("unbalanced ')'")
            number = self.open_groups.pop()
            if number:
                self.groups_closed.add(number)
            return ")"
        if char == ".":
            return r"(?s:.)" if self.dot_all else r"[^\n\r]"
        if char == "$":
            # Without "m", "$" is the end of the input only, not also before a final newline.
            return "$" if self.multi_line else r"\Z"
        if char in "*+?":
            return char + self.lazy_suffix()
        if char == "{":
            return self.quantifier()
        if char in "]}":
            raise self.error(f"unescaped {char!r}")
        if char in "^|":
            return char
        return regex.escape(char)

    def lazy_suffix(self) -> str:
        if self.peek() == "?":
            self.pos += 1
            return "?"
        if self.peek() in ("*", "+") or (self.peek() == "{"):
            raise self.error("a quantifier cannot follow another quantifier")
        return ""

    def quantifier(self) -> str:
        end = self.pattern.find("}", self.pos)
        if end < 0:
            raise self.error("unclosed quantifier")
        body = self.pattern[self.pos : end]
        low, _, high = body.partition(",")
        valid = low.isdigit() and (high == "" or high.isdigit())
        if not valid or (high and int(high) < int(low)):
            raise self.error(f"invalid quantifier {{{body}}}")
        self.pos = end + 1
        return "{" + body + "}" + self.lazy_suffix()

    def property_escape(self, negated: bool) -> str:
        if self.peek() != "{":
            raise self.error("expected '{' after \\p")
        end = self.pattern.find("}", self.pos)
        if end < 0:
            raise self.error("unclosed \\p{...}")
        name = self.pattern[self.pos + 1 : end]
        self.pos = end + 1
        letter = "P" if negated else "p"
        if name.startswith("Is"):
            block = name[2:]
            if not block or not all(c.isalnum() or c == "-" for c in block):
                raise self.error(f"invalid block name {name!r}")
            translated = f"\\{letter}{{Block={block}}}"
        elif name and name.isalpha() and len(name) <= 2:
            translated = f"\\{letter}{{{name}}}"
        else:
            raise self.error(f"unknown character property {name!r}")
        try:
            regex.compile(translated, regex.V1)
        except regex.error:
            raise self.error(f"unknown character property {name!r}") from None
        return translated

    def escape_outside_class(self) -> str:
        char = self.peek()
        if char.isdigit():
            return self.back_reference()
        return self.escape()

    def back_reference(self) -> str:
        if self.peek() == "0":
            raise self.error("\\0 is not a valid back-reference")
        digits = self.peek()
        self.pos += 1
        # Further digits belong to the number only while that group exists.
        while self.peek().isdigit() and int(digits + self.peek()) <= self.groups_opened:
            digits += self.peek()
            self.pos += 1
        number = int(digits)
        if number not in self.groups_closed:
            raise self.error(f"back-reference \\{number} to a group not closed before it")
        return f"(?:\\g<{number}>)"

    def escape(self) -> str:
        char = self.peek()
        if not char:
            raise self.error("pattern ends with a backslash")
        self.pos += 1
        if char in ("p", "P"):
            return self.property_escape(negated=char == "P")
        if char in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[char]
        if char in _CONTROL_ESCAPES:
            return regex.escape(_CONTROL_ESCAPES[char])
        if char in _SINGLE_ESCAPES:
            return "\\" + char
        raise self.error(f"unknown escape \\{char}")

    def class_char(self) -> tuple[str, str | None]:
        """One item of a character class: (translated, literal char or None if a set)."""
        char = self.peek()
        if char == "\\":
            self.pos += 1
            following = self.peek()
            if following.isdigit():
                raise self.error("back-references are not allowed in a character class")
            if following in _CONTROL_ESCAPES:
                self.pos += 1
                literal = _CONTROL_ESCAPES[following]
                return regex.escape(literal), literal
            if following in _SINGLE_ESCAPES:
                self.pos += 1
                return "\\" + following, following
            return self.escape(), None
        if char == "[":
            raise self.error("unescaped '[' in a character class")
        self.pos += 1
        return (char if char.isalnum() else "\\" + char), char

    def character_class(self) -> str:
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        items: list[str] = []
        subtraction = ""
        first = True
        while True:
            char = self.peek()
            if not char:
                raise self.error("unclosed character class")
            if char == "]" and not first:
                self.pos += 1
                break
            if char == "-" and self.peek(1) == "[":
                if first:
                    raise self.error("nothing to subtract from")
                self.pos += 2
                subtraction = self.character_class()
                if self.peek() != "]":
                    raise self.error("a class subtraction must end the class")
                self.pos += 1
                break
            if char == "-" and not first and self.peek(1) != "]":
                raise self.error("'-' must be escaped inside a character class")
            translated, literal = self.class_char()
            first = False
            if literal is not None and self.peek() == "-" and self.peek(1) not in ("]", "["):
                self.pos += 1
                end_translated, end_literal = self.class_char()
                if end_literal is None or ord(end_literal) < ord(literal):
                    raise self.error("invalid character range")
                items.append(f"{translated}-{end_translated}")
            else:
                items.append(translated)
        body = "".join(items)
        positive = f"[^{body}]" if negated else f"[{body}]"
        if subtraction:
            return f"[{positive}--{subtraction}]"
        return positive


def _strip_whitespace(pattern: str) -> str:
    """The ``x`` flag: whitespace goes, except inside character classes."""
    out: list[str] = []
    depth = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern) and depth:
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        if char in _WHITESPACE and not depth:
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, flags: str = "") -> regex.Pattern[str]:
    """Compile an XPath regular expression with XPath flags (``s m i x q``)."""
    unknown = set(flags) - _VALID_FLAGS
    if unknown:
        raise FeelEvalError(f"unknown regular expression flag(s): {''.join(sorted(unknown))}")
    bits = regex.V1
    for flag in flags:
        bits |= _FLAG_BITS.get(flag, 0)
    # XPath compares case-insensitively character by character (simple case folding), so
    # the module's full case folding ("ß" matching "ss") is switched off.
    simple_folding = "(?-f)" if "i" in flags else ""
    if "q" in flags:
        return regex.compile(simple_folding + regex.escape(pattern), bits)
    source = _strip_whitespace(pattern) if "x" in flags else pattern
    translated = _Translator(source, "s" in flags, "m" in flags).translate()
    try:
        return regex.compile(simple_folding + translated, bits)
    except regex.error as exc:
        raise FeelEvalError(f"invalid regular expression {pattern!r}: {exc}") from None


def expand_replacement(template: str, match: regex.Match[str], literal: bool) -> str:
    """The XPath replacement string: ``$N`` is group N, ``\\$`` and ``\\\\`` are escapes."""
    if literal:
        return template
    out: list[str] = []
    index = 0
    groups = len(match.groups())
    while index < len(template):
        char = template[index]
        if char == "\\":
            following = template[index + 1 : index + 2]
            if following not in ("\\", "$"):
                raise FeelEvalError(f"invalid replacement {template!r}: lone backslash")
            out.append(following)
            index += 2
        elif char == "$":
            digits = ""
            index += 1
            while index < len(template) and template[index].isdigit():
                if digits and int(digits + template[index]) > groups:
                    break
                digits += template[index]
                index += 1
            if not digits:
                raise FeelEvalError(f"invalid replacement {template!r}: '$' without a number")
            number = int(digits)
            out.append((match.group(number) or "") if number <= groups else "")
        else:
            out.append(char)
            index += 1
    return "".join(out)
