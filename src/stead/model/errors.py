"""The error a model that cannot be deployed raises: every problem found, each naming its
element."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["ModelError", "Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a model cannot be deployed; ``element_id`` is None for document-wide problems
    (malformed XML, no executable process)."""

    element_id: str | None
    message: str
    line: int | None = field(default=None, compare=False)  # where the element starts

    def __str__(self) -> str:
        return self.message if self.element_id is None else f"{self.element_id}: {self.message}"


class ModelError(ValueError):
    """A BPMN document Stead refuses to deploy. ``problems`` lists everything found at once;
    ``str()`` gives one problem per line, each prefixed with ``source`` (and ``:line`` where
    the element's line in the file is known)."""

    def __init__(self, problems: Iterable[Problem], *, source: str = "<model>") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(_located(source, problem) for problem in self.problems))


def _located(source: str, problem: Problem) -> str:
    where = source if problem.line is None else f"{source}:{problem.line}"
    return f"{where}: {problem}"
