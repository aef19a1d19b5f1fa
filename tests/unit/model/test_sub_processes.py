"""Embedded and event sub-processes, multi-instance loops."""

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


def sub_process(inner: str, *, sub_id: str = "sub", attrs: str = "", loop: str = "") -> str:
    return f'<bpmn:subProcess id="{sub_id}" {attrs}>{loop}{inner}</bpmn:subProcess>'


INNER = (
    '<bpmn:startEvent id="is" /><bpmn:serviceTask id="it">'
    + job()
    + '</bpmn:serviceTask><bpmn:endEvent id="ie" />'
    + flows("is", "it", "ie")
)


def test_embedded_sub_process_is_its_own_scope() -> None:
    definition = parse_one(around(sub_process(INNER), "sub"))
    sub = definition.element("sub")
    assert sub.type is ElementType.SUB_PROCESS
    assert not sub.triggered_by_event
    assert definition.element("it").parent_id == "sub"
    assert definition.scopes["sub"].none_start_event == "is"
    assert definition.scopes["sub"].elements == ("is", "it", "ie")
    assert "it" not in definition.scopes["p"].elements


def test_sub_process_needs_exactly_one_none_start() -> None:
    inner = '<bpmn:task id="it" /><bpmn:endEvent id="ie" />' + flows("it", "ie")
    found = problems_of(around(sub_process(inner), "sub"))
    assert has_problem(found, "sub", "needs exactly one none start event")


def test_flow_between_scopes_is_refused() -> None:
    body = around(sub_process(INNER), "sub") + flows("s", "it")
    found = problems_of(body.replace('id="s_sub"', 'id="s_sub2"'))
    assert has_problem(found, "s_it", "not in the same process or sub-process")


def event_sub_process(start: str, *, sub_id: str = "esp") -> str:
    inner = (
        f'{start}<bpmn:serviceTask id="{sub_id}_t">{job()}</bpmn:serviceTask>'
        f'<bpmn:endEvent id="{sub_id}_e" />' + flows(f"{sub_id}_s", f"{sub_id}_t", f"{sub_id}_e")
    )
    return sub_process(inner, sub_id=sub_id, attrs='triggeredByEvent="true"')


def test_event_sub_processes_with_message_timer_and_error_starts() -> None:
    body = (
        around('<bpmn:task id="t" />', "t")
        + event_sub_process(
            '<bpmn:startEvent id="msg_s" isInterrupting="false">'
            '<bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>',
            sub_id="msg",
        )
        + event_sub_process(
            '<bpmn:startEvent id="tick_s" isInterrupting="false"><bpmn:timerEventDefinition>'
            "<bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>",
            sub_id="tick",
        )
        + event_sub_process(
            '<bpmn:startEvent id="err_s"><bpmn:errorEventDefinition errorRef="err" />'
            "</bpmn:startEvent>",
            sub_id="err",
        )
    )
    definition = parse_one(body, extra=MESSAGE + ERROR)
    assert definition.scopes["p"].event_sub_processes == ("msg", "tick", "err")
    assert definition.scopes["p"].start_events == ("s",)
    assert definition.element("msg").triggered_by_event
    message_start = definition.element("msg_s")
    assert message_start.event_type is EventType.MESSAGE
    assert not message_start.interrupting
    assert message_start.message is not None
    assert message_start.message.correlation_key
    assert definition.scopes["msg"].start_events == ("msg_s",)
    assert definition.element("tick_s").timer is not None
    error_start = definition.element("err_s")
    assert error_start.interrupting
    assert error_start.error is not None
    assert error_start.error.error_code is not None


@pytest.mark.parametrize(
    ("start", "text"),
    [
        ('<bpmn:startEvent id="esp_s" />', "none event sub-process start events are not"),
        (
            '<bpmn:startEvent id="esp_s"><bpmn:messageEventDefinition messageRef="k" />'
            "</bpmn:startEvent>",
            "needs a correlation key",
        ),
        (
            '<bpmn:startEvent id="esp_s" isInterrupting="false"><bpmn:errorEventDefinition />'
            "</bpmn:startEvent>",
            "must be interrupting",
        ),
        (
            '<bpmn:startEvent id="esp_s"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1M'
            "</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>",
            "not allowed on an interrupting event sub-process start event",
        ),
    ],
)
def test_event_sub_process_start_problems(start: str, text: str) -> None:
    body = around('<bpmn:task id="t" />', "t") + event_sub_process(start)
    found = problems_of(body, extra=MESSAGE_WITHOUT_KEY.replace('id="m"', 'id="k"'))
    assert has_problem(found, "esp_s", text)


def test_event_sub_process_cannot_have_flows() -> None:
    body = (
        '<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />'
        + event_sub_process(
            '<bpmn:startEvent id="esp_s"><bpmn:errorEventDefinition /></bpmn:startEvent>'
        )
        + flows("s", "esp", "e")
    )
    assert has_problem(problems_of(body), "esp", "cannot have sequence flows")


def multi_instance(sequential: bool, zeebe: str, completion: str = "") -> str:
    condition = (
        f'<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">{completion}'
        "</bpmn:completionCondition>"
        if completion
        else ""
    )
    return (
        f'<bpmn:multiInstanceLoopCharacteristics isSequential="{str(sequential).lower()}">'
        f"<bpmn:extensionElements>{zeebe}</bpmn:extensionElements>{condition}"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )


FULL_LOOP = (
    '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" '
    'outputCollection="results" outputElement="=result" />'
)


def test_multi_instance_on_task_and_sub_process() -> None:
    task = (
        f'<bpmn:serviceTask id="t">{job()}'
        f"{multi_instance(True, FULL_LOOP, '=count(results) &gt;= 2')}</bpmn:serviceTask>"
    )
    definition = parse_one(around(task, "t"))
    loop = definition.element("t").multi_instance
    assert loop is not None
    assert loop.sequential
    assert loop.input_collection.source == "=items"
    assert (loop.input_element, loop.output_collection) == ("item", "results")
    assert loop.output_element is not None
    assert loop.output_element.source == "=result"
    assert loop.completion_condition is not None
    sub = sub_process(
        INNER, loop=multi_instance(False, '<zeebe:loopCharacteristics inputCollection="=xs" />')
    )
    parallel = parse_one(around(sub, "sub")).element("sub").multi_instance
    assert parallel is not None
    assert not parallel.sequential
    assert parallel.input_element is None


@pytest.mark.parametrize(
    ("zeebe", "text"),
    [
        ("", "needs an input collection"),
        ('<zeebe:loopCharacteristics inputElement="x" />', "needs an input collection"),
        ('<zeebe:loopCharacteristics inputCollection="items" />', "must be a FEEL expression"),
        (
            '<zeebe:loopCharacteristics inputCollection="=xs" outputCollection="out" />',
            "outputCollection and outputElement must be given together",
        ),
    ],
)
def test_multi_instance_problems(zeebe: str, text: str) -> None:
    task = f'<bpmn:serviceTask id="t">{job()}{multi_instance(False, zeebe)}</bpmn:serviceTask>'
    assert has_problem(problems_of(around(task, "t")), "t", text)


def test_loop_cardinality_and_standard_loops_are_refused() -> None:
    loop = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality>"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )
    found = problems_of(around(f'<bpmn:task id="t">{loop}</bpmn:task>', "t"))
    assert has_problem(found, "t", "loopCardinality is not supported")
    standard = "<bpmn:standardLoopCharacteristics />"
    found = problems_of(around(f'<bpmn:task id="t">{standard}</bpmn:task>', "t"))
    assert has_problem(found, "t", "standard loops are not supported")


@pytest.mark.parametrize(
    ("tag", "text"),
    [
        ("transaction", "transactions are not supported"),
        ("adHocSubProcess", "ad-hoc sub-processes are not supported"),
    ],
)
def test_unsupported_sub_process_kinds_are_refused(tag: str, text: str) -> None:
    body = around(f'<bpmn:{tag} id="x" />', "x")
    assert has_problem(problems_of(body), "x", text)


def test_deep_nesting_is_refused_not_crashing() -> None:
    inner = '<bpmn:startEvent id="leaf" />'
    for level in range(80):
        start = f'<bpmn:startEvent id="s{level}" />'
        inner = f'<bpmn:subProcess id="l{level}">{start}{inner}</bpmn:subProcess>'
    found = problems_of(f'<bpmn:startEvent id="s" />{inner}')
    assert any("nested more than" in message for _, message in found)
