"""Small BPMN models the integration tests deploy, written as the Camunda modeler would."""

from __future__ import annotations

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:stead="http://stead.dev/schema/bpmn/1.0" '
    'id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">\n'
)


def document(process_id: str, body: str, *, messages: str = "", name: str = "") -> bytes:
    return (
        f'{HEADER}{messages}<bpmn:process id="{process_id}" name="{name or process_id}" '
        f'isExecutable="true">\n{body}\n</bpmn:process>\n</bpmn:definitions>\n'
    ).encode()


def chain(*nodes: str) -> str:
    """Nodes written as ``tag id`` + inner XML, joined in order by sequence flows."""
    parts: list[str] = []
    ids = []
    for index, node in enumerate(nodes):
        head, _, inner = node.partition("|")
        tag, element_id = head.split()
        ids.append(element_id)
        incoming = f"<bpmn:incoming>f{index}</bpmn:incoming>" if index else ""
        outgoing = f"<bpmn:outgoing>f{index + 1}</bpmn:outgoing>" if index < len(nodes) - 1 else ""
        parts.append(f'<bpmn:{tag} id="{element_id}">{incoming}{outgoing}{inner}</bpmn:{tag}>')
    for index in range(1, len(ids)):
        parts.append(
            f'<bpmn:sequenceFlow id="f{index}" sourceRef="{ids[index - 1]}" '
            f'targetRef="{ids[index]}"/>'
        )
    return "\n".join(parts)


def service_task(element_id: str, job_type: str, retries: int = 3, extra: str = "") -> str:
    return (
        f"serviceTask {element_id}|<bpmn:extensionElements>"
        f'<zeebe:taskDefinition type="{job_type}" retries="{retries}"/>{extra}'
        "</bpmn:extensionElements>"
    )


def one_job(process_id: str = "charge", job_type: str = "charge-card", retries: int = 3) -> bytes:
    return document(
        process_id,
        chain("startEvent start", service_task("task", job_type, retries), "endEvent end"),
    )


def message_catch(process_id: str = "wait-payment", message: str = "payment-received") -> bytes:
    messages = (
        f'<bpmn:message id="Message_1" name="{message}"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>'
        "</bpmn:message>\n"
    )
    catch = (
        "intermediateCatchEvent wait|"
        '<bpmn:messageEventDefinition id="MED_1" messageRef="Message_1"/>'
    )
    return document(process_id, chain("startEvent start", catch, "endEvent end"), messages=messages)


def message_start(process_id: str = "on-order", message: str = "order-placed") -> bytes:
    messages = f'<bpmn:message id="Message_1" name="{message}"/>\n'
    start = 'startEvent start|<bpmn:messageEventDefinition id="MED_1" messageRef="Message_1"/>'
    return document(
        process_id,
        chain(start, service_task("task", "handle-order"), "endEvent end"),
        messages=messages,
    )


def timer_wait(process_id: str = "reminder", duration: str = "PT1H") -> bytes:
    timer = (
        'intermediateCatchEvent wait|<bpmn:timerEventDefinition id="TED_1">'
        f'<bpmn:timeDuration xsi:type="bpmn:tFormalExpression" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{duration}</bpmn:timeDuration>'
        "</bpmn:timerEventDefinition>"
    )
    return document(process_id, chain("startEvent start", timer, "endEvent end"))


def timer_start(process_id: str = "nightly", cycle: str = "R3/PT1H") -> bytes:
    start = (
        'startEvent start|<bpmn:timerEventDefinition id="TED_1">'
        f"<bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition>"
    )
    return document(process_id, chain(start, "endEvent end"))


def user_task(process_id: str = "approve", assignee: str = "", groups: str = "managers") -> bytes:
    assignment = f'<zeebe:assignmentDefinition candidateGroups="{groups}"'
    assignment += f' assignee="{assignee}"/>' if assignee else "/>"
    task = (
        "userTask review|<bpmn:extensionElements><zeebe:userTask/>"
        f"{assignment}</bpmn:extensionElements>"
    )
    return document(process_id, chain("startEvent start", task, "endEvent end"))


def two_jobs_in_parallel(process_id: str = "parallel") -> bytes:
    body = """
<bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
<bpmn:parallelGateway id="fork"><bpmn:incoming>a</bpmn:incoming>
  <bpmn:outgoing>b</bpmn:outgoing><bpmn:outgoing>c</bpmn:outgoing></bpmn:parallelGateway>
<bpmn:serviceTask id="left"><bpmn:extensionElements><zeebe:taskDefinition type="left"/>
  </bpmn:extensionElements><bpmn:incoming>b</bpmn:incoming><bpmn:outgoing>d</bpmn:outgoing>
</bpmn:serviceTask>
<bpmn:serviceTask id="right"><bpmn:extensionElements><zeebe:taskDefinition type="right"/>
  </bpmn:extensionElements><bpmn:incoming>c</bpmn:incoming><bpmn:outgoing>e</bpmn:outgoing>
</bpmn:serviceTask>
<bpmn:parallelGateway id="join"><bpmn:incoming>d</bpmn:incoming><bpmn:incoming>e</bpmn:incoming>
  <bpmn:outgoing>g</bpmn:outgoing></bpmn:parallelGateway>
<bpmn:endEvent id="end"><bpmn:incoming>g</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="a" sourceRef="start" targetRef="fork"/>
<bpmn:sequenceFlow id="b" sourceRef="fork" targetRef="left"/>
<bpmn:sequenceFlow id="c" sourceRef="fork" targetRef="right"/>
<bpmn:sequenceFlow id="d" sourceRef="left" targetRef="join"/>
<bpmn:sequenceFlow id="e" sourceRef="right" targetRef="join"/>
<bpmn:sequenceFlow id="g" sourceRef="join" targetRef="end"/>
"""
    return document(process_id, body)


def caller(process_id: str = "parent", called: str = "child") -> bytes:
    call = (
        "callActivity call|<bpmn:extensionElements>"
        f'<zeebe:calledElement processId="{called}" propagateAllChildVariables="true"/>'
        "</bpmn:extensionElements>"
    )
    return document(process_id, chain("startEvent start", call, "endEvent end"))


def caller_catching_errors(process_id: str = "parent", called: str = "child") -> bytes:
    """A call activity with an error boundary event that leads to its own end event."""
    errors = '<bpmn:error id="Error_1" name="refused" errorCode="refused"/>\n'
    body = f"""
<bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
<bpmn:callActivity id="call"><bpmn:extensionElements>
  <zeebe:calledElement processId="{called}" propagateAllChildVariables="true"/>
  </bpmn:extensionElements><bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
</bpmn:callActivity>
<bpmn:endEvent id="done"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
<bpmn:boundaryEvent id="caught" attachedToRef="call"><bpmn:outgoing>c</bpmn:outgoing>
  <bpmn:errorEventDefinition id="EED_1" errorRef="Error_1"/></bpmn:boundaryEvent>
<bpmn:endEvent id="refused-end"><bpmn:incoming>c</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="a" sourceRef="start" targetRef="call"/>
<bpmn:sequenceFlow id="b" sourceRef="call" targetRef="done"/>
<bpmn:sequenceFlow id="c" sourceRef="caught" targetRef="refused-end"/>
"""
    return document(process_id, body, messages=errors)
