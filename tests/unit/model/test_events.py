"""Start, end, intermediate and boundary events parse into the right graph, and events Stead
cannot execute are refused by name."""

from __future__ import annotations

import pytest
from bpmn_documents import (
    ERROR,
    MESSAGE,
    MESSAGE_WITHOUT_KEY,
    around,
    flows,
    has_problem,
    job,
    parse_one,
    problems_of,
)

from stead.model import ElementType, EventType


def timer(kind: str, value: str) -> str:
    return (
        f'<bpmn:timerEventDefinition><bpmn:{kind} xsi:type="bpmn:tFormalExpression">{value}'
        f"</bpmn:{kind}></bpmn:timerEventDefinition>"
    )


def test_message_and_timer_start_events() -> None:
    body = (
        '<bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m" />'
        "</bpmn:startEvent>"
        f'<bpmn:startEvent id="nightly">{timer("timeCycle", "0 0 2 * * *")}</bpmn:startEvent>'
        f'<bpmn:startEvent id="once">{timer("timeDate", "2030-01-01T09:00:00Z")}</bpmn:startEvent>'
        '<bpmn:endEvent id="e" />' + flows("byMessage", "e") + flows("nightly", "e")
    )
    definition = parse_one(body, extra=MESSAGE)
    by_message = definition.element("byMessage")
    assert by_message.event_type is EventType.MESSAGE
    assert by_message.message is not None
    assert by_message.message.name.source == "paid"
    assert by_message.message.correlation_key is None  # a start event correlates by name only
    nightly = definition.element("nightly")
    assert nightly.timer is not None
    assert (nightly.timer.kind, nightly.timer.value.source) == ("cycle", "0 0 2 * * *")
    scope = definition.scopes["p"]
    assert scope.none_start_event is None
    assert scope.start_events == ("byMessage", "nightly", "once")


def test_message_start_event_needs_no_correlation_key() -> None:
    body = (
        '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>'
    )
    assert parse_one(body, extra=MESSAGE_WITHOUT_KEY).element("s").message is not None


def test_end_events_error_terminate_message() -> None:
    body = (
        '<bpmn:startEvent id="s" /><bpmn:parallelGateway id="g" />'
        '<bpmn:endEvent id="failed"><bpmn:errorEventDefinition errorRef="err" /></bpmn:endEvent>'
        '<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>'
        '<bpmn:endEvent id="notify">'
        '<bpmn:extensionElements><zeebe:taskDefinition type="notify" />'
        '<zeebe:taskHeaders><zeebe:header key="channel" value="mail" /></zeebe:taskHeaders>'
        "</bpmn:extensionElements><bpmn:messageEventDefinition /></bpmn:endEvent>"
        + flows("s", "g", "failed")
        + flows("g", "stop")
        + flows("g", "notify")
    )
    definition = parse_one(body, extra=ERROR)
    failed = definition.element("failed")
    assert failed.event_type is EventType.ERROR
    assert failed.error is not None
    assert failed.error.error_code is not None
    assert failed.error.error_code.source == "FAILED"
    assert definition.element("stop").event_type is EventType.TERMINATE
    notify = definition.element("notify")
    assert notify.event_type is EventType.MESSAGE
    assert notify.task is not None
    assert notify.task.job_type.source == "notify"
    assert notify.headers == (("channel", "mail"),)


def test_message_end_event_needs_a_job_type() -> None:
    found = problems_of(
        '<bpmn:startEvent id="s" /><bpmn:endEvent id="x"><bpmn:messageEventDefinition />'
        '</bpmn:endEvent><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="x" />'
    )
    assert has_problem(found, "x", "needs a job type")


def test_error_end_event_needs_an_error_code() -> None:
    found = problems_of(
        '<bpmn:startEvent id="s" /><bpmn:endEvent id="x"><bpmn:errorEventDefinition />'
        '</bpmn:endEvent><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="x" />'
    )
    assert has_problem(found, "x", "needs an error with an errorCode")


def test_intermediate_timer_and_message_catch_and_none_throw() -> None:
    body = (
        '<bpmn:startEvent id="s" />'
        f'<bpmn:intermediateCatchEvent id="wait">{timer("timeDuration", "PT15M")}'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:intermediateCatchEvent id="paid">'
        '<bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=amount" target="paid" />'
        "</zeebe:ioMapping></bpmn:extensionElements>"
        '<bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>'
        '<bpmn:intermediateThrowEvent id="milestone" />'
        '<bpmn:endEvent id="e" />' + flows("s", "wait", "paid", "milestone", "e")
    )
    definition = parse_one(body, extra=MESSAGE)
    wait = definition.element("wait")
    assert wait.type is ElementType.INTERMEDIATE_CATCH_EVENT
    assert wait.timer is not None
    assert wait.timer.kind == "duration"
    paid = definition.element("paid")
    assert paid.message is not None
    assert paid.message.correlation_key is not None
    assert paid.message.correlation_key.source == "=orderId"
    assert paid.output_mappings[0].target == "paid"
    assert definition.element("milestone").event_type is EventType.NONE


def test_feel_timer_value_is_compiled() -> None:
    body = around(
        '<bpmn:intermediateCatchEvent id="w">'
        f"{timer('timeDate', '=date and time(dueAt)')}</bpmn:intermediateCatchEvent>",
        "w",
    )
    value = parse_one(body).element("w").timer.value  # type: ignore[union-attr]
    assert not value.is_static
    assert value.compiled is not None


def test_message_catch_without_correlation_key_is_refused() -> None:
    body = around(
        '<bpmn:intermediateCatchEvent id="w"><bpmn:messageEventDefinition messageRef="m" />'
        "</bpmn:intermediateCatchEvent>",
        "w",
    )
    found = problems_of(body, extra=MESSAGE_WITHOUT_KEY)
    assert has_problem(found, "w", "needs a correlation key")


def test_message_reference_must_exist() -> None:
    body = around(
        '<bpmn:intermediateCatchEvent id="w"><bpmn:messageEventDefinition messageRef="nope" />'
        "</bpmn:intermediateCatchEvent>",
        "w",
    )
    assert has_problem(problems_of(body), "w", "'nope' does not exist")


def boundary_around(boundary: str) -> str:
    return (
        '<bpmn:startEvent id="s" />'
        f'<bpmn:serviceTask id="t">{job()}</bpmn:serviceTask>'
        f"{boundary}"
        '<bpmn:endEvent id="e" /><bpmn:endEvent id="e2" />'
        + flows("s", "t", "e")
        + flows("b", "e2")
    )


def test_boundary_events_timer_message_error() -> None:
    body = boundary_around(
        f'<bpmn:boundaryEvent id="b" attachedToRef="t">{timer("timeDuration", "PT1H")}'
        "</bpmn:boundaryEvent>"
        '<bpmn:boundaryEvent id="remind" cancelActivity="false" attachedToRef="t">'
        f"{timer('timeCycle', 'R3/PT10M')}</bpmn:boundaryEvent>"
        '<bpmn:boundaryEvent id="cancelled" attachedToRef="t">'
        '<bpmn:messageEventDefinition messageRef="m" /></bpmn:boundaryEvent>'
        '<bpmn:boundaryEvent id="failed" attachedToRef="t">'
        '<bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>'
        '<bpmn:boundaryEvent id="anyError" attachedToRef="t">'
        "<bpmn:errorEventDefinition /></bpmn:boundaryEvent>"
        '<bpmn:endEvent id="e3" />'
        + flows("remind", "e3")
        + flows("cancelled", "e3")
        + flows("failed", "e3")
        + flows("anyError", "e3")
    )
    definition = parse_one(body, extra=MESSAGE + ERROR)
    task = definition.element("t")
    assert task.boundary_events == ("b", "remind", "cancelled", "failed", "anyError")
    timeout = definition.element("b")
    assert timeout.attached_to == "t"
    assert timeout.interrupting
    remind = definition.element("remind")
    assert not remind.interrupting
    assert remind.timer is not None
    assert remind.timer.kind == "cycle"
    assert definition.element("cancelled").event_type is EventType.MESSAGE
    failed = definition.element("failed")
    assert failed.error is not None
    assert failed.error.error_code is not None
    assert failed.error.error_code.source == "FAILED"
    catch_all = definition.element("anyError")
    assert catch_all.error is not None
    assert catch_all.error.error_code is None


@pytest.mark.parametrize(
    ("boundary", "text"),
    [
        (
            f'<bpmn:boundaryEvent id="b" attachedToRef="t">{timer("timeCycle", "R/PT1M")}'
            "</bpmn:boundaryEvent>",
            "time cycle is not allowed on an interrupting boundary event",
        ),
        (
            '<bpmn:boundaryEvent id="b" cancelActivity="false" attachedToRef="t">'
            '<bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>',
            "must be interrupting",
        ),
        (
            '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:messageEventDefinition '
            'messageRef="k" /></bpmn:boundaryEvent>',
            "needs a correlation key",
        ),
        ('<bpmn:boundaryEvent id="b" attachedToRef="t" />', "none boundary events are not"),
        (
            '<bpmn:boundaryEvent id="b" attachedToRef="s">'
            f"{timer('timeDuration', 'PT1M')}</bpmn:boundaryEvent>",
            "boundary events belong on activities",
        ),
        (
            '<bpmn:boundaryEvent id="b" attachedToRef="ghost">'
            f"{timer('timeDuration', 'PT1M')}</bpmn:boundaryEvent>",
            "'ghost', which does not exist",
        ),
    ],
)
def test_boundary_event_problems(boundary: str, text: str) -> None:
    extra = ERROR + '<bpmn:message id="k" name="cancel" />'
    assert has_problem(problems_of(boundary_around(boundary), extra=extra), "b", text)


def test_boundary_event_needs_an_outgoing_flow() -> None:
    body = (
        '<bpmn:startEvent id="s" />'
        f'<bpmn:serviceTask id="t">{job()}</bpmn:serviceTask>'
        f'<bpmn:boundaryEvent id="b" attachedToRef="t">{timer("timeDuration", "PT1M")}'
        '</bpmn:boundaryEvent><bpmn:endEvent id="e" />' + flows("s", "t", "e")
    )
    assert has_problem(problems_of(body), "b", "needs an outgoing sequence flow")


@pytest.mark.parametrize(
    ("definition", "kind"),
    [
        ('<bpmn:signalEventDefinition signalRef="sig" />', "signal"),
        ("<bpmn:escalationEventDefinition />", "escalation"),
        ("<bpmn:compensateEventDefinition />", "compensation"),
        ("<bpmn:conditionalEventDefinition />", "conditional"),
        ('<bpmn:linkEventDefinition name="x" />', "link"),
    ],
)
def test_unsupported_event_definitions_are_refused(definition: str, kind: str) -> None:
    body = around(
        f'<bpmn:intermediateCatchEvent id="w">{definition}</bpmn:intermediateCatchEvent>', "w"
    )
    assert has_problem(problems_of(body), "w", f"{kind} events are not supported")


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        ("PT", "timeDuration", "not an ISO 8601 duration"),
        ("10 minutes", "timeDuration", "not an ISO 8601 duration"),
        ("2030-01-01", "timeDate", "not a date and time"),
        ("2030-01-01T10:00:00", "timeDate", "needs a time zone offset"),
        ("2030-13-01T10:00:00Z", "timeDate", "not an ISO 8601 date and time"),
    ],
)
def test_invalid_static_timer_values_are_refused(value: str, kind: str, text: str) -> None:
    body = around(
        f'<bpmn:intermediateCatchEvent id="w">{timer(kind, value)}</bpmn:intermediateCatchEvent>',
        "w",
    )
    assert has_problem(problems_of(body), "w", text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("R0/PT1M", "repeats zero times"),
        ("R3/PT0S", "positive interval"),
        ("RX/PT1M", "not a repeating interval"),
        ("61 * * * *", "not a valid cron expression"),
        ("every day", "neither a repeating interval"),
    ],
)
def test_invalid_cycles_on_start_events_are_refused(value: str, text: str) -> None:
    body = f'<bpmn:startEvent id="t1">{timer("timeCycle", value)}</bpmn:startEvent>'
    assert has_problem(problems_of(body), "t1", text)


def test_timer_start_event_cannot_use_a_duration() -> None:
    body = f'<bpmn:startEvent id="t1">{timer("timeDuration", "PT1M")}</bpmn:startEvent>'
    assert has_problem(problems_of(body), "t1", "time duration is not allowed on a start event")


def test_feel_syntax_error_names_element_and_attribute() -> None:
    body = around(
        '<bpmn:intermediateCatchEvent id="w">'
        f"{timer('timeDuration', '=duration(')}</bpmn:intermediateCatchEvent>",
        "w",
    )
    assert has_problem(problems_of(body), "w", "timeDuration is not valid FEEL: line 1")


def test_error_start_event_outside_event_sub_process_is_refused() -> None:
    body = '<bpmn:startEvent id="x"><bpmn:errorEventDefinition /></bpmn:startEvent>'
    found = problems_of(body)
    assert has_problem(found, "x", "error start events are not supported")


def test_message_throw_event_is_a_job() -> None:
    body = around(
        '<bpmn:intermediateThrowEvent id="x"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="publish" /></bpmn:extensionElements>'
        "<bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>",
        "x",
    )
    element = parse_one(body).element("x")
    assert element.event_type is EventType.MESSAGE
    assert element.task is not None
    found = problems_of(
        around(
            '<bpmn:intermediateThrowEvent id="x"><bpmn:messageEventDefinition />'
            "</bpmn:intermediateThrowEvent>",
            "x",
        )
    )
    assert has_problem(found, "x", "a message intermediate throw event needs a job type")
