"""Multi-instance activities: a body instance that runs one inner instance per collection item.

The body evaluates ``inputCollection`` once, hosts the boundary events, and keeps
``outputCollection`` as its local variable (one slot per item, in input order) until it
completes and hands it to its flow scope. Each inner instance gets ``loopCounter`` and the
``inputElement`` as local variables; a plain variable named by ``outputElement`` is created
locally too, so that what a job returns under that name stays with its own iteration.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from stead.engine.entry import open_plans, plan_events
from stead.engine.expressions import StepFailed, evaluate_boolean, evaluate_json
from stead.engine.state import ElementInstance
from stead.engine.variables import Layered, set_local, visible_variables
from stead.model.graph import Element, MultiInstance

if TYPE_CHECKING:
    from stead.engine.run import Run

__all__ = ["activate_body", "after_inner", "body_output", "evaluate_inner"]

JsonObject = dict[str, Any]
_PLAIN_VARIABLE = re.compile(r"=?\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*\s*")


def _spec(element: Element) -> MultiInstance:
    assert element.multi_instance is not None
    return element.multi_instance


def activate_body(run: Run, body: ElementInstance, element: Element) -> None:
    spec = _spec(element)
    context = visible_variables(run.state, body)
    collection = evaluate_json(spec.input_collection, context, element.id, "input collection")
    if not isinstance(collection, list):
        raise StepFailed(
            "expression",
            f"Element '{element.id}': the input collection '{spec.input_collection.source}' "
            "must give a list",
        )
    plans = plan_events(run, body, element.boundary_events) if element.boundary_events else []
    count = len(collection)
    run.activated(body, {"instances": count})
    open_plans(run, body, plans)
    body.mi = {"count": count, "next": 0, "completed": 0, "terminated": 0}
    if spec.sequential:
        body.mi["collection"] = collection
    if spec.output_collection:
        set_local(body, spec.output_collection, [None] * count)
    body.children = []
    if count == 0:
        run.complete(body)
        return
    if spec.sequential:
        _start_inner(run, body, spec, element, collection[0], 0)
        body.mi["next"] = 1
    else:
        for index, item in enumerate(collection):
            _start_inner(run, body, spec, element, item, index)
        body.mi["next"] = count


def _start_inner(
    run: Run, body: ElementInstance, spec: MultiInstance, element: Element, item: Any, index: int
) -> None:
    inner = run.new_instance(element.id, body)
    local: JsonObject = {"loopCounter": index + 1}
    if spec.input_element:
        local[spec.input_element] = item
    if spec.output_element is not None and spec.output_collection:
        match = _PLAIN_VARIABLE.fullmatch(spec.output_element.source)
        if match is not None and match.group(1) not in local:
            local[match.group(1)] = None
    inner.variables = local
    run.queue_activation(inner)


def body_output(body: ElementInstance, element: Element) -> JsonObject | None:
    """What the body hands to its flow scope when it completes: the output collection."""
    name = _spec(element).output_collection
    if not name:
        return None
    return {name: (body.variables or {}).get(name)}


def evaluate_inner(
    run: Run, body: ElementInstance, inner: ElementInstance, element: Element
) -> tuple[Any, bool]:
    """For a completing inner instance: its output element and whether the completion
    condition is now met. Evaluated before anything changes, so a failure can be retried."""
    spec = _spec(element)
    context = visible_variables(run.state, inner)
    value = None
    if spec.output_element is not None and spec.output_collection:
        value = evaluate_json(spec.output_element, context, element.id, "output element")
    done = False
    if spec.completion_condition is not None:
        info = body.mi or {}
        counts = {
            "numberOfInstances": info.get("count", 0),
            "numberOfActiveInstances": len(body.children or ()) - 1,
            "numberOfCompletedInstances": info.get("completed", 0) + 1,
            "numberOfTerminatedInstances": info.get("terminated", 0),
        }
        done = evaluate_boolean(
            spec.completion_condition, Layered(counts, context), element.id, "completion condition"
        )
    return value, done


def after_inner(
    run: Run, body: ElementInstance, inner: ElementInstance, outcome: tuple[Any, bool]
) -> None:
    """An inner instance completed (and is gone): collect its output, then start the next
    one, finish early, or complete the body."""
    element = run.elements[body.element_id]
    spec = _spec(element)
    info = body.mi
    assert info is not None
    value, done = outcome
    if spec.output_collection:
        index = int((inner.variables or {}).get("loopCounter", 0)) - 1
        outputs = list((body.variables or {}).get(spec.output_collection) or [])
        if 0 <= index < len(outputs):
            outputs[index] = value
        set_local(body, spec.output_collection, outputs)
    info["completed"] += 1
    if done:
        info["terminated"] += len(body.children or ())
        run.terminate_children(body)
        run.queue_completion(body)
        return
    if spec.sequential and info["next"] < info["count"]:
        index = info["next"]
        info["next"] = index + 1
        _start_inner(run, body, spec, element, info["collection"][index], index)
    elif not body.children:
        run.queue_completion(body)
