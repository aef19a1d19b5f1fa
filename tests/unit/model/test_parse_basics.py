"""parse_bpmn: one definition per executable process, content hashes, caching, error format."""

from __future__ import annotations

import hashlib

import pytest
from bpmn_documents import around, document, flows, job, process

from stead.model import (
    ElementType,
    EventType,
    ModelError,
    Problem,
    clear_cache,
    content_hash,
    parse_bpmn,
)

PLAIN = around(f'<bpmn:serviceTask id="t">{job()}</bpmn:serviceTask>', "t")


def test_each_executable_process_becomes_one_definition() -> None:
    xml = document(
        process(PLAIN, process_id="first"),
        process(PLAIN, process_id="notes", executable=False),
        process(PLAIN, process_id="second"),
    )
    definitions = parse_bpmn(xml)
    assert [d.process_id for d in definitions] == ["first", "second"]
    assert all(d.document_hash == hashlib.sha256(xml).hexdigest() for d in definitions)
    assert content_hash(xml) == definitions[0].document_hash
    # Each process has its own hash: the document without the file's other processes.
    assert definitions[0].content_hash != definitions[1].content_hash


def test_linked_graph_has_flows_and_scope() -> None:
    [definition] = parse_bpmn(document(process(PLAIN)))
    task = definition.element("t")
    assert task.type is ElementType.SERVICE_TASK
    assert task.parent_id == "p"
    assert task.incoming == ("s_t",)
    assert task.outgoing == ("t_e",)
    assert definition.flow("s_t").target_id == "t"
    scope = definition.scopes["p"]
    assert scope.none_start_event == "s"
    assert scope.start_events == ("s",)
    assert scope.elements == ("s", "t", "e")


def test_same_content_is_parsed_once() -> None:
    clear_cache()
    xml = document(process(PLAIN))
    first = parse_bpmn(xml)
    second = parse_bpmn(xml, source="other-name.bpmn")
    assert first[0] is second[0]
    changed = parse_bpmn(xml.replace(b'id="t"', b'id="t" name="Work"'))
    assert changed[0] is not first[0]


def test_text_input_is_accepted_as_utf8() -> None:
    [definition] = parse_bpmn(document(process(PLAIN)).decode())
    assert definition.process_id == "p"


def test_collaboration_wrapper_names_the_process() -> None:
    collaboration = (
        '<bpmn:collaboration id="c"><bpmn:participant id="pool" name="Billing" '
        'processRef="p" /><bpmn:participant id="customer" name="Customer" />'
        '<bpmn:messageFlow id="mf" sourceRef="customer" targetRef="pool" />'
        "</bpmn:collaboration>"
    )
    xml = document(collaboration, process(PLAIN))
    [definition] = parse_bpmn(xml)
    assert definition.name == "Billing"


def test_all_problems_are_reported_at_once_one_per_line() -> None:
    body = (
        '<bpmn:startEvent id="s" />'
        '<bpmn:serviceTask id="a" />'
        '<bpmn:serviceTask id="b" />'
        '<bpmn:complexGateway id="c" />' + flows("s", "a", "b", "missing")
    )
    with pytest.raises(ModelError) as caught:
        parse_bpmn(document(process(body)), source="orders.bpmn")
    problems = caught.value.problems
    assert Problem("a", "a service task needs a job type (zeebe:taskDefinition type)") in problems
    assert any(p.element_id == "b" for p in problems)
    assert any(p.element_id == "c" and "complex gateways" in p.message for p in problems)
    assert any(p.element_id == "b_missing" and "'missing'" in p.message for p in problems)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(problems) == 4
    assert all(line.startswith("orders.bpmn:") for line in lines)


def test_problems_point_at_the_line_of_their_element() -> None:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n'
        b'  <bpmn:process id="p" isExecutable="true">\n'
        b'    <bpmn:startEvent id="s" />\n'
        b'    <bpmn:serviceTask id="t" />\n'
        b'    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />\n'
        b"  </bpmn:process>\n"
        b"</bpmn:definitions>\n"
    )
    with pytest.raises(ModelError) as caught:
        parse_bpmn(xml, source="orders.bpmn")
    [problem] = caught.value.problems
    assert (problem.element_id, problem.line) == ("t", 5)
    assert str(caught.value) == (
        "orders.bpmn:5: t: a service task needs a job type (zeebe:taskDefinition type)"
    )


def test_duplicate_ids_are_refused() -> None:
    body = PLAIN + '<bpmn:task id="t" />'
    with pytest.raises(ModelError) as caught:
        parse_bpmn(document(process(body)))
    assert Problem("t", "the id is used by more than one element") in caught.value.problems


def test_definition_helpers_for_the_engine() -> None:
    body = (
        '<bpmn:startEvent id="s" /><bpmn:startEvent id="tick"><bpmn:timerEventDefinition>'
        "<bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"
        '<bpmn:parallelGateway id="g" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />'
        + flows("s", "g", "a")
        + flows("g", "b")
        + flows("tick", "a")
    )
    [definition] = parse_bpmn(document(process(body)))
    assert [f.target_id for f in definition.outgoing_flows("g")] == ["a", "b"]
    assert [e.id for e in definition.start_events_of(EventType.TIMER)] == ["tick"]
    assert [e.id for e in definition.start_events_of(EventType.NONE)] == ["s"]


def test_the_cache_keeps_only_the_most_recent_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    from stead.model import bpmn

    clear_cache()
    monkeypatch.setattr(bpmn, "CACHE_SIZE", 2)
    documents = [
        document(process(PLAIN.replace('id="t"', f'id="t" name="v{i}"'))) for i in range(3)
    ]
    first = parse_bpmn(documents[0])[0]
    second = parse_bpmn(documents[1])[0]
    assert parse_bpmn(documents[0])[0] is first  # recently used: kept
    parse_bpmn(documents[2])  # evicts documents[1], the least recently used
    assert parse_bpmn(documents[0])[0] is first
    assert parse_bpmn(documents[1])[0] is not second  # parsed again
    clear_cache()


def test_problem_text_names_the_element() -> None:
    assert str(Problem("Task_1", "a service task needs a job type")) == (
        "Task_1: a service task needs a job type"
    )
    assert str(Problem(None, "not well-formed XML")) == "not well-formed XML"
