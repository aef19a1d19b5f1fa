"""Command line: run the DMN TCK's FEEL test cases against Stead and write tck_results.csv."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    # Run as a script, the runner's own package must be importable by its full name.
    sys.path.insert(0, str(REPO_ROOT))

from conformance.results_csv import format_causes, format_summary, summarise, write_results  # noqa: E402
from conformance.tck_runner import (  # noqa: E402
    SUCCESS,
    CaseOutcome,
    RunOptions,
    feel_folders,
    run_folder,
)

DEFAULT_TCK = REPO_ROOT.parent / "shared" / "conformance" / "dmn-tck" / "TestCases"


def tck_path(explicit: str | None = None) -> Path:
    """The TCK TestCases folder: the option, else ``STEAD_DMN_TCK``, else the shared checkout."""
    return Path(explicit or os.environ.get("STEAD_DMN_TCK") or DEFAULT_TCK)


def main(argv: list[str] | None = None) -> int:
    """Run the selected folders, write the results and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tck", help="the TCK TestCases folder (default: env STEAD_DMN_TCK)")
    parser.add_argument("--out", default="tck_results.csv", help="the results file to write")
    parser.add_argument("--filter", help="run only folders whose name contains this text")
    parser.add_argument("--summary-json", help="also write the summary as JSON to this file")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per test case")
    parser.add_argument(
        "--strict-errors",
        action="store_true",
        help="errorResult cases also need a reported error, not only a null result",
    )
    parser.add_argument(
        "--exact-numbers",
        action="store_true",
        help="numbers must be equal, not only within 1e-8 as the TCK's reference runners accept",
    )
    parser.add_argument(
        "--non-compliant",
        action="store_true",
        help="also run the FEEL folders of the TCK's non-compliant section",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    parser.add_argument(
        "--causes", action="store_true", help="print the most frequent failure causes"
    )
    args = parser.parse_args(argv)

    root = tck_path(args.tck)
    if not root.is_dir():
        print(f"DMN TCK not found at {root} (use --tck or STEAD_DMN_TCK)", file=sys.stderr)
        return 2
    outcomes: list[CaseOutcome] = []
    options = RunOptions(args.strict_errors, args.exact_numbers, args.timeout)
    for folder in feel_folders(root, args.filter, non_compliant=args.non_compliant):
        for outcome in run_folder(folder, options):
            outcomes.append(outcome)
            if args.verbose and outcome.status != SUCCESS:
                print(f"{outcome.folder} {outcome.case_id}: {outcome.status} {outcome.detail}")
    write_results(outcomes, Path(args.out))
    summary = summarise(outcomes)
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if args.causes:
        print(format_causes(outcomes), end="\n\n")
    print(format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
