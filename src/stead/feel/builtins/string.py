"""String functions: substring, case, search, regular expressions, split and join."""

from __future__ import annotations

import decimal
from typing import Any

from stead.feel.builtins.registry import (
    builtin,
    require_integer,
    require_list,
    require_string,
)
from stead.feel.builtins.xsd_regex import compile_pattern, expand_replacement
from stead.feel.values import FeelEvalError, type_name

__all__: list[str] = []

Number = decimal.Decimal

# A pathological pattern must not stall the engine: matching gives up after this long.
REGEX_TIMEOUT_SECONDS = 2.0


def _timed_out(function: str) -> FeelEvalError:
    return FeelEvalError(
        f"{function}: the regular expression took longer than {REGEX_TIMEOUT_SECONDS} s"
    )


def _flags(function: str, flags: Any) -> str:
    if flags is None:
        return ""
    return require_string(function, "flags", flags)


@builtin("substring", "string", "start position", "length?")
def substring(string: Any, start: Any, length: Any = None) -> str:
    text = require_string("substring", "string", string)
    position = require_integer("substring", "start position", start)
    if position == 0:
        raise FeelEvalError("substring: 'start position' must not be 0 (positions start at 1)")
    # Positions count from 1; a negative one counts back from the end.
    begin = position - 1 if position > 0 else max(len(text) + position, 0)
    if length is None:
        return text[begin:]
    count = require_integer("substring", "length", length)
    if count < 0:
        raise FeelEvalError("substring: 'length' must not be negative")
    return text[begin : begin + count]


@builtin("string length", "string")
def string_length(string: Any) -> Number:
    return Number(len(require_string("string length", "string", string)))


@builtin("upper case", "string")
def upper_case(string: Any) -> str:
    return require_string("upper case", "string", string).upper()


@builtin("lower case", "string")
def lower_case(string: Any) -> str:
    return require_string("lower case", "string", string).lower()


@builtin("substring before", "string", "match")
def substring_before(string: Any, match: Any) -> str:
    text = require_string("substring before", "string", string)
    needle = require_string("substring before", "match", match)
    index = text.find(needle)
    return text[:index] if index >= 0 else ""


@builtin("substring after", "string", "match")
def substring_after(string: Any, match: Any) -> str:
    text = require_string("substring after", "string", string)
    needle = require_string("substring after", "match", match)
    index = text.find(needle)
    return text[index + len(needle) :] if index >= 0 else ""


@builtin("contains", "string", "match")
def contains(string: Any, match: Any) -> bool:
    text = require_string("contains", "string", string)
    return require_string("contains", "match", match) in text


@builtin("starts with", "string", "match")
def starts_with(string: Any, match: Any) -> bool:
    text = require_string("starts with", "string", string)
    return text.startswith(require_string("starts with", "match", match))


@builtin("ends with", "string", "match")
def ends_with(string: Any, match: Any) -> bool:
    text = require_string("ends with", "string", string)
    return text.endswith(require_string("ends with", "match", match))


@builtin("matches", "input", "pattern", "flags?")
def matches(input: Any, pattern: Any, flags: Any = None) -> bool:
    text = require_string("matches", "input", input)
    compiled = compile_pattern(
        require_string("matches", "pattern", pattern), _flags("matches", flags)
    )
    try:
        return compiled.search(text, timeout=REGEX_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        raise _timed_out("matches") from None


@builtin("replace", "input", "pattern", "replacement", "flags?")
def replace(input: Any, pattern: Any, replacement: Any, flags: Any = None) -> str:
    text = require_string("replace", "input", input)
    flag_text = _flags("replace", flags)
    compiled = compile_pattern(require_string("replace", "pattern", pattern), flag_text)
    template = require_string("replace", "replacement", replacement)
    if compiled.fullmatch(""):
        raise FeelEvalError("replace: the pattern matches the empty string")
    literal = "q" in flag_text
    try:
        return compiled.sub(
            lambda m: expand_replacement(template, m, literal),
            text,
            timeout=REGEX_TIMEOUT_SECONDS,
        )
    except TimeoutError:
        raise _timed_out("replace") from None


@builtin("split", "string", "delimiter")
def split(string: Any, delimiter: Any) -> list[str]:
    text = require_string("split", "string", string)
    compiled = compile_pattern(require_string("split", "delimiter", delimiter))
    if compiled.fullmatch(""):
        raise FeelEvalError("split: the delimiter matches the empty string")
    parts: list[str] = []
    start = 0
    try:
        for found in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
            parts.append(text[start : found.start()])
            start = found.end()
    except TimeoutError:
        raise _timed_out("split") from None
    parts.append(text[start:])
    return parts


@builtin("extract", "string", "pattern")
def extract(string: Any, pattern: Any) -> list[str]:
    text = require_string("extract", "string", string)
    compiled = compile_pattern(require_string("extract", "pattern", pattern))
    try:
        return [found.group(0) for found in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS)]
    except TimeoutError:
        raise _timed_out("extract") from None


@builtin("string join", "list", "delimiter?")
def string_join(items: Any, delimiter: Any = None) -> str:
    values = require_list("string join", "list", items)
    separator = "" if delimiter is None else require_string("string join", "delimiter", delimiter)
    parts: list[str] = []
    for item in values:
        if item is None:
            continue  # nulls are left out of the joined string
        if not isinstance(item, str):
            raise FeelEvalError(f"string join: the list holds a {type_name(item)}, not a string")
        parts.append(item)
    return separator.join(parts)
