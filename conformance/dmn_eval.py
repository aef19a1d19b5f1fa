"""Evaluating a DMN model's decisions, BKMs and decision services with ``stead.feel``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conformance.dmn_functions import (
    DefinedFunction,
    ExternalFunction,
    KnowledgeModelFunction,
    ServiceFunction,
)
from conformance.dmn_model import (
    BoxedContext,
    BoxedExpression,
    BoxedFunction,
    BoxedInvocation,
    BoxedList,
    BoxedRelation,
    BusinessKnowledgeModel,
    Decision,
    DecisionService,
    LiteralExpression,
    UnsupportedExpression,
)
from conformance.dmn_types import CoercionError
from conformance.feel_compiler import PreparedModel
from stead.feel.java_methods import java_method
from stead.feel.values import FeelEvalError, FeelFunction

__all__ = ["ModelEvaluator", "UnsupportedModelError"]


class UnsupportedModelError(Exception):
    """The model uses something the runner cannot evaluate (reported as an error)."""


class ModelEvaluator:
    """Evaluates one model for one set of inputs; decision values are computed once."""

    def __init__(
        self,
        prepared: PreparedModel,
        inputs: Mapping[str, Any],
        decision_values: Mapping[str, Any] | None = None,
    ) -> None:
        self.prepared = prepared
        self.model = prepared.model
        self.types = prepared.types
        self.warnings: list[str] = []
        self._values: dict[str, Any] = dict(decision_values or {})
        self._in_progress: set[str] = set()
        self._knowledge: dict[str, FeelFunction] = {}
        self._inputs = self._coerce_inputs(inputs)
        for name, value in inputs.items():
            # A test may supply a decision's value as an input; the decision is then not run.
            decision = self.model.decision_named(name)
            if decision is not None:
                self._values.setdefault(decision.id, value)

    def _coerce_inputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        declared = {data.name: data for data in self.model.inputs.values()}
        coerced = {}
        for name, value in inputs.items():
            data = declared.get(name)
            coerced[name] = value if data is None else self.coerce(value, data.type_ref, name)
        return coerced

    def coerce(self, value: Any, type_ref: str | None, what: str) -> Any:
        """The value converted to the declared type, or null (with a warning) if it does not fit."""
        try:
            return self.types.coerce(value, type_ref)
        except CoercionError as exc:
            self.warnings.append(f"{what}: {exc}")
            return None

    # Decisions

    def decision_value(self, name: str) -> Any:
        """The value of the named decision."""
        decision = self.model.decision_named(name)
        if decision is None:
            raise UnsupportedModelError(f"the model has no decision named {name!r}")
        return self._decision(decision.id)

    def _decision(self, decision_id: str) -> Any:
        if decision_id in self._values:
            return self._values[decision_id]
        decision = self.model.decisions.get(decision_id)
        if decision is None:
            raise UnsupportedModelError(f"no decision with id {decision_id!r}")
        if decision_id in self._in_progress:
            raise UnsupportedModelError(f"decision {decision.name!r} requires itself")
        self._in_progress.add(decision_id)
        try:
            value = self._evaluate_decision(decision)
        finally:
            self._in_progress.discard(decision_id)
        self._values[decision_id] = value
        return value

    def _evaluate_decision(self, decision: Decision) -> Any:
        if decision.expression is None:
            raise UnsupportedModelError(f"decision {decision.name!r} has no expression")
        scope = dict(self._inputs)
        for required in decision.required_decisions:
            other = self.model.decisions.get(required)
            if other is not None:
                scope[other.name] = self._decision(required)
        scope.update(self._knowledge_scope(decision.required_knowledge))
        value = self.evaluate(decision.expression, scope)
        return self.coerce(value, decision.type_ref, decision.name)

    # Knowledge: BKMs and decision services used as functions

    def _knowledge_scope(self, references: Sequence[str]) -> dict[str, FeelFunction]:
        scope: dict[str, FeelFunction] = {}
        for reference in references:
            function = self._knowledge_function(reference)
            if function is not None:
                scope[function.name] = function
        return scope

    def _knowledge_function(self, reference: str) -> FeelFunction | None:
        if reference not in self._knowledge:
            bkm = self.model.knowledge_models.get(reference)
            service = self.model.services.get(reference)
            if bkm is not None:
                self._knowledge[reference] = KnowledgeModelFunction(self, bkm)
            elif service is not None:
                self._knowledge[reference] = ServiceFunction(self, service)
            else:
                return None
        return self._knowledge[reference]

    def knowledge_scope_of(self, bkm: BusinessKnowledgeModel) -> dict[str, FeelFunction]:
        """The functions a BKM's logic can call: what it requires, and itself for recursion."""
        scope = self._knowledge_scope(bkm.required_knowledge)
        own = self._knowledge_function(bkm.id)
        if own is not None:
            scope.setdefault(own.name, own)
        return scope

    def run_service(self, service: DecisionService, inputs: Mapping[str, Any]) -> Any:
        """Invoke a decision service: a single output's value, or a context of all outputs."""
        input_decisions = {}
        data_inputs = {}
        for name, value in inputs.items():
            decision = self.model.decision_named(name)
            if decision is not None and decision.id in service.input_decisions:
                input_decisions[decision.id] = value
            else:
                data_inputs[name] = value
        inner = ModelEvaluator(self.prepared, data_inputs, input_decisions)
        outputs = {}
        for output_id in service.output_decisions:
            decision = self.model.decisions.get(output_id)
            if decision is not None:
                outputs[decision.name] = inner._decision(output_id)
        self.warnings.extend(inner.warnings)
        result: Any = next(iter(outputs.values())) if len(outputs) == 1 else outputs
        output_type = self.types.function_output_type(service.type_ref)
        if output_type is None and not self.types.is_function_type(service.type_ref):
            output_type = service.type_ref
        return self.coerce(result, output_type, service.name)

    # Boxed expressions

    def evaluate(self, expression: BoxedExpression, scope: Mapping[str, Any]) -> Any:
        """The value of a boxed expression in the given scope, coerced to its typeRef."""
        value = self._evaluate_untyped(expression, scope)
        return self.coerce(value, expression.type_ref, "expression")

    def _evaluate_untyped(self, expression: BoxedExpression, scope: Mapping[str, Any]) -> Any:
        if isinstance(expression, LiteralExpression):
            return self.feel(expression.text, scope)
        if isinstance(expression, BoxedContext):
            return self._evaluate_context(expression, scope)
        if isinstance(expression, BoxedList):
            return [self.evaluate(item, scope) for item in expression.items]
        if isinstance(expression, BoxedRelation):
            return [
                dict(zip(expression.columns, (self.evaluate(c, scope) for c in row), strict=False))
                for row in expression.rows
            ]
        if isinstance(expression, BoxedInvocation):
            return self._evaluate_invocation(expression, scope)
        if isinstance(expression, BoxedFunction):
            if expression.kind.upper() != "FEEL":
                return self._external_function(expression, scope)
            return DefinedFunction(self, expression.parameters, expression.body, scope)
        if isinstance(expression, UnsupportedExpression):
            raise UnsupportedModelError(f"boxed {expression.tag} is not supported by the runner")
        raise UnsupportedModelError(f"unknown expression {expression!r}")

    def _external_function(self, expression: BoxedFunction, scope: Mapping[str, Any]) -> Any:
        """A boxed Java function bound to an allowlisted method; any other kind errs on call."""
        if expression.kind.upper() == "JAVA" and expression.body is not None:
            described = self.evaluate(expression.body, scope)
            if isinstance(described, dict):
                names = tuple(p.name for p in expression.parameters)
                try:
                    return java_method(
                        described.get("class"), described.get("method signature"), names
                    )
                except FeelEvalError:
                    pass
        return ExternalFunction(expression.kind)

    def _evaluate_context(self, expression: BoxedContext, scope: Mapping[str, Any]) -> Any:
        local = dict(scope)
        entries: dict[str, Any] = {}
        for entry in expression.entries:
            value = self.evaluate(entry.expression, local)
            value = self.coerce(value, entry.type_ref, entry.name or "context result")
            if entry.name is None:
                return value  # the final-result entry
            entries[entry.name] = value
            local[entry.name] = value
        return entries

    def _evaluate_invocation(self, expression: BoxedInvocation, scope: Mapping[str, Any]) -> Any:
        function = self.evaluate(expression.function, scope)
        if not isinstance(function, FeelFunction):
            self.warnings.append("invocation of a value that is not a function")
            return None
        arguments = {
            name: None if body is None else self.evaluate(body, scope)
            for name, body in expression.bindings
        }
        try:
            return function.invoke_named(arguments)
        except FeelEvalError as exc:
            self.warnings.append(str(exc))
            return None

    def feel(self, text: str, scope: Mapping[str, Any]) -> Any:
        """Evaluate a FEEL text; a syntax error gives null with a warning, as FEEL errors do."""
        compiled = self.prepared.compiler.compile(text, names=_special_names(scope))
        if isinstance(compiled, Exception):
            self.warnings.append(f"syntax error: {compiled}")
            return None
        result = compiled.evaluate(scope)
        self.warnings.extend(result.warnings)
        return result.value


def _special_names(scope: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(key for key in scope if not key.replace("_", "a").isalnum()))
