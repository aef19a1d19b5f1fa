"""What reading one BPMN document shares: the problems found so far, the document's messages and
errors, and checked conversion of attribute values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stead.model import timers
from stead.model.errors import Problem
from stead.model.expressions import FeelSyntaxError, compile_expression, describe_syntax_error
from stead.model.graph import Expression, MessageDefinition
from stead.model.xmldoc import XmlElement

__all__ = ["DocumentError", "ReadContext"]

# The plain variable names Stead accepts where a model names a variable to write.
_VARIABLE_PATH = re.compile(r"[^\s.=\[\]{}()\"',]+(?:\.[^\s.=\[\]{}()\"',]+)*")


@dataclass(frozen=True, slots=True)
class DocumentError:
    """A ``bpmn:error``: its id, name and code (static text or FEEL)."""

    id: str
    name: str | None
    code: Expression | None


@dataclass
class ReadContext:
    """Collects problems instead of stopping at the first, so one deploy reports them all."""

    problems: list[Problem] = field(default_factory=list)
    messages: dict[str, MessageDefinition] = field(default_factory=dict)
    errors: dict[str, DocumentError] = field(default_factory=dict)

    def problem(self, element_id: str | None, message: str) -> None:
        self.problems.append(Problem(element_id, message))

    def expression(
        self, text: str, *, element_id: str | None, attribute: str, feel: bool = False
    ) -> Expression | None:
        """``text`` compiled, or None after recording a problem. With ``feel`` the value must be
        an expression (start with ``=``), as for conditions and input collections."""
        if feel and not text.startswith("="):
            self.problem(
                element_id, f"{attribute} must be a FEEL expression starting with '=', got {text!r}"
            )
            return None
        if text.startswith("=") and not text[1:].strip():
            self.problem(element_id, f"{attribute} is an empty FEEL expression")
            return None
        try:
            return compile_expression(text)
        except FeelSyntaxError as error:
            self.problem(
                element_id, f"{attribute} is not valid FEEL: {describe_syntax_error(error)}"
            )
            return None

    def optional_expression(
        self, xml: XmlElement, name: str, *, element_id: str, attribute: str, feel: bool = False
    ) -> Expression | None:
        """The attribute ``name`` of ``xml`` compiled, None when it is absent or empty."""
        text = (xml.get(name) or "").strip()
        if not text:
            return None
        return self.expression(text, element_id=element_id, attribute=attribute, feel=feel)

    def static_date(self, value: Expression | None, *, element_id: str, attribute: str) -> None:
        """Checks that a static date value parses; FEEL values are checked when evaluated."""
        if value is not None and value.is_static:
            try:
                timers.parse_date(value.source)
            except timers.TimerValueError as error:
                self.problem(element_id, f"{attribute}: {error}")

    def boolean(self, xml: XmlElement, name: str, *, default: bool, element_id: str) -> bool:
        text = xml.get(name)
        if text is None or not text.strip():
            return default
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        self.problem(element_id, f"{name} must be true or false, got {text!r}")
        return default

    def variable_name(
        self, xml: XmlElement, name: str, *, element_id: str, attribute: str, required: bool
    ) -> str | None:
        """A variable name (or dotted path) attribute; None when absent (a problem if
        ``required``) or invalid."""
        text = (xml.get(name) or "").strip()
        if not text:
            if required:
                self.problem(element_id, f"{attribute} is missing")
            return None
        if not _VARIABLE_PATH.fullmatch(text):
            self.problem(element_id, f"{attribute} {text!r} is not a variable name")
            return None
        return text
