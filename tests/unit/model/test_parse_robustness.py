"""Damaged documents never crash the parser: they parse or raise ModelError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stead.model import ModelError, parse_bpmn

EXAMPLE = (Path(__file__).resolve().parents[3] / "examples" / "loan-approval.bpmn").read_bytes()

# Fragments that turn valid models into subtly invalid ones when spliced in.
FRAGMENTS = [
    b"",
    b"=",
    b'"',
    b"<",
    b"R0/",
    b"=(",
    b"PT",
    b'x" foo="',
    b"<bpmn:task/>",
    b"<bpmn:subProcess>",
    b"</bpmn:process>",
    b"zeebe",
    b"bpmn:boundaryEvent",
]


def parses_or_refuses(document: bytes) -> None:
    problems = []
    try:
        parse_bpmn(document, source="damaged.bpmn")
    except ModelError as error:
        problems = error.problems
        assert problems, "a ModelError always names at least one problem"
    assert all(problem.message for problem in problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.integers(min_value=0, max_value=len(EXAMPLE)),
    length=st.integers(min_value=0, max_value=40),
    fragment=st.sampled_from(FRAGMENTS),
)
def test_spliced_documents_parse_or_are_refused(start: int, length: int, fragment: bytes) -> None:
    parses_or_refuses(EXAMPLE[:start] + fragment + EXAMPLE[start + length :])


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused(document: bytes) -> None:
    parses_or_refuses(document)
