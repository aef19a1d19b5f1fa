"""The DMN TCK's FEEL test cases (all 2,043): the pass count must not fall below the baseline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNNER = REPO_ROOT / "conformance" / "feel_tck.py"
BASELINE = REPO_ROOT / "conformance" / "feel_tck_baseline.json"
DEFAULT_TCK = REPO_ROOT.parent / "shared" / "conformance" / "dmn-tck" / "TestCases"


def _tck_folder() -> Path:
    return Path(os.environ.get("STEAD_DMN_TCK") or DEFAULT_TCK)


def test_feel_tck_pass_count_does_not_regress(tmp_path: Path) -> None:
    tck = _tck_folder()
    if not tck.is_dir():
        message = f"DMN TCK test cases not found at {tck} (set STEAD_DMN_TCK)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    summary_path = tmp_path / "summary.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(RUNNER),
            "--tck",
            str(tck),
            "--out",
            str(tmp_path / "tck_results.csv"),
            "--summary-json",
            str(summary_path),
            # The 2,043 FEEL cases the TCK counts include its non-compliant folder.
            "--non-compliant",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert summary["total"] == baseline["total"], "the TCK's FEEL test cases changed"
    assert summary["passed"] >= baseline["passed"], (
        f"TCK FEEL conformance fell from {baseline['passed']} to {summary['passed']} "
        f"of {summary['total']}; failures are listed in {tmp_path / 'tck_results.csv'}\n"
        + completed.stdout
    )
