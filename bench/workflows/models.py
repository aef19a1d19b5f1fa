"""The BPMN models the workflow benchmarks run, generated so every workload is one chain."""

from __future__ import annotations

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench" '
    'targetNamespace="http://stead.dev/bench">\n'
)


def _chain(process_id: str, steps: list[str]) -> bytes:
    """start → steps → end, each step an element XML with {id}, {incoming}, {outgoing}."""
    parts = [HEADER, f'<bpmn:process id="{process_id}" isExecutable="true">']
    parts.append('<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>')
    for index, step in enumerate(steps, start=1):
        parts.append(step.format(id=f"t{index}", incoming=f"f{index - 1}", outgoing=f"f{index}"))
    last = len(steps)
    parts.append(f'<bpmn:endEvent id="end"><bpmn:incoming>f{last}</bpmn:incoming></bpmn:endEvent>')
    for index in range(last + 1):
        source = "start" if index == 0 else f"t{index}"
        target = "end" if index == last else f"t{index + 1}"
        parts.append(
            f'<bpmn:sequenceFlow id="f{index}" sourceRef="{source}" targetRef="{target}"/>'
        )
    parts.append("</bpmn:process></bpmn:definitions>")
    return "\n".join(parts).encode()


SCRIPT_STEP = (
    '<bpmn:scriptTask id="{id}"><bpmn:extensionElements>'
    '<zeebe:script expression="=x + 1" resultVariable="x"/></bpmn:extensionElements>'
    "<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>"
    "</bpmn:scriptTask>"
)
SERVICE_STEP = (
    '<bpmn:serviceTask id="{id}"><bpmn:extensionElements>'
    '<zeebe:taskDefinition type="step"/></bpmn:extensionElements>'
    "<bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>"
    "</bpmn:serviceTask>"
)
TIMER_STEP = (
    '<bpmn:intermediateCatchEvent id="{id}"><bpmn:incoming>{incoming}</bpmn:incoming>'
    "<bpmn:outgoing>{outgoing}</bpmn:outgoing><bpmn:timerEventDefinition>"
    "<bpmn:timeDate>=wake</bpmn:timeDate></bpmn:timerEventDefinition>"
    "</bpmn:intermediateCatchEvent>"
)


def chain10_script() -> bytes:
    """W1: ten FEEL script tasks, each ``x = x + 1``."""
    return _chain("chain10-script", [SCRIPT_STEP] * 10)


def chain10_service() -> bytes:
    """W2: ten service tasks of job type ``step``, each handled by a worker."""
    return _chain("chain10-service", [SERVICE_STEP] * 10)


def parked_timer() -> bytes:
    """W3: one timer catch event due at the instance's ``wake`` variable."""
    return _chain("parked-timer", [TIMER_STEP])
