"""User-defined functions (``function(a, b) a + b``) and function invocation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stead.feel import limits
from stead.feel import nodes as n
from stead.feel.compiler import Compiler, builtin_functions, handles
from stead.feel.java_methods import java_method_from_context
from stead.feel.scope import MISSING, EvaluationAborted, Evaluator, Scope, State
from stead.feel.types import TypeTest
from stead.feel.values import FeelEvalError, FeelFunction, type_name

__all__ = ["UserFunction"]


class UserFunction(FeelFunction):
    """A function defined in FEEL; it sees the names in scope where it was defined."""

    def __init__(
        self,
        parameters: tuple[str, ...],
        types: tuple[TypeTest | None, ...],
        body: Evaluator,
        scope: Scope,
    ) -> None:
        self.parameters = parameters
        self.names = parameters  # the same tuple, typed as never None
        self.types = types
        self.body = body
        self.scope = scope

    def __repr__(self) -> str:
        return f"<FEEL function({', '.join(self.names)})>"

    def call(self, args: Sequence[Any], state: State) -> Any:
        """Run the body with ``args`` bound, counting work against ``state``."""
        if len(args) != len(self.names):
            raise FeelEvalError(
                f"the function takes {len(self.names)} argument(s), got {len(args)}"
            )
        for name, test, arg in zip(self.names, self.types, args, strict=True):
            if test is not None and arg is not None and not test(arg):
                raise FeelEvalError(f"argument '{name}' is not of the declared type")
        state.spend()
        if state.depth >= limits.MAX_CALL_DEPTH:
            raise EvaluationAborted(
                f"functions called each other more than {limits.MAX_CALL_DEPTH} levels deep"
            )
        state.depth += 1
        try:
            scope = Scope(dict(zip(self.names, args, strict=True)), self.scope, state)
            return self.body(scope)
        finally:
            state.depth -= 1

    def invoke(self, args: Sequence[Any]) -> Any:
        return self.call(args, self.scope.state)

    def invoke_named(self, args: Mapping[str, Any]) -> Any:
        return self.call(named_to_positional(self.names, args), self.scope.state)


def named_to_positional(parameters: Sequence[str], args: Mapping[str, Any]) -> list[Any]:
    """Arrange named arguments in parameter order; absent ones are null."""
    unknown = [name for name in args if name not in parameters]
    if unknown:
        raise FeelEvalError(f"no parameter named '{unknown[0]}'")
    return [args.get(name) for name in parameters]


@handles(n.FunctionDefinition)
def _function_definition(compiler: Compiler, node: n.FunctionDefinition) -> Evaluator:
    where = compiler.where(node)
    names = tuple(name for name, _ in node.parameters)
    if node.external:
        # Only allowlisted java.lang methods are bound; nothing is loaded or reflected on.
        description = compiler.compile(node.body)

        def external(scope: Scope) -> Any:
            try:
                return java_method_from_context(description(scope), names)
            except FeelEvalError as error:
                scope.state.warn(where, str(error))
                return None

        return external
    types = tuple(compiler.type_test(t) if t is not None else None for _, t in node.parameters)
    if len(set(names)) != len(names):
        return _refuse(where, "a function has two parameters with the same name")
    body = compiler.compile(node.body)
    return lambda scope: UserFunction(names, types, body, scope)


def _refuse(where: str, message: str) -> Evaluator:
    def refused(scope: Scope) -> Any:
        scope.state.warn(where, message)

    return refused


# What the callee evaluates to when no function has the name (a warning was recorded).
_NOT_FOUND: Any = object()


def _negate(value: Any) -> Any:
    """FEEL ``not(x)`` when no built-in of that name exists yet."""
    return (not value) if isinstance(value, bool) else None


def _callee(compiler: Compiler, node: n.Node) -> Evaluator:
    """Evaluates the function being invoked; names also find the built-ins."""
    if not isinstance(node, n.Name) or node.name == "?":
        return compiler.compile(node)
    name = node.name
    where = compiler.where(node)
    builtins = builtin_functions()

    def find(scope: Scope) -> Any:
        value = scope.lookup(name)
        if value is MISSING:
            value = builtins.get(name, MISSING)
        if value is MISSING:
            if name == "not":
                return _negate
            scope.state.warn(where, f"no function named '{name}'")
            return _NOT_FOUND
        return value

    return find


def _call(scope: Scope, function: Any, args: Any, named: bool, where: str) -> Any:
    if function is _NOT_FOUND:
        return None  # already reported by name
    if function is None:
        scope.state.warn(where, "cannot invoke null: it is not a function")
        return None
    if function is _negate:
        values = list(args.values()) if named else args
        return _negate(values[0]) if len(values) == 1 else None
    if not isinstance(function, FeelFunction):
        scope.state.warn(where, f"cannot invoke a {type_name(function)}: it is not a function")
        return None
    try:
        if isinstance(function, UserFunction):
            if named:
                args = named_to_positional(function.names, args)
            return function.call(args, scope.state)
        return function.invoke_named(args) if named else function.invoke(args)
    except FeelEvalError as error:
        scope.state.warn(where, f"{function.name}: {error}")
    except (EvaluationAborted, RecursionError):
        raise
    except Exception as error:  # a defect in a built-in must not escape the evaluation
        scope.state.warn(where, f"{function.name} failed: {type(error).__name__}: {error}")
    return None


@handles(n.Invocation)
def _invocation(compiler: Compiler, node: n.Invocation) -> Evaluator:
    function_of = _callee(compiler, node.function)
    args_of = [compiler.compile(arg) for arg in node.arguments]
    where = compiler.where(node)

    def invocation(scope: Scope) -> Any:
        function = function_of(scope)
        return _call(scope, function, [arg(scope) for arg in args_of], False, where)

    return invocation


@handles(n.NamedInvocation)
def _named_invocation(compiler: Compiler, node: n.NamedInvocation) -> Evaluator:
    function_of = _callee(compiler, node.function)
    args_of = [(name, compiler.compile(arg)) for name, arg in node.arguments]
    where = compiler.where(node)
    if len({name for name, _ in args_of}) != len(args_of):
        return _refuse(where, "an argument is named twice")

    def invocation(scope: Scope) -> Any:
        function = function_of(scope)
        args = {name: arg(scope) for name, arg in args_of}
        return _call(scope, function, args, True, where)

    return invocation
