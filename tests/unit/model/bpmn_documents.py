"""Small BPMN documents for the model tests, written the way the modeler writes them."""

from __future__ import annotations

import itertools

import pytest

from stead.model import ModelError, ProcessDefinition, parse_bpmn

NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:stead="http://stead.dev/schema/bpmn/1.0" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def document(*processes: str, extra: str = "") -> bytes:
    """A ``bpmn:definitions`` holding ``processes`` and ``extra`` root elements."""
    body = "\n".join(processes)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions {NAMESPACES} id="defs" targetNamespace="http://bpmn.io/schema/bpmn">\n'
        f"{body}\n{extra}\n</bpmn:definitions>\n"
    ).encode()


def process(body: str, *, process_id: str = "p", executable: bool = True) -> str:
    flag = "true" if executable else "false"
    return f'<bpmn:process id="{process_id}" isExecutable="{flag}">\n{body}\n</bpmn:process>'


def flows(*ids: str) -> str:
    """Sequence flows chaining ``ids`` in order; flow ids are ``a_b``."""
    return "\n".join(
        f'<bpmn:sequenceFlow id="{a}_{b}" sourceRef="{a}" targetRef="{b}" />'
        for a, b in itertools.pairwise(ids)
    )


def around(node: str, node_id: str) -> str:
    """``node`` between a none start event ``s`` and a none end event ``e``."""
    return (
        f'<bpmn:startEvent id="s" />\n{node}\n<bpmn:endEvent id="e" />\n{flows("s", node_id, "e")}'
    )


def parse_one(body: str, *, extra: str = "") -> ProcessDefinition:
    """The single process of a document whose process holds ``body``."""
    [definition] = parse_bpmn(document(process(body), extra=extra))
    return definition


def problems_of(body: str, *, extra: str = "") -> list[tuple[str | None, str]]:
    """The (element id, message) pairs a document whose process holds ``body`` is refused
    with."""
    with pytest.raises(ModelError) as caught:
        parse_bpmn(document(process(body), extra=extra))
    return [(problem.element_id, problem.message) for problem in caught.value.problems]


def has_problem(found: list[tuple[str | None, str]], element_id: str | None, text: str) -> bool:
    return any(eid == element_id and text in message for eid, message in found)


def job(job_type: str = "work") -> str:
    definition = f'<zeebe:taskDefinition type="{job_type}" />'
    return f"<bpmn:extensionElements>{definition}</bpmn:extensionElements>"


MESSAGE = (
    '<bpmn:message id="m" name="paid">'
    '<bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" />'
    "</bpmn:extensionElements></bpmn:message>"
)
MESSAGE_WITHOUT_KEY = '<bpmn:message id="m" name="paid" />'
ERROR = '<bpmn:error id="err" name="Failed" errorCode="FAILED" />'
