"""``for ... return`` loops and ``some``/``every ... satisfies`` quantifiers."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from stead.feel import limits
from stead.feel import nodes as n
from stead.feel.compiler import Compiler, check_size, handles
from stead.feel.scope import EvaluationAborted, Evaluator, Scope
from stead.feel.values import Range, type_name

__all__ = ["integer_range"]

Domain = Callable[[Scope], Iterable[Any] | None]


def _date_range(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    days = (end - start).days
    if abs(days) >= limits.MAX_COLLECTION_SIZE:
        raise EvaluationAborted(
            f"the range of dates has more than {limits.MAX_COLLECTION_SIZE} days"
        )
    step = 1 if days >= 0 else -1
    return (start + dt.timedelta(days=i) for i in range(0, days + step, step))


def integer_range(start: Any, end: Any) -> Iterator[Any] | None:
    """``start..end`` by one (integers) or one day (dates), up or down; None otherwise."""
    if type(start) is dt.date and type(end) is dt.date:
        return _date_range(start, end)
    if not (isinstance(start, decimal.Decimal) and isinstance(end, decimal.Decimal)):
        return None
    if start != start.to_integral_value() or end != end.to_integral_value():
        return None
    first, last = int(start), int(end)
    if abs(last - first) >= limits.MAX_COLLECTION_SIZE:
        raise EvaluationAborted(
            f"the range {first}..{last} has more than {limits.MAX_COLLECTION_SIZE} elements"
        )
    step = 1 if last >= first else -1
    return (decimal.Decimal(i) for i in range(first, last + step, step))


def _range_elements(value: Range) -> Iterator[Any] | None:
    """The integers (or days) of a bounded range, for ``for i in [1..3]``; None if invalid."""
    start, end = value.start, value.end
    if isinstance(start, decimal.Decimal) and isinstance(end, decimal.Decimal):
        one: Any = decimal.Decimal(1)
    elif type(start) is dt.date and type(end) is dt.date:
        one = dt.timedelta(days=1)
    else:
        return None
    if start > end:
        return None  # a descending range such as [2..1] is not a valid domain
    if not value.start_included:
        start += one
    if not value.end_included:
        end -= one
    if start > end:
        return iter(())
    return integer_range(start, end)


def _domain(compiler: Compiler, iteration: n.Iteration) -> Domain:
    where = compiler.where(iteration)
    domain_of = compiler.compile(iteration.domain)
    if iteration.end is not None:
        end_of = compiler.compile(iteration.end)

        def counted(scope: Scope) -> Iterable[Any] | None:
            start, end = domain_of(scope), end_of(scope)
            numbers = integer_range(start, end)
            if numbers is None:
                scope.state.warn(
                    where, f"'..' needs two integers, got {type_name(start)} and {type_name(end)}"
                )
            return numbers

        return counted

    def listed(scope: Scope) -> Iterable[Any] | None:
        value = domain_of(scope)
        if isinstance(value, list):
            return value
        if isinstance(value, Range):
            numbers = _range_elements(value)
            if numbers is None:
                scope.state.warn(
                    where, "only an ascending range of integers or dates can be iterated"
                )
            return numbers
        # A single value is a list of one (DMN singleton rule); null iterates nothing.
        return () if value is None else (value,)

    return listed


def _bindings(
    iterations: list[tuple[str, Domain]], scope: Scope, extra: dict[str, Any] | None
) -> Iterator[Scope] | None:
    """Every combination of loop variables, as a scope; None if a domain is invalid."""
    if not iterations:
        return None

    def combine(level: int, outer: Scope) -> Iterator[Scope]:
        name, domain_of = iterations[level]
        domain = domain_of(outer)
        if domain is None:
            raise _InvalidDomain
        last = level == len(iterations) - 1
        for item in domain:
            outer.state.spend()
            variables = {name: item}
            if last and extra is not None:
                variables.update(extra)
            inner = Scope(variables, outer, outer.state)
            if last:
                yield inner
            else:
                yield from combine(level + 1, inner)

    return combine(0, scope)


class _InvalidDomain(Exception):
    """A loop domain was not iterable; the loop yields null."""


@handles(n.For)
def _for(compiler: Compiler, node: n.For) -> Evaluator:
    iterations = [(it.name, _domain(compiler, it)) for it in node.iterations]
    body = compiler.compile(node.body)
    if len(iterations) == 1:
        return _single_for(iterations[0], body)

    def for_loop(scope: Scope) -> Any:
        results: list[Any] = []
        # "partial" names the results so far; the same list grows as the loop runs.
        partial = {"partial": results}
        bindings = _bindings(iterations, scope, partial)
        try:
            for inner in bindings or ():
                results.append(body(inner))
                check_size(len(results))
        except _InvalidDomain:
            return None
        return results

    return for_loop


def _single_for(iteration: tuple[str, Domain], body: Evaluator) -> Evaluator:
    """The common loop over one domain, without the machinery for combinations."""
    name, domain_of = iteration

    def for_loop(scope: Scope) -> Any:
        domain = domain_of(scope)
        if domain is None:
            return None
        results: list[Any] = []
        state = scope.state
        for item in domain:
            state.spend()
            results.append(body(Scope({name: item, "partial": results}, scope, state)))
        check_size(len(results))
        return results

    return for_loop


@handles(n.Quantified)
def _quantified(compiler: Compiler, node: n.Quantified) -> Evaluator:
    iterations = [(it.name, _domain(compiler, it)) for it in node.iterations]
    condition = compiler.compile(node.condition)
    every = node.every

    def quantified(scope: Scope) -> Any:
        try:
            for inner in _bindings(iterations, scope, None) or ():
                satisfied = condition(inner) is True
                if satisfied is not every:
                    return satisfied
        except _InvalidDomain:
            return None
        return every

    return quantified
