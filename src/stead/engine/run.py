"""The run loop: one command's worth of token movement, until every token waits.

A :class:`Run` owns the state being changed (a copy made for the command), the effects emitted
so far and a queue of pending steps. Steps are queued rather than called recursively so long
chains of elements never deepen the stack, and a step whose element instance was terminated
meanwhile is skipped. A step that fails with :class:`StepFailed` becomes an incident; the
incident remembers which step to retry.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

from stead.engine import activation, multi_instance, tasks
from stead.engine.effects import (
    CancelChildInstance,
    CancelJob,
    CancelTimer,
    CancelUserTask,
    CloseSubscription,
    Effect,
    HistoryEvent,
    InstanceCompleted,
    RaiseIncident,
    ResolveIncidentEffect,
)
from stead.engine.expressions import StepFailed, evaluate_json
from stead.engine.graph_index import GraphIndex, index_of
from stead.engine.state import ElementInstance, IncidentRecord, InstanceState
from stead.engine.variables import (
    assign_path,
    lookup,
    propagate,
    set_local,
    split_target,
    visible_variables,
)
from stead.model.graph import ElementType, ProcessDefinition

__all__ = ["ACTIVATE", "COMPLETE", "RECREATE_JOB", "RESTART_CHILD", "Run"]

JsonObject = dict[str, Any]

ACTIVATE = 0
COMPLETE = 1
RECREATE_JOB = 2
RESTART_CHILD = 3
# Incidents name the step to retry: activate or complete the element, create its job again
# (after an uncaught error), start its called process again (after that was terminated).
_STEP_NAMES = ("activate", "complete", "job", "call")


class Run:
    """Moves the tokens of one instance for one command."""

    __slots__ = (
        "actor",
        "definition",
        "effects",
        "elements",
        "flows",
        "index",
        "now",
        "now_text",
        "queue",
        "state",
    )

    def __init__(
        self,
        definition: ProcessDefinition,
        state: InstanceState,
        now: dt.datetime,
        actor: str = "engine",
    ) -> None:
        self.definition = definition
        self.elements = definition.elements
        self.flows = definition.flows
        self.index: GraphIndex = index_of(definition)
        self.state = state
        self.now = now
        self.now_text = now.isoformat()
        self.actor = actor
        self.effects: list[Effect] = []
        self.queue: deque[tuple[int, int]] = deque()

    # -- effects ---------------------------------------------------------------------------

    def emit(self, effect: Effect) -> None:
        self.effects.append(effect)

    def history(self, event: str, inst: ElementInstance, data: JsonObject | None = None) -> None:
        self.effects.append(
            HistoryEvent(event, inst.element_id, inst.key, self.actor, {} if data is None else data)
        )

    def activated(self, inst: ElementInstance, data: JsonObject | None = None) -> None:
        self.history("element.activated", inst, data)

    # -- element instances -----------------------------------------------------------------

    def new_instance(
        self, element_id: str, parent: ElementInstance | None, *, body: bool = False
    ) -> ElementInstance:
        key = self.state.new_key()
        inst = ElementInstance(
            key, element_id, None if parent is None else parent.key, self.now_text
        )
        if body:
            inst.body = True
        self.state.instances[key] = inst
        if parent is not None:
            if parent.children is None:
                parent.children = [key]
            else:
                parent.children.append(key)
        return inst

    def start_element(self, element_id: str, scope: ElementInstance) -> ElementInstance:
        """Create an instance of ``element_id`` in ``scope`` and queue its activation."""
        element = self.elements[element_id]
        inst = self.new_instance(element_id, scope, body=element.multi_instance is not None)
        self.queue.append((ACTIVATE, inst.key))
        return inst

    def queue_activation(self, inst: ElementInstance) -> None:
        self.queue.append((ACTIVATE, inst.key))

    def queue_completion(self, inst: ElementInstance) -> None:
        self.queue.append((COMPLETE, inst.key))

    def _remove(self, inst: ElementInstance) -> ElementInstance | None:
        del self.state.instances[inst.key]
        if inst.parent_key is None:
            return None
        parent = self.state.instances[inst.parent_key]
        if parent.children is not None:
            parent.children.remove(inst.key)
        return parent

    # -- the loop --------------------------------------------------------------------------

    def drain(self) -> None:
        """Run queued steps until none is left. What the command's actor did directly is
        recorded as theirs; the steps that follow from it are the engine's."""
        self.actor = "engine"
        queue = self.queue
        instances = self.state.instances
        while queue:
            op, key = queue.popleft()
            inst = instances.get(key)
            if inst is None or self.state.status != "active":
                continue
            try:
                if op == ACTIVATE:
                    activation.activate(self, inst)
                elif op == COMPLETE:
                    self.complete(inst)
                elif op == RECREATE_JOB:
                    tasks.create_job(self, inst, self.elements[inst.element_id])
                else:
                    tasks.start_child(self, inst, self.elements[inst.element_id])
            except StepFailed as failure:
                self.fail_step(inst, _STEP_NAMES[op], failure)

    def fail_step(self, inst: ElementInstance, step: str, failure: StepFailed) -> None:
        if step == "activate":
            # Subscriptions opened before the failure are opened again by the retry.
            self.close_owned(inst)
        self.raise_incident(inst, step, failure.kind, failure.message)

    # -- completion ------------------------------------------------------------------------

    def complete(self, inst: ElementInstance, result: JsonObject | None = None) -> None:
        """Complete ``inst`` with the variables it produced (a job's result, a message's
        variables, ...), apply its output, and move its token on."""
        state = self.state
        if inst.children:
            # A scope completes only when its last token left (a queued completion can be
            # overtaken by an event that started something inside it).
            return
        if inst.parent_key is None:
            self._complete_process(inst)
            return
        element = self.elements[inst.element_id]
        parent = state.instances[inst.parent_key]
        output: JsonObject | None = result
        if inst.body:
            output = multi_instance.body_output(inst, element)
            if output:
                for name, value in output.items():
                    propagate(state, parent, name, value)
        elif element.output_mappings:
            if result:
                for name, value in result.items():
                    set_local(inst, name, value)
            context = visible_variables(state, inst)
            mapped = [
                (
                    mapping.target,
                    evaluate_json(
                        mapping.source, context, element.id, f"output mapping '{mapping.target}'"
                    ),
                )
                for mapping in element.output_mappings
            ]
            output = {}
            for target, value in mapped:
                output[target] = value
                self.assign_output(parent, target, value)
        elif result:
            for name, value in result.items():
                propagate(state, inst, name, value)
        inner_outcome = None
        if parent.body:
            inner_outcome = multi_instance.evaluate_inner(self, parent, inst, element)
        if inst.owned:
            self.close_owned(inst)
        self.history("element.completed", inst, {"output": output} if output else None)
        self._remove(inst)
        if inner_outcome is not None:
            multi_instance.after_inner(self, parent, inst, inner_outcome)
            return
        self.take_flows(parent, inst.take if inst.take is not None else element.outgoing)
        self.after_child_left(parent)

    def assign_output(self, scope: ElementInstance, target: str, value: Any) -> None:
        """Set an output target (a name or a dotted path) from ``scope`` upward."""
        name, path = split_target(target)
        if path:
            value = assign_path(lookup(self.state, scope, name), path, value)
        propagate(self.state, scope, name, value)

    def _complete_process(self, root: ElementInstance) -> None:
        if root.owned:
            self.close_owned(root)
        self.state.status = "completed"
        variables = dict(root.variables or {})
        self.history("element.completed", root, {"output": variables})
        self.emit(InstanceCompleted(variables))

    # -- sequence flows and joins ----------------------------------------------------------

    def take_flows(self, scope: ElementInstance, flow_ids: tuple[str, ...] | list[str]) -> None:
        joins = self.index.joins
        flows = self.flows
        for flow_id in flow_ids:
            target_id = flows[flow_id].target_id
            if target_id in joins:
                if scope.joins is None:
                    scope.joins = {}
                scope.joins.setdefault(target_id, []).append(flow_id)
                self._try_join(scope, target_id)
            else:
                self.start_element(target_id, scope)

    def _try_join(self, scope: ElementInstance, gateway_id: str) -> None:
        assert scope.joins is not None
        arrived = scope.joins[gateway_id]
        incoming = self.elements[gateway_id].incoming
        if self.index.joins[gateway_id] == "parallelGateway":
            ready = all(flow_id in arrived for flow_id in incoming)
        else:
            ready = all(
                flow_id in arrived or not self._can_still_arrive(scope, gateway_id, flow_id)
                for flow_id in incoming
            )
        if not ready:
            return
        for flow_id in dict.fromkeys(arrived):  # one token per flow, in a fixed order
            arrived.remove(flow_id)
        if not arrived:
            del scope.joins[gateway_id]
            if not scope.joins:
                scope.joins = None
        self.start_element(gateway_id, scope)

    def _can_still_arrive(self, scope: ElementInstance, gateway_id: str, flow_id: str) -> bool:
        """Whether some token in ``scope`` can still reach ``flow_id`` (for inclusive joins)."""
        reachable = self.index.reachable_flows
        instances = self.state.instances
        for child_key in scope.children or ():
            if flow_id in reachable(instances[child_key].element_id, gateway_id):
                return True
        for other_id, arrived in (scope.joins or {}).items():
            if other_id != gateway_id and arrived and flow_id in reachable(other_id, gateway_id):
                return True
        return False

    def after_child_left(self, scope: ElementInstance) -> None:
        """A token left ``scope``: inclusive joins may now fire, or the scope may be done."""
        if scope.joins:
            joins = self.index.joins
            for gateway_id in list(scope.joins):
                if joins[gateway_id] == "inclusiveGateway" and gateway_id in (scope.joins or ()):
                    self._try_join(scope, gateway_id)
        if not scope.children and not scope.joins:
            self.queue.append((COMPLETE, scope.key))

    # -- termination -----------------------------------------------------------------------

    def terminate(self, inst: ElementInstance) -> None:
        """Terminate ``inst`` and everything inside it, cancelling what they wait for."""
        instances = self.state.instances
        for child_key in list(inst.children or ()):
            child = instances.get(child_key)
            if child is not None:
                self.terminate(child)
        self.release(inst)
        self.history("element.terminated", inst)
        self._remove(inst)

    def release(self, inst: ElementInstance) -> None:
        """Cancel the job, task, child instance, incident, timers and subscriptions of
        ``inst``."""
        state = self.state
        if inst.job_key is not None:
            state.jobs.pop(inst.job_key, None)
            self.emit(CancelJob(inst.job_key))
            inst.job_key = None
        if inst.task_key is not None:
            state.tasks.pop(inst.task_key, None)
            self.emit(CancelUserTask(inst.task_key))
            inst.task_key = None
        if inst.wait == "call-activity":
            self.emit(CancelChildInstance(inst.key))
        if inst.incident_key is not None:
            state.incidents.pop(inst.incident_key, None)
            self.emit(ResolveIncidentEffect(inst.incident_key))
            inst.incident_key = None
        if inst.owned:
            self.close_owned(inst)
        inst.wait = None

    def close_event_sub_process_starts(self, scope: ElementInstance) -> None:
        """Close the timers and subscriptions of the event sub-processes of ``scope`` (an
        interrupting one started), keeping those of the scope's own boundary events."""
        state = self.state
        elements = self.elements
        kept: list[int] = []
        for key in scope.owned or ():
            record = state.timers.get(key) or state.subscriptions.get(key)
            if record is None or elements[record.element_id].type is not ElementType.START_EVENT:
                kept.append(key)
            elif state.timers.pop(key, None) is not None:
                self.emit(CancelTimer(key))
            else:
                del state.subscriptions[key]
                self.emit(CloseSubscription(key))
        scope.owned = kept or None

    def terminate_children(self, scope: ElementInstance, *, keep: int | None = None) -> None:
        instances = self.state.instances
        for child_key in list(scope.children or ()):
            if child_key != keep and child_key in instances:
                self.terminate(instances[child_key])
        scope.joins = None

    def close_owned(self, inst: ElementInstance) -> None:
        state = self.state
        for key in inst.owned or ():
            if state.timers.pop(key, None) is not None:
                self.emit(CancelTimer(key))
            elif state.subscriptions.pop(key, None) is not None:
                self.emit(CloseSubscription(key))
        inst.owned = None

    # -- incidents -------------------------------------------------------------------------

    def raise_incident(self, inst: ElementInstance, step: str, kind: str, message: str) -> None:
        key = self.state.new_key()
        self.state.incidents[key] = IncidentRecord(
            key, inst.key, inst.element_id, kind, message, step
        )
        inst.incident_key = key
        inst.wait = "incident"
        self.emit(RaiseIncident(key, inst.key, inst.element_id, kind, message))
        self.history(
            "incident.raised", inst, {"incidentKey": key, "kind": kind, "message": message}
        )

    def resolve_incident(self, record: IncidentRecord) -> None:
        inst = self.state.instances[record.element_instance_key]
        del self.state.incidents[record.key]
        inst.incident_key = None
        inst.wait = None
        self.emit(ResolveIncidentEffect(record.key))
        self.history("incident.resolved", inst, {"incidentKey": record.key})
        self.queue.append((_STEP_NAMES.index(record.step), inst.key))
