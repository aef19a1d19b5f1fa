"""Running the TCK's FEEL test folders: one outcome per test case, never aborting the run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from conformance.compare import NUMBER_TOLERANCE, mismatch
from conformance.dmn_eval import ModelEvaluator, UnsupportedModelError
from conformance.dmn_model import DmnModel, read_model
from conformance.feel_compiler import PreparedModel, prepare_model
from conformance.tck_cases import TestCase, read_test_file

__all__ = ["CaseOutcome", "RunOptions", "feel_folders", "run_case", "run_folder"]

SUCCESS = "SUCCESS"
ERROR = "ERROR"
IGNORED = "IGNORED"
# Between the failures of one case's result nodes in the detail column.
FAILURE_SEPARATOR = " | "


@dataclass(frozen=True)
class CaseOutcome:
    """One row of the results file."""

    folder: str
    test_file: str
    case_id: str
    status: str
    detail: str


class CaseTimeoutError(Exception):
    """A test case ran longer than allowed (e.g. an endless loop in the evaluator)."""


def feel_folders(
    tck_root: Path, name_filter: str | None = None, *, non_compliant: bool = False
) -> list[Path]:
    """The test folders of the FEEL language: names containing ``-feel-``, levels 2 and 3.

    ``non_compliant`` adds the TCK's ``non-compliant`` folder (cases that keep behaviour the
    specification has since changed or never required).
    """
    levels = ["compliance-level-2", "compliance-level-3"]
    if non_compliant:
        levels.append("non-compliant")
    folders = [
        folder
        for level in levels
        for folder in sorted((tck_root / level).glob("*-feel-*"))
        if folder.is_dir()
    ]
    if name_filter:
        folders = [f for f in folders if name_filter in f.name]
    return folders


@dataclass(frozen=True)
class RunOptions:
    """How strictly results are judged, and how long one case may take."""

    strict_errors: bool = False
    exact_numbers: bool = False
    timeout: float = 10.0


def run_folder(folder: Path, options: RunOptions | None = None) -> Iterator[CaseOutcome]:
    """Run every test case of every test file in one folder."""
    options = options or RunOptions()
    for test_path in sorted(folder.glob("*.xml")):
        try:
            test_file = read_test_file(test_path)
        except Exception as exc:
            yield CaseOutcome(folder.name, test_path.name, "*", ERROR, f"unreadable: {exc}")
            continue
        model: PreparedModel | None = None
        model_error = ""
        try:
            model = prepare_model(read_model(_model_path(folder, test_file.model_name)))
        except Exception as exc:
            model_error = f"model unreadable: {type(exc).__name__}: {exc}"
        for case in test_file.cases:
            if model is None:
                status, detail = ERROR, model_error
            else:
                status, detail = _run_with_timeout(model, case, options)
            yield CaseOutcome(folder.name, test_path.name, case.id, status, detail)


def _model_path(folder: Path, model_name: str) -> Path:
    named = folder / model_name
    if model_name and named.is_file():
        return named
    models = sorted(folder.glob("*.dmn"))
    if not models:
        raise FileNotFoundError(f"no model {model_name!r} in {folder.name}")
    return models[0]


def _on_timeout(signum: int, frame: FrameType | None) -> None:
    raise CaseTimeoutError


def _run_with_timeout(model: PreparedModel, case: TestCase, options: RunOptions) -> tuple[str, str]:
    # The alarm signal only reaches the main thread; elsewhere cases run without a time limit.
    timed = threading.current_thread() is threading.main_thread() and options.timeout > 0
    previous = signal.signal(signal.SIGALRM, _on_timeout) if timed else None
    if timed:
        signal.setitimer(signal.ITIMER_REAL, options.timeout)
    try:
        return run_case(model, case, options)
    except CaseTimeoutError:
        return ERROR, f"timed out after {options.timeout:g} s"
    except UnsupportedModelError as exc:
        return ERROR, f"unsupported: {exc}"
    except RecursionError:
        return ERROR, "crash: RecursionError"
    except Exception as exc:
        return ERROR, f"crash: {type(exc).__name__}: {exc}"
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def run_case(
    model: PreparedModel, case: TestCase, options: RunOptions | None = None
) -> tuple[str, str]:
    """Evaluate one test case: SUCCESS when every result node matches, else ERROR and why."""
    if case.input_error:
        return ERROR, f"unreadable input: {case.input_error}"
    options = options or RunOptions()
    tolerance = None if options.exact_numbers else NUMBER_TOLERANCE
    evaluator = ModelEvaluator(model, case.inputs)
    if case.kind not in ("decision", "decisionService"):
        return IGNORED, f"test case type {case.kind!r} is not run"
    actual_of = (
        _service_results(model.model, case, evaluator) if case.kind == "decisionService" else None
    )
    failures = []
    for node in case.results:
        if node.expected_error:
            return ERROR, f"unreadable expected value of {node.name}: {node.expected_error}"
        # A decision service ran before the loop: all of its warnings belong to every node.
        warnings_before = 0 if actual_of else len(evaluator.warnings)
        actual = actual_of(node.name) if actual_of else evaluator.decision_value(node.name)
        found = mismatch(node.expected, actual, tolerance=tolerance)
        reported = len(evaluator.warnings) > warnings_before
        if found is None and options.strict_errors and node.error_result and not reported:
            found = "expected an error to be reported, none was"
        if found is not None:
            warning = _last_warning(evaluator, warnings_before)
            failures.append(f"{node.name}: {found}{warning}")
    if failures:
        return ERROR, FAILURE_SEPARATOR.join(failures)
    return SUCCESS, ""


def _service_results(model: DmnModel, case: TestCase, evaluator: ModelEvaluator) -> Any:
    service = model.service_named(case.invocable_name or "")
    if service is None:
        raise UnsupportedModelError(f"no decision service named {case.invocable_name!r}")
    result = evaluator.run_service(service, case.inputs)
    single = len(service.output_decisions) == 1

    def value_of(name: str) -> Any:
        if single:
            return result
        return result.get(name) if isinstance(result, dict) else None

    return value_of


def _last_warning(evaluator: ModelEvaluator, since: int) -> str:
    fresh = evaluator.warnings[since:]
    return f" (warning: {fresh[-1]})" if fresh else ""
