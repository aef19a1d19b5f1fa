"""Mapping a connector's output into process variables (``resultVariable``,
``resultExpression``) and into BPMN errors (``errorExpression`` with ``bpmnError``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from stead.connectors.api import JsonObject, PermanentError
from stead.feel import FeelSyntaxError, evaluate, from_json, to_json
from stead.feel.values import FeelFunction

__all__ = [
    "ERROR_EXPRESSION",
    "RESULT_EXPRESSION",
    "RESULT_VARIABLE",
    "ThrownError",
    "error_outcome",
    "result_variables",
]

RESULT_VARIABLE = "resultVariable"
RESULT_EXPRESSION = "resultExpression"
ERROR_EXPRESSION = "errorExpression"

# The key that marks a context made by bpmnError(): a plain context with "code" in it is data.
_MARK = "@stead:bpmnError"


@dataclass(frozen=True, slots=True)
class ThrownError:
    """What ``bpmnError(code, message[, variables])`` asked for."""

    code: str
    message: str
    variables: JsonObject = field(default_factory=dict)


class _BpmnError(FeelFunction):
    """``bpmnError(code, message)``: available in ``errorExpression`` only."""

    name = "bpmnError"
    parameters = ("code", "message", "variables")

    def invoke(self, args: Sequence[Any]) -> Any:
        if not 1 <= len(args) <= 3:
            return None
        return self.invoke_named(dict(zip(self.parameters, args, strict=False)))

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        code = args.get("code")
        if not isinstance(code, str) or not code:
            return None
        message = args.get("message")
        variables = args.get("variables")
        return {
            _MARK: True,
            "code": code,
            "message": message if isinstance(message, str) else "",
            "variables": variables if isinstance(variables, dict) else {},
        }


_BPMN_ERROR = _BpmnError()


def _expression(headers: Mapping[str, str], key: str) -> str | None:
    text = headers.get(key, "").strip()
    if not text:
        return None
    # Written as FEEL with the modeler's leading "=", but a bare expression is accepted too.
    return text[1:] if text.startswith("=") else text


def _evaluate(key: str, source: str, context: Mapping[str, Any]) -> Any:
    try:
        result = evaluate(source, context)
    except FeelSyntaxError as error:
        raise PermanentError(f"task header {key!r}: {error}") from error
    return result.value


def result_variables(headers: Mapping[str, str], output: JsonObject) -> JsonObject:
    """The variables the output gives the process: the whole output under
    ``resultVariable``, merged with the context ``resultExpression`` gives. Nothing else."""
    variables: JsonObject = {}
    name = headers.get(RESULT_VARIABLE, "").strip()
    if name:
        variables[name] = output
    source = _expression(headers, RESULT_EXPRESSION)
    if source is not None:
        value = _evaluate(RESULT_EXPRESSION, source, from_json(output))
        if value is not None:
            mapped = to_json(value)
            if not isinstance(mapped, dict):
                raise PermanentError(
                    f"task header {RESULT_EXPRESSION!r} must give a context "
                    f"(like {{name: body.name}}), got {type(mapped).__name__}"
                )
            variables.update(mapped)
    return variables


def error_outcome(headers: Mapping[str, str], context: JsonObject) -> ThrownError | None:
    """The BPMN error ``errorExpression`` asks for over ``context`` (an output's fields, and
    ``error`` for a failed attempt), or None."""
    source = _expression(headers, ERROR_EXPRESSION)
    if source is None:
        return None
    scope = dict(from_json(context))
    scope["bpmnError"] = _BPMN_ERROR
    value = _evaluate(ERROR_EXPRESSION, source, scope)
    if not isinstance(value, dict) or value.get(_MARK) is not True:
        return None
    variables = to_json(value["variables"])
    return ThrownError(value["code"], value["message"], variables)
