"""Adapters giving Stead's FEEL and each peer one shape: compile a text, then evaluate it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workloads import Workload

# A compiled expression bound to its input: calling it evaluates once and returns the value.
Evaluation = Callable[[], Any]


@dataclass(frozen=True)
class Engine:
    """A named expression engine; ``prepare`` compiles a workload's text ahead of timing."""

    name: str
    prepare: Callable[[Workload], Evaluation | None]


def _stead(workload: Workload) -> Evaluation:
    import stead.feel

    compiled = stead.feel.compile(workload.feel)
    context = workload.context

    def evaluate() -> Any:
        return compiled.evaluate(context).value

    return evaluate


def _jsonata(workload: Workload) -> Evaluation | None:
    if workload.jsonata is None:
        return None
    import jsonata

    compiled = jsonata.Jsonata(workload.jsonata)
    context = workload.context
    return lambda: compiled.evaluate(context)


def _cel_python(workload: Workload) -> Evaluation | None:
    if workload.cel is None:
        return None
    import celpy

    environment = celpy.Environment()
    program = environment.program(environment.compile(workload.cel))
    # cel-python evaluates its own value types; the input is converted once, ahead of timing.
    activation = {name: celpy.json_to_cel(value) for name, value in workload.context.items()}
    return lambda: program.evaluate(activation)


def _cel_rust(workload: Workload) -> Evaluation | None:
    if workload.cel is None:
        return None
    import cel

    program = cel.compile(workload.cel)
    context = workload.context
    return lambda: program.execute(context)


STEAD = Engine("stead", _stead)
PEERS = [
    Engine("jsonata-python", _jsonata),
    Engine("cel-python", _cel_python),
    Engine("common-expression-language", _cel_rust),
]
