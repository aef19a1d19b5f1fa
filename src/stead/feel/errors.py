"""The error raised when a FEEL text cannot be parsed."""

from __future__ import annotations

__all__ = ["FeelSyntaxError", "line_and_column"]


def line_and_column(source: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in ``source``."""
    offset = max(0, min(offset, len(source)))
    line = source.count("\n", 0, offset) + 1
    line_start = source.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


class FeelSyntaxError(ValueError):
    """A FEEL text that is not valid: says where (line, column) and what was expected there."""

    def __init__(self, problem: str, *, source: str, offset: int, expected: str = "") -> None:
        self.problem = problem
        self.source = source
        self.offset = offset
        self.expected = expected
        self.line, self.column = line_and_column(source, offset)
        message = f"line {self.line}, column {self.column}: {problem}"
        if expected:
            message += f"; expected {expected}"
        super().__init__(message + "\n" + _pointer(source, offset))


def _pointer(source: str, offset: int) -> str:
    """The offending line of ``source`` with a caret under the column."""
    offset = max(0, min(offset, len(source)))
    start = source.rfind("\n", 0, offset) + 1
    end = source.find("\n", offset)
    line = source[start : end if end >= 0 else len(source)]
    if len(line) > 120:
        # Keep the message readable for long one-line expressions: a window around the column.
        cut = max(0, offset - start - 60)
        line = line[cut : cut + 120]
        start += cut
    return f"  {line}\n  {' ' * (offset - start)}^"
