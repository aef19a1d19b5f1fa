"""Reading TCK test files (``testCases.xsd``): test cases, their inputs and expected results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from conformance.tck_values import read_value
from conformance.xml_names import child, child_text, children

__all__ = ["ResultNode", "TestCase", "TestFile", "read_test_file"]


@dataclass(frozen=True)
class ResultNode:
    """One expected result: a decision's value (or a decision service's output)."""

    name: str
    expected: Any
    # When reading the expected value failed, why; the case is then reported as an error.
    expected_error: str | None = None
    error_result: bool = False


@dataclass(frozen=True)
class TestCase:
    """One test case: named inputs and the results they must produce."""

    id: str
    kind: str  # "decision", "bkm" or "decisionService"
    invocable_name: str | None
    inputs: dict[str, Any]
    results: list[ResultNode]
    input_error: str | None = None


@dataclass(frozen=True)
class TestFile:
    """A test file and the model file it exercises."""

    path: Path
    model_name: str
    cases: list[TestCase] = field(default_factory=list)


def read_test_file(path: Path) -> TestFile:
    """Parse one ``*-test-NN.xml`` file."""
    root = ElementTree.parse(str(path)).getroot()
    if root is None:
        raise ValueError(f"{path.name} is empty")
    model_name = (child_text(root, "modelName") or "").strip()
    cases = [_read_case(element, index) for index, element in enumerate(children(root, "testCase"))]
    return TestFile(path=path, model_name=model_name, cases=cases)


def _read_case(element: Any, index: int) -> TestCase:
    inputs: dict[str, Any] = {}
    input_error: str | None = None
    for node in children(element, "inputNode"):
        try:
            inputs[node.get("name", "")] = read_value(node)
        except ValueError as exc:
            input_error = f"input {node.get('name')}: {exc}"
    results = [_read_result(node) for node in children(element, "resultNode")]
    return TestCase(
        id=element.get("id") or str(index + 1),
        kind=element.get("type") or "decision",
        invocable_name=element.get("invocableName"),
        inputs=inputs,
        results=results,
        input_error=input_error,
    )


def _read_result(node: Any) -> ResultNode:
    name = node.get("name", "")
    error_result = node.get("errorResult", "false").strip() in ("true", "1")
    expected_element = child(node, "expected")
    if expected_element is None:
        return ResultNode(name=name, expected=None, error_result=error_result)
    try:
        expected = read_value(expected_element)
    except ValueError as exc:
        return ResultNode(name, None, expected_error=str(exc), error_result=error_result)
    return ResultNode(name=name, expected=expected, error_result=error_result)
