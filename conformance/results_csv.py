"""Writing ``tck_results.csv`` in the TCK's format and summarising the outcomes."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from conformance.tck_runner import FAILURE_SEPARATOR, SUCCESS, CaseOutcome

__all__ = ["format_causes", "format_summary", "summarise", "write_results"]


def write_results(outcomes: Iterable[CaseOutcome], path: Path) -> None:
    """One row per test case: "folder","test file","test case id","status","detail"."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for o in outcomes:
            writer.writerow([o.folder, o.test_file, o.case_id, o.status, _one_line(o.detail)])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def summarise(outcomes: list[CaseOutcome]) -> dict[str, Any]:
    """Totals and per-folder counts, as JSON-ready data."""
    statuses = Counter(o.status for o in outcomes)
    per_folder: dict[str, list[int]] = {}
    for o in outcomes:
        counts = per_folder.setdefault(o.folder, [0, 0])
        counts[0] += o.status == SUCCESS
        counts[1] += 1
    return {
        "passed": statuses[SUCCESS],
        "total": len(outcomes),
        "errors": statuses["ERROR"],
        "ignored": statuses["IGNORED"],
        "per_folder": per_folder,
    }


def format_summary(summary: dict[str, Any]) -> str:
    """A readable report: the failing folders, then the totals."""
    lines = []
    failing = {f: c for f, c in summary["per_folder"].items() if c[0] < c[1]}
    if failing:
        lines.append(f"{'folder':<48} {'failed':>6} / total")
        for folder, (passed, total) in sorted(failing.items()):
            lines.append(f"{folder:<48} {total - passed:>6} / {total}")
        lines.append("")
    total = summary["total"]
    percent = 100.0 * summary["passed"] / total if total else 0.0
    lines.append(
        f"passed {summary['passed']}/{total} ({percent:.1f}%), errors {summary['errors']}, "
        f"ignored {summary['ignored']}, folders {len(summary['per_folder'])} "
        f"({len(summary['per_folder']) - len(failing)} fully passing)"
    )
    return "\n".join(lines)


def format_causes(outcomes: list[CaseOutcome], limit: int = 40) -> str:
    """The most frequent failure causes, with one example case each.

    Failures are grouped by the warning the evaluator gave (or the mismatch when it gave
    none), with quoted text and numbers blanked so that one cause forms one group.
    """
    groups: Counter[str] = Counter()
    examples: dict[str, CaseOutcome] = {}
    for outcome in outcomes:
        if outcome.status == SUCCESS:
            continue
        cause = _cause(outcome.detail)
        groups[cause] += 1
        examples.setdefault(cause, outcome)
    lines = []
    for cause, count in groups.most_common(limit):
        example = examples[cause]
        lines.append(f"{count:>5}  {cause}")
        detail = " ".join(example.detail.split())[:160]
        lines.append(f"       e.g. {example.folder} {example.case_id}: {detail}")
    return "\n".join(lines)


def _cause(detail: str) -> str:
    first = detail.split(FAILURE_SEPARATOR)[0]
    warning = re.search(r"\(warning: (.*)\)$", first, re.DOTALL)
    text = warning.group(1) if warning else first.split(": ", 1)[-1]
    text = text.splitlines()[0] if text else text
    text = re.sub(r"line \d+, column \d+: ", "", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"\d+(\.\d+)?", "N", text)
    return text[:120]
