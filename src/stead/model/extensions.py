"""The ``zeebe:`` and ``stead:`` extension elements of one BPMN element, read and checked.

Each element kind allows a set of extension elements; anything else that would change how the
element runs is refused (an unknown ``zeebe:`` or ``stead:`` element, a Camunda 7 ``camunda:``
element) rather than ignored. ``zeebe:properties`` (free-form metadata) is always allowed and kept
as name/value pairs (connectors read their settings there), and extension elements of other
vocabularies (tool metadata) are ignored.

Stead's retry policy, in the namespace ``http://stead.dev/schema/bpmn/1.0`` (prefix ``stead``),
sits in the ``extensionElements`` of a job element (service task, send task, message end or
throw event)::

    <stead:retryPolicy initialInterval="PT1S" backoffRate="2" maxInterval="PT5M" jitter="true"/>

Every attribute is optional (defaults: ``PT1S``, ``2``, ``PT5M``, ``true``); the intervals are
ISO 8601 durations in days, hours, minutes and seconds. See :class:`stead.model.graph.RetryPolicy`
for how the delay is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stead.model import timers
from stead.model.context import ReadContext
from stead.model.graph import (
    CalledElement,
    Expression,
    RetryPolicy,
    ScriptDefinition,
    TaskDefinition,
    UserTaskDefinition,
    VariableMapping,
)
from stead.model.xmldoc import (
    BPMN,
    CAMUNDA7,
    STEAD,
    ZEEBE,
    XmlElement,
    local_name,
    namespace_of,
    qualified,
)

__all__ = [
    "JOB_EXTENSIONS",
    "LoopExtension",
    "TaskExtensions",
    "extension_children",
    "read_extensions",
]

# What a job element (service task, send task, message end or throw event) may carry.
JOB_EXTENSIONS = frozenset({"taskDefinition", "taskHeaders", "ioMapping", "stead:retryPolicy"})

# zeebe: elements Stead reads somewhere; used to say "not allowed here" rather than "unknown".
_KNOWN_ZEEBE = frozenset(
    {
        "taskDefinition",
        "taskHeaders",
        "ioMapping",
        "userTask",
        "assignmentDefinition",
        "formDefinition",
        "taskSchedule",
        "priorityDefinition",
        "script",
        "calledElement",
        "loopCharacteristics",
        "subscription",
        "versionTag",
        "userTaskForm",
    }
)


@dataclass
class LoopExtension:
    """``zeebe:loopCharacteristics`` of a multi-instance activity."""

    input_collection: Expression | None = None
    input_element: str | None = None
    output_collection: str | None = None
    output_element: Expression | None = None


@dataclass
class TaskExtensions:
    """The extension elements found on one element (unset parts stay None/empty)."""

    present: set[str] = field(default_factory=set)
    task: TaskDefinition | None = None
    headers: tuple[tuple[str, str], ...] = ()
    inputs: tuple[VariableMapping, ...] = ()
    outputs: tuple[VariableMapping, ...] = ()
    user_task: UserTaskDefinition = field(default_factory=UserTaskDefinition)
    script: ScriptDefinition | None = None
    called_element: CalledElement | None = None
    retry_policy: RetryPolicy | None = None
    loop: LoopExtension | None = None
    correlation_key: Expression | None = None
    properties: tuple[tuple[str, str], ...] = ()  # zeebe:property name/value, in document order


def extension_children(xml: XmlElement) -> list[XmlElement]:
    """The children of ``xml``'s ``bpmn:extensionElements``."""
    holder = xml.find(qualified(BPMN, "extensionElements"))
    return [] if holder is None else list(holder)


def read_extensions(
    ctx: ReadContext,
    xml: XmlElement,
    element_id: str,
    *,
    allowed: frozenset[str],
    kind: str,
    outputs_only: bool = False,
) -> TaskExtensions:
    """Reads ``xml``'s extension elements, recording a problem for each one not in ``allowed``
    (``name`` for zeebe elements, ``stead:name`` for Stead's); ``kind`` names the element kind
    in messages."""
    found = TaskExtensions()
    reader = _ExtensionReader(ctx, element_id, found)
    for child in extension_children(xml):
        namespace, name = namespace_of(child.tag), local_name(child.tag)
        if namespace == ZEEBE:
            key = name
        elif namespace == STEAD:
            key = f"stead:{name}"
        elif namespace == CAMUNDA7:
            ctx.problem(
                element_id,
                f"camunda:{name} is a Camunda 7 extension; Stead executes the Camunda 8 "
                "(zeebe:) vocabulary",
            )
            continue
        else:
            continue  # other vocabularies are tool metadata
        if name == "properties" and namespace == ZEEBE:
            found.properties += _properties(child)
            continue
        if key not in allowed:
            known = key in _KNOWN_ZEEBE or key == "stead:retryPolicy"
            reason = f"is not allowed on {_with_article(kind)}" if known else "is not supported"
            ctx.problem(element_id, f"{_display(key)} {reason}")
            continue
        if key in found.present and key != "ioMapping":
            ctx.problem(element_id, f"{_display(key)} appears more than once")
            continue
        found.present.add(key)
        reader.read(key, child, outputs_only=outputs_only)
    return found


def _properties(xml: XmlElement) -> tuple[tuple[str, str], ...]:
    """The named ``zeebe:property`` children of a ``zeebe:properties``; unnamed ones say
    nothing and are skipped."""
    return tuple(
        (name, child.get("value") or "")
        for child in xml
        if local_name(child.tag) == "property" and (name := (child.get("name") or "").strip())
    )


def _display(key: str) -> str:
    return key if key.startswith("stead:") else f"zeebe:{key}"


def _with_article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


class _ExtensionReader:
    """Reads one extension element at a time into a :class:`TaskExtensions`."""

    def __init__(self, ctx: ReadContext, element_id: str, found: TaskExtensions) -> None:
        self.ctx = ctx
        self.element_id = element_id
        self.found = found

    def expression(
        self, xml: XmlElement, name: str, where: str, *, feel: bool = False
    ) -> Expression | None:
        return self.ctx.optional_expression(
            xml, name, element_id=self.element_id, attribute=f"{where} {name}", feel=feel
        )

    def read(self, key: str, xml: XmlElement, *, outputs_only: bool) -> None:
        if key == "taskDefinition":
            self.task_definition(xml)
        elif key == "taskHeaders":
            self.task_headers(xml)
        elif key == "ioMapping":
            self.io_mapping(xml, outputs_only=outputs_only)
        elif key in ("assignmentDefinition", "formDefinition", "taskSchedule"):
            self.user_task_part(key, xml)
        elif key == "priorityDefinition":
            self.priority(xml)
        elif key == "script":
            self.script(xml)
        elif key == "calledElement":
            self.called_element(xml)
        elif key == "loopCharacteristics":
            self.loop(xml)
        elif key == "subscription":
            self.found.correlation_key = self.expression(
                xml, "correlationKey", "zeebe:subscription"
            )
        elif key == "stead:retryPolicy":
            self.retry_policy(xml)
        # zeebe:userTask is a marker without content.

    def task_definition(self, xml: XmlElement) -> None:
        job_type = self.expression(xml, "type", "zeebe:taskDefinition")
        if job_type is None and not (xml.get("type") or "").strip():
            self.ctx.problem(self.element_id, "the job type is missing (zeebe:taskDefinition type)")
        retries = self.expression(xml, "retries", "zeebe:taskDefinition") or Expression("3")
        if retries.is_static and not (retries.source.isdigit() and int(retries.source) >= 0):
            self.ctx.problem(
                self.element_id,
                f"zeebe:taskDefinition retries must be a whole number, got {retries.source!r}",
            )
        if job_type is not None:
            self.found.task = TaskDefinition(job_type, retries)

    def task_headers(self, xml: XmlElement) -> None:
        headers: dict[str, str] = {}
        for header in xml:
            if local_name(header.tag) != "header":
                continue
            key = (header.get("key") or "").strip()
            if not key:
                self.ctx.problem(self.element_id, "a zeebe:header has no key")
            elif key in headers:
                self.ctx.problem(self.element_id, f"zeebe:header {key!r} appears more than once")
            else:
                headers[key] = header.get("value") or ""
        self.found.headers = tuple(headers.items())

    def io_mapping(self, xml: XmlElement, *, outputs_only: bool) -> None:
        inputs: list[VariableMapping] = list(self.found.inputs)
        outputs: list[VariableMapping] = list(self.found.outputs)
        for mapping in xml:
            direction = local_name(mapping.tag)
            if direction not in ("input", "output"):
                continue
            if direction == "input" and outputs_only:
                self.ctx.problem(self.element_id, "input mappings are not allowed on this element")
                continue
            target = self.ctx.variable_name(
                mapping,
                "target",
                element_id=self.element_id,
                attribute=f"zeebe:{direction} target",
                required=True,
            )
            # The modeler writes an input without source for "a local variable set to null".
            source_text = (mapping.get("source") or "").strip() or "=null"
            source = self.ctx.expression(
                source_text,
                element_id=self.element_id,
                attribute=f"zeebe:{direction} source (target {target!r})",
            )
            if target is not None and source is not None:
                (inputs if direction == "input" else outputs).append(
                    VariableMapping(source, target)
                )
        self.found.inputs, self.found.outputs = tuple(inputs), tuple(outputs)

    def user_task_part(self, key: str, xml: XmlElement) -> None:
        current = self.found.user_task
        where = f"zeebe:{key}"
        if key == "assignmentDefinition":
            self.found.user_task = replace(
                current,
                assignee=self.expression(xml, "assignee", where),
                candidate_groups=self.expression(xml, "candidateGroups", where),
                candidate_users=self.expression(xml, "candidateUsers", where),
            )
        elif key == "formDefinition":
            form_key = (xml.get("formKey") or xml.get("externalReference") or "").strip() or None
            form_id = (xml.get("formId") or "").strip() or None
            self.found.user_task = replace(current, form_key=form_key, form_id=form_id)
        else:
            due = self.expression(xml, "dueDate", where)
            follow_up = self.expression(xml, "followUpDate", where)
            self.ctx.static_date(due, element_id=self.element_id, attribute=f"{where} dueDate")
            self.ctx.static_date(
                follow_up, element_id=self.element_id, attribute=f"{where} followUpDate"
            )
            self.found.user_task = replace(current, due_date=due, follow_up_date=follow_up)

    def priority(self, xml: XmlElement) -> None:
        priority = self.expression(xml, "priority", "zeebe:priorityDefinition")
        if priority is not None and priority.is_static:
            text = priority.source
            if not (text.isdigit() and 0 <= int(text) <= 100):
                self.ctx.problem(
                    self.element_id,
                    f"zeebe:priorityDefinition priority must be 0 to 100, got {text!r}",
                )
        self.found.user_task = replace(self.found.user_task, priority=priority)

    def script(self, xml: XmlElement) -> None:
        expression = self.expression(xml, "expression", "zeebe:script", feel=True)
        if not (xml.get("expression") or "").strip():
            self.ctx.problem(self.element_id, "zeebe:script expression is missing")
        result = self.ctx.variable_name(
            xml,
            "resultVariable",
            element_id=self.element_id,
            attribute="zeebe:script resultVariable",
            required=True,
        )
        if expression is not None and result is not None:
            self.found.script = ScriptDefinition(expression, result)

    def called_element(self, xml: XmlElement) -> None:
        process_id = self.expression(xml, "processId", "zeebe:calledElement")
        if not (xml.get("processId") or "").strip():
            self.ctx.problem(
                self.element_id, "the called process id is missing (zeebe:calledElement processId)"
            )
        binding = (xml.get("bindingType") or "latest").strip()
        if binding != "latest":
            self.ctx.problem(
                self.element_id,
                f"zeebe:calledElement bindingType {binding!r} is not supported; "
                "Stead calls the latest version",
            )
        child = self.ctx.boolean(
            xml, "propagateAllChildVariables", default=True, element_id=self.element_id
        )
        parent = self.ctx.boolean(
            xml, "propagateAllParentVariables", default=True, element_id=self.element_id
        )
        if process_id is not None:
            self.found.called_element = CalledElement(process_id, child, parent)

    def loop(self, xml: XmlElement) -> None:
        where = "zeebe:loopCharacteristics"
        self.found.loop = LoopExtension(
            input_collection=self.expression(xml, "inputCollection", where, feel=True),
            input_element=self.ctx.variable_name(
                xml,
                "inputElement",
                element_id=self.element_id,
                attribute=f"{where} inputElement",
                required=False,
            ),
            output_collection=self.ctx.variable_name(
                xml,
                "outputCollection",
                element_id=self.element_id,
                attribute=f"{where} outputCollection",
                required=False,
            ),
            output_element=self.expression(xml, "outputElement", where),
        )

    def retry_policy(self, xml: XmlElement) -> None:
        defaults = RetryPolicy()
        initial = self.interval(xml, "initialInterval", defaults.initial_interval)
        maximum = self.interval(xml, "maxInterval", defaults.max_interval)
        rate_text = (xml.get("backoffRate") or "").strip()
        rate = defaults.backoff_rate
        if rate_text:
            try:
                rate = float(rate_text)
            except ValueError:
                rate = -1.0
            if not 1.0 <= rate <= 100.0:
                self.ctx.problem(
                    self.element_id,
                    "stead:retryPolicy backoffRate must be a number from 1 to 100, "
                    f"got {rate_text!r}",
                )
                rate = defaults.backoff_rate
        jitter = self.ctx.boolean(
            xml, "jitter", default=defaults.jitter, element_id=self.element_id
        )
        if maximum < initial:
            self.ctx.problem(
                self.element_id, "stead:retryPolicy maxInterval is shorter than initialInterval"
            )
        self.found.retry_policy = RetryPolicy(initial, rate, maximum, jitter)

    def interval(self, xml: XmlElement, name: str, default: float) -> float:
        text = (xml.get(name) or "").strip()
        if not text:
            return default
        try:
            duration = timers.parse_duration(text)
        except timers.TimerValueError as error:
            self.ctx.problem(self.element_id, f"stead:retryPolicy {name}: {error}")
            return default
        if duration.years or duration.months or duration.negative:
            self.ctx.problem(
                self.element_id,
                f"stead:retryPolicy {name} must be a positive duration in days, hours, minutes "
                f"and seconds, got {text!r}",
            )
            return default
        return duration.days * 86400 + float(duration.seconds)
