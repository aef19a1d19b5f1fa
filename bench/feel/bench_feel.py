"""FEEL expression benchmark (W4): Stead against its peers on the same precompiled expressions.

Engines alternate within each repeat and the figure is the median of the repeats, so drift on a
shared machine affects all engines alike. Ratios are peer time / Stead time: above 1 means Stead
is faster.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from typing import Any

from engines import PEERS, STEAD, Engine, Evaluation
from workloads import WORKLOADS, Workload


def _describe_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:160]


def prepare_all(
    engines: list[Engine], workload: Workload
) -> tuple[dict[str, Evaluation], dict[str, str]]:
    """Compile and evaluate once per engine: the ready evaluations and why the others are not."""
    ready: dict[str, Evaluation] = {}
    problems: dict[str, str] = {}
    for engine in engines:
        try:
            evaluation = engine.prepare(workload)
            if evaluation is None:
                problems[engine.name] = "n/a (no equivalent expression)"
                continue
            evaluation()
        except Exception as exc:
            problems[engine.name] = f"failed: {_describe_error(exc)}"
            continue
        ready[engine.name] = evaluation
    return ready, problems


def _batch_size(evaluation: Evaluation, target_seconds: float) -> int:
    count = 1
    while True:
        start = time.perf_counter()
        for _ in range(count):
            evaluation()
        if time.perf_counter() - start >= target_seconds / 4 or count >= 1 << 22:
            return max(1, int(count * target_seconds / max(time.perf_counter() - start, 1e-9)))
        count *= 2


def measure(ready: dict[str, Evaluation], repeats: int, batch_seconds: float) -> dict[str, float]:
    """Median microseconds per evaluation for each engine, engines alternating each repeat."""
    sizes = {name: _batch_size(evaluation, batch_seconds) for name, evaluation in ready.items()}
    samples: dict[str, list[float]] = {name: [] for name in ready}
    order = list(ready)
    for repeat in range(repeats):
        # Rotate the order so no engine always runs first (or last) in a repeat.
        rotated = order[repeat % len(order) :] + order[: repeat % len(order)]
        for name in rotated:
            evaluation, size = ready[name], sizes[name]
            gc.collect()
            start = time.perf_counter()
            for _ in range(size):
                evaluation()
            samples[name].append((time.perf_counter() - start) / size * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def _results_agree(ready: dict[str, Evaluation]) -> str:
    values = {name: evaluation() for name, evaluation in ready.items()}
    rendered = {name: _normalise(value) for name, value in values.items()}
    if len(set(rendered.values())) <= 1:
        return ""
    return "results differ: " + ", ".join(f"{n}={v}" for n, v in rendered.items())


def _normalise(value: Any) -> str:
    # Engines return their own number and boolean types; compare them as plain values.
    if isinstance(value, bool) or str(value) in ("True", "False", "true", "false"):
        return str(value).lower()
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return repr(value)


def main(argv: list[str] | None = None) -> int:
    """Run every workload and print one table row per workload and engine."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per engine")
    parser.add_argument("--batch", type=float, default=0.05, help="seconds per timed batch")
    args = parser.parse_args(argv)

    engines = [STEAD, *PEERS]
    print(f"Python {sys.version.split()[0]}; median of {args.repeats} alternating repeats")
    print(f"{'workload':<22} {'engine':<28} {'µs/eval':>10} {'peer/stead':>11}")
    for workload in WORKLOADS:
        ready, problems = prepare_all(engines, workload)
        timings = measure(ready, args.repeats, args.batch) if ready else {}
        stead_time = timings.get(STEAD.name)
        for engine in engines:
            if engine.name in problems:
                print(f"{workload.name:<22} {engine.name:<28} {problems[engine.name]}")
                continue
            micros = timings[engine.name]
            ratio = "" if engine is STEAD or not stead_time else f"{micros / stead_time:.2f}"
            print(f"{workload.name:<22} {engine.name:<28} {micros:>10.2f} {ratio:>11}")
        disagreement = _results_agree(ready)
        if disagreement:
            print(f"{'':<22} note: {disagreement}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
