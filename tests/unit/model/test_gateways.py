"""Gateways: conditions and default flows, parallel and inclusive, event-based targets."""

from __future__ import annotations

from bpmn_documents import MESSAGE, flows, has_problem, job, parse_one, problems_of

from stead.model import ElementType


def condition(flow_id: str, source: str, target: str, feel: str | None) -> str:
    if feel is None:
        return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}" />'
    return (
        f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{feel}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def split(gateway: str, big: str | None, small: str | None, default: str = "") -> str:
    default_attr = f' default="{default}"' if default else ""
    return (
        f'<bpmn:startEvent id="s" /><bpmn:{gateway} id="g"{default_attr} />'
        '<bpmn:endEvent id="a" /><bpmn:endEvent id="b" />'
        + flows("s", "g")
        + condition("big", "g", "a", big)
        + condition("small", "g", "b", small)
    )


def test_exclusive_gateway_conditions_and_default() -> None:
    definition = parse_one(split("exclusiveGateway", "=total &gt; 100", None, default="small"))
    gateway = definition.element("g")
    assert gateway.type is ElementType.EXCLUSIVE_GATEWAY
    assert gateway.default_flow == "small"
    assert gateway.outgoing == ("big", "small")
    big = definition.flow("big")
    assert big.condition is not None
    assert big.condition.source == "=total > 100"
    assert definition.flow("small").condition is None


def test_inclusive_gateway_parses() -> None:
    definition = parse_one(split("inclusiveGateway", "=a", "=b"))
    assert definition.element("g").type is ElementType.INCLUSIVE_GATEWAY
    assert all(definition.flow(f).condition is not None for f in ("big", "small"))


def test_parallel_gateway_fork_and_join() -> None:
    body = (
        '<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />'
        '<bpmn:task id="a" /><bpmn:task id="b" /><bpmn:parallelGateway id="join" />'
        '<bpmn:endEvent id="e" />'
        + flows("s", "fork", "a", "join", "e")
        + flows("fork", "b", "join")
    )
    definition = parse_one(body)
    assert definition.element("fork").outgoing == ("fork_a", "fork_b")
    assert definition.element("join").incoming == ("a_join", "b_join")


def test_default_flow_with_condition_is_refused() -> None:
    found = problems_of(split("exclusiveGateway", "=x", "=y", default="small"))
    assert has_problem(found, "g", "default flow 'small' must not have a condition")


def test_flow_without_condition_that_is_not_default_is_refused() -> None:
    found = problems_of(split("exclusiveGateway", "=x", None))
    assert has_problem(found, "small", "without a condition")


def test_default_flow_must_leave_the_gateway() -> None:
    found = problems_of(split("exclusiveGateway", "=x", None, default="s_g"))
    assert has_problem(found, "g", "not an outgoing flow of the gateway")


def test_conditions_must_be_feel_and_parse() -> None:
    found = problems_of(split("exclusiveGateway", "total &gt; 100", "=total &lt;", "small"))
    assert has_problem(found, "big", "must be a FEEL expression starting with '='")
    assert has_problem(found, "small", "conditionExpression is not valid FEEL")


def test_condition_on_a_flow_from_a_task_is_refused() -> None:
    body = (
        f'<bpmn:startEvent id="s" /><bpmn:serviceTask id="t">{job()}</bpmn:serviceTask>'
        '<bpmn:endEvent id="e" />' + flows("s", "t") + condition("t_e", "t", "e", "=true")
    )
    assert has_problem(problems_of(body), "t_e", "only allowed on a flow leaving an exclusive")


def test_parallel_gateway_default_is_refused() -> None:
    found = problems_of(split("parallelGateway", None, None, default="big"))
    assert has_problem(found, "g", "cannot have a default flow")


def event_gateway(targets: str, wiring: str) -> str:
    return (
        '<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="g" />'
        f'{targets}<bpmn:endEvent id="e" />' + flows("s", "g") + wiring
    )


PAID = (
    '<bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m" />'
    "</bpmn:intermediateCatchEvent>"
)
LATE = (
    '<bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition>'
    "<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>"
    "</bpmn:intermediateCatchEvent>"
)


def test_event_based_gateway_to_catch_events_and_receive_task() -> None:
    body = event_gateway(
        PAID + LATE + '<bpmn:receiveTask id="r" messageRef="m" />',
        flows("g", "paid", "e") + flows("g", "late", "e") + flows("g", "r", "e"),
    )
    gateway = parse_one(body, extra=MESSAGE).element("g")
    assert gateway.type is ElementType.EVENT_BASED_GATEWAY
    assert len(gateway.outgoing) == 3


def test_event_based_gateway_to_a_task_is_refused() -> None:
    body = event_gateway(
        PAID + f'<bpmn:serviceTask id="t">{job()}</bpmn:serviceTask>',
        flows("g", "paid", "e") + flows("g", "t", "e"),
    )
    found = problems_of(body, extra=MESSAGE)
    assert has_problem(found, "g", "leads to 't', a serviceTask")


def test_event_based_gateway_needs_two_ways() -> None:
    found = problems_of(event_gateway(PAID, flows("g", "paid", "e")), extra=MESSAGE)
    assert has_problem(found, "g", "at least two outgoing flows")


def test_complex_gateway_is_refused() -> None:
    body = '<bpmn:startEvent id="s" /><bpmn:complexGateway id="c" />' + flows("s", "c")
    assert has_problem(problems_of(body), "c", "complex gateways are not supported")


def test_gateway_extensions_are_refused() -> None:
    body = (
        '<bpmn:startEvent id="s" /><bpmn:parallelGateway id="g"><bpmn:extensionElements>'
        '<zeebe:ioMapping><zeebe:input source="=1" target="x" /></zeebe:ioMapping>'
        '</bpmn:extensionElements></bpmn:parallelGateway><bpmn:endEvent id="e" />'
        + flows("s", "g", "e")
    )
    assert has_problem(problems_of(body), "g", "zeebe:ioMapping")
