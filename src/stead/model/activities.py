"""Reading BPMN tasks and call activities: their ``zeebe:`` configuration, and multi-instance
loops on any activity."""

from __future__ import annotations

from typing import Any

from stead.model.context import ReadContext
from stead.model.events import resolve_message
from stead.model.extensions import JOB_EXTENSIONS, extension_children, read_extensions
from stead.model.graph import ElementType, MultiInstance
from stead.model.xmldoc import BPMN, ZEEBE, XmlElement, local_name, namespace_of, qualified

__all__ = ["read_multi_instance", "read_task"]

_USER_TASK_EXTENSIONS = frozenset(
    {
        "userTask",
        "assignmentDefinition",
        "formDefinition",
        "taskSchedule",
        "priorityDefinition",
        "taskHeaders",
        "ioMapping",
    }
)

_ALLOWED_EXTENSIONS: dict[ElementType, frozenset[str]] = {
    ElementType.SERVICE_TASK: JOB_EXTENSIONS,
    ElementType.SEND_TASK: JOB_EXTENSIONS,
    ElementType.USER_TASK: _USER_TASK_EXTENSIONS,
    ElementType.SCRIPT_TASK: frozenset({"script", "ioMapping"}),
    ElementType.RECEIVE_TASK: frozenset({"ioMapping"}),
    ElementType.MANUAL_TASK: frozenset({"ioMapping"}),
    ElementType.TASK: frozenset({"ioMapping"}),
    ElementType.CALL_ACTIVITY: frozenset({"calledElement", "ioMapping"}),
    ElementType.SUB_PROCESS: frozenset({"ioMapping"}),
}

_KIND_NAMES = {
    ElementType.SERVICE_TASK: "service task",
    ElementType.SEND_TASK: "send task",
    ElementType.USER_TASK: "user task",
    ElementType.SCRIPT_TASK: "script task",
    ElementType.RECEIVE_TASK: "receive task",
    ElementType.MANUAL_TASK: "manual task",
    ElementType.TASK: "task",
    ElementType.CALL_ACTIVITY: "call activity",
    ElementType.SUB_PROCESS: "sub-process",
}


def read_task(
    ctx: ReadContext, xml: XmlElement, element_id: str, element_type: ElementType
) -> dict[str, Any]:
    """The :class:`~stead.model.graph.Element` fields of a task, call activity or sub-process
    (apart from its loop and its contents)."""
    kind = _KIND_NAMES[element_type]
    if element_type is ElementType.SCRIPT_TASK and _has_zeebe(xml, "taskDefinition"):
        ctx.problem(
            element_id,
            "script tasks run by a job worker are not supported yet; "
            "give the script as a FEEL expression (zeebe:script)",
        )
        return {}
    found = read_extensions(
        ctx, xml, element_id, allowed=_ALLOWED_EXTENSIONS[element_type], kind=kind
    )
    fields: dict[str, Any] = {
        "input_mappings": found.inputs,
        "output_mappings": found.outputs,
        "headers": found.headers,
    }
    if element_type in (ElementType.SERVICE_TASK, ElementType.SEND_TASK):
        if found.task is None and "taskDefinition" not in found.present:
            ctx.problem(element_id, f"a {kind} needs a job type (zeebe:taskDefinition type)")
        fields.update(task=found.task, retry_policy=found.retry_policy)
    elif element_type is ElementType.USER_TASK:
        fields["user_task"] = found.user_task
    elif element_type is ElementType.SCRIPT_TASK:
        if "script" not in found.present:
            ctx.problem(
                element_id,
                "a script task needs a FEEL expression and result variable (zeebe:script)",
            )
        fields["script"] = found.script
    elif element_type is ElementType.RECEIVE_TASK:
        if (xml.get("instantiate") or "").strip().lower() == "true":
            ctx.problem(element_id, "receive tasks that start a process are not supported")
        fields["message"] = resolve_message(ctx, xml, element_id, start=False)
    elif element_type is ElementType.CALL_ACTIVITY:
        if "calledElement" not in found.present:
            ctx.problem(
                element_id,
                "a call activity needs the called process id (zeebe:calledElement processId)",
            )
        fields["called_element"] = found.called_element
    return fields


def read_multi_instance(ctx: ReadContext, xml: XmlElement, element_id: str) -> MultiInstance | None:
    """The activity's ``multiInstanceLoopCharacteristics``; standard loops are refused."""
    if xml.find(qualified(BPMN, "standardLoopCharacteristics")) is not None:
        ctx.problem(element_id, "standard loops are not supported; use multi-instance")
    loop = xml.find(qualified(BPMN, "multiInstanceLoopCharacteristics"))
    if loop is None:
        return None
    sequential = ctx.boolean(loop, "isSequential", default=False, element_id=element_id)
    for name in ("loopCardinality", "loopDataInputRef", "loopDataOutputRef"):
        if loop.find(qualified(BPMN, name)) is not None:
            ctx.problem(
                element_id,
                f"multi-instance {name} is not supported; use zeebe:loopCharacteristics",
            )
    found = read_extensions(
        ctx, loop, element_id, allowed=frozenset({"loopCharacteristics"}), kind="multi-instance"
    )
    completion = None
    condition = loop.find(qualified(BPMN, "completionCondition"))
    condition_text = "" if condition is None else (condition.text or "").strip()
    if condition_text:
        completion = ctx.expression(
            condition_text, element_id=element_id, attribute="completionCondition", feel=True
        )
    extension = found.loop
    if extension is None or extension.input_collection is None:
        if extension is None or not _loop_attribute(loop, "inputCollection"):
            ctx.problem(
                element_id,
                "multi-instance needs an input collection (zeebe:loopCharacteristics "
                "inputCollection)",
            )
        return None
    if bool(_loop_attribute(loop, "outputCollection")) != bool(
        _loop_attribute(loop, "outputElement")
    ):
        ctx.problem(
            element_id,
            "multi-instance outputCollection and outputElement must be given together",
        )
    return MultiInstance(
        sequential=sequential,
        input_collection=extension.input_collection,
        input_element=extension.input_element,
        output_collection=extension.output_collection,
        output_element=extension.output_element,
        completion_condition=completion,
    )


def _loop_attribute(loop: XmlElement, name: str) -> str:
    for child in extension_children(loop):
        if namespace_of(child.tag) == ZEEBE and local_name(child.tag) == "loopCharacteristics":
            return (child.get(name) or "").strip()
    return ""


def _has_zeebe(xml: XmlElement, name: str) -> bool:
    return any(
        namespace_of(child.tag) == ZEEBE and local_name(child.tag) == name
        for child in extension_children(xml)
    )
