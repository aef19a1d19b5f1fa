"""FEEL function values of a DMN model: boxed functions, BKMs and decision services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from conformance.dmn_model import (
    BoxedExpression,
    BusinessKnowledgeModel,
    DecisionService,
    FormalParameter,
)
from conformance.dmn_types import CoercionError
from stead.feel.values import FeelEvalError, FeelFunction

if TYPE_CHECKING:
    from conformance.dmn_eval import ModelEvaluator

__all__ = ["DefinedFunction", "ExternalFunction", "KnowledgeModelFunction", "ServiceFunction"]


class DefinedFunction(FeelFunction):
    """A boxed function definition, closed over the scope it was defined in."""

    def __init__(
        self,
        evaluator: ModelEvaluator,
        parameters: Sequence[FormalParameter],
        body: BoxedExpression | None,
        closure: Mapping[str, Any],
        name: str = "anonymous function",
        output_type: str | None = None,
    ) -> None:
        self.name = name
        self._names = tuple(p.name for p in parameters)
        self.parameters = self._names
        self._formal = tuple(parameters)
        self._evaluator = evaluator
        self._body = body
        self._closure = closure
        self._output_type = output_type

    def invoke(self, args: Sequence[Any]) -> Any:
        """Call with positional arguments."""
        if len(args) != len(self._formal):
            raise FeelEvalError(
                f"{self.name} takes {len(self._formal)} arguments, {len(args)} given"
            )
        return self._call(dict(zip(self._names, args, strict=True)))

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        """Call with named arguments; an unknown name is an error, a missing one is null."""
        unknown = set(args) - set(self._names)
        if unknown:
            raise FeelEvalError(f"{self.name} has no parameter {sorted(unknown)[0]!r}")
        return self._call({name: args.get(name) for name in self._names})

    def _call(self, arguments: dict[str, Any]) -> Any:
        types = self._evaluator.types
        for parameter in self._formal:
            try:
                arguments[parameter.name] = types.coerce(
                    arguments[parameter.name], parameter.type_ref
                )
            except CoercionError as exc:
                raise FeelEvalError(f"{self.name}, parameter {parameter.name}: {exc}") from exc
        if self._body is None:
            return None
        scope = {**self._scope(), **arguments}
        value = self._evaluator.evaluate(self._body, scope)
        try:
            return types.coerce(value, self._output_type)
        except CoercionError as exc:
            raise FeelEvalError(f"{self.name} result: {exc}") from exc

    def _scope(self) -> Mapping[str, Any]:
        return self._closure


class KnowledgeModelFunction(DefinedFunction):
    """A business knowledge model invoked as a function."""

    def __init__(self, evaluator: ModelEvaluator, bkm: BusinessKnowledgeModel) -> None:
        types = evaluator.types
        output = types.function_output_type(bkm.type_ref)
        if output is None and not types.is_function_type(bkm.type_ref):
            output = bkm.type_ref
        super().__init__(evaluator, bkm.parameters, bkm.body, {}, bkm.name, output)
        self._bkm = bkm
        self._body_type = bkm.body_type_ref

    def _call(self, arguments: dict[str, Any]) -> Any:
        value = super()._call(arguments)
        try:
            return self._evaluator.types.coerce(value, self._body_type)
        except CoercionError as exc:
            raise FeelEvalError(f"{self.name} result: {exc}") from exc

    def _scope(self) -> Mapping[str, Any]:
        # Resolved at call time so that BKMs may call each other (or themselves).
        return self._evaluator.knowledge_scope_of(self._bkm)


class ServiceFunction(FeelFunction):
    """A decision service invoked as a function: its inputs are its parameters."""

    def __init__(self, evaluator: ModelEvaluator, service: DecisionService) -> None:
        model = evaluator.model
        names = [model.decisions[i].name for i in service.input_decisions if i in model.decisions]
        names += [model.inputs[i].name for i in service.input_data if i in model.inputs]
        self.name = service.name
        self.parameters = tuple(names)
        self._evaluator = evaluator
        self._service = service

    def invoke(self, args: Sequence[Any]) -> Any:
        """Call with positional arguments, in the order of the service's inputs."""
        assert self.parameters is not None
        if len(args) != len(self.parameters):
            raise FeelEvalError(
                f"{self.name} takes {len(self.parameters)} arguments, {len(args)} given"
            )
        return self._evaluator.run_service(
            self._service, dict(zip(self.parameters, args, strict=True))
        )

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        """Call with arguments named after the service's inputs."""
        assert self.parameters is not None
        unknown = set(args) - set(self.parameters)
        if unknown:
            raise FeelEvalError(f"{self.name} has no input {sorted(unknown)[0]!r}")
        return self._evaluator.run_service(self._service, dict(args))


class ExternalFunction(FeelFunction):
    """A Java or PMML function definition: Stead runs FEEL only, so every call is an error."""

    def __init__(self, kind: str) -> None:
        self.name = f"{kind} function"
        self.parameters = None
        self._kind = kind

    def invoke(self, args: Sequence[Any]) -> Any:
        """Always an error: external functions are not evaluated."""
        raise FeelEvalError(f"external {self._kind} functions are not supported")

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        """Always an error: external functions are not evaluated."""
        raise FeelEvalError(f"external {self._kind} functions are not supported")
