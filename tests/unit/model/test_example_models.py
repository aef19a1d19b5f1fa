"""The shipped examples and a file as Camunda Modeler saves it parse unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from stead.model import ElementType, EventType, parse_bpmn

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.bpmn"))
FIXTURES = Path(__file__).parent / "fixtures"
BPMNDI = b"http://www.omg.org/spec/BPMN/20100524/DI"


def test_there_are_examples() -> None:
    assert {path.stem for path in EXAMPLES} >= {
        "order-fulfilment",
        "loan-approval",
        "employee-onboarding",
        "payroll-enrolment",
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_example_parses_and_has_a_diagram(path: Path) -> None:
    xml = path.read_bytes()
    [definition] = parse_bpmn(xml, source=path.name)
    assert definition.process_id == path.stem
    assert definition.scopes[definition.process_id].none_start_event is not None
    # Every flow node and flow has a shape or edge, so the modeler can draw it.
    for element_id in [*definition.elements, *definition.flows]:
        assert f'bpmnElement="{element_id}"'.encode() in xml, element_id
    assert BPMNDI in xml


def test_order_example_waits_for_payment_or_timeout() -> None:
    [definition] = parse_bpmn((ROOT / "examples" / "order-fulfilment.bpmn").read_bytes())
    gateway = definition.element("AwaitPayment")
    assert gateway.type is ElementType.EVENT_BASED_GATEWAY
    targets = {definition.flow(f).target_id for f in gateway.outgoing}
    kinds = {definition.element(t).event_type for t in targets}
    assert kinds == {EventType.MESSAGE, EventType.TIMER}


def test_loan_example_escalates_and_catches_errors() -> None:
    [definition] = parse_bpmn((ROOT / "examples" / "loan-approval.bpmn").read_bytes())
    review = definition.element("ReviewApplication")
    assert review.user_task is not None
    assert review.user_task.form_key
    boundaries = [definition.element(b) for b in review.boundary_events]
    assert sorted(b.interrupting for b in boundaries) == [False, True]
    assert definition.element("ApplicantUnknown").event_type is EventType.ERROR
    assert "form:loanReviewForm" in definition.extras


def test_camunda_modeler_file_parses_unchanged() -> None:
    xml = (FIXTURES / "camunda-modeler.bpmn").read_bytes()
    [definition] = parse_bpmn(xml, source="camunda-modeler.bpmn")
    assert definition.process_id == "Process_invoice"
    assert definition.name == "Invoice handling"  # from the pool
    assert definition.extras["versionTag"] == "3"
    task = definition.element("Activity_1b9xq2e")
    assert task.task is not None
    assert task.task.job_type.source == "io.example:ocr:1"
    assert definition.element("Gateway_0s0l3cz").default_flow == "Flow_0small"
    assert definition.element("Activity_0h7m1ag").boundary_events == ("Event_0tmo",)
    assert definition.element("Event_0rej").error is not None


def test_every_job_type_in_the_examples_has_a_demonstration_worker() -> None:
    from stead.handlers import load_handlers

    handlers = load_handlers(ROOT / "examples" / "workers.py")
    job_types = {
        element.task.job_type.source
        for path in EXAMPLES
        for definition in parse_bpmn(path.read_bytes())
        for element in definition.elements.values()
        if element.task is not None
    }
    assert job_types <= set(handlers)
