"""Stead's side of the workflow benchmarks W1-W3; prints one ``RESULT {json}`` line.

python bench/workflows/stead_workloads.py w1 --instances 2000 [--db URL]
python bench/workflows/stead_workloads.py w2 --instances 300 --concurrency 50
python bench/workflows/stead_workloads.py w3 --instances 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from models import chain10_script, chain10_service, parked_timer

from stead.runtime import Runtime


def rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def open_runtime(url: str | None) -> Runtime:
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='stead-bench-')}/stead.db"
    return Runtime.open(url)


def w1(runtime: Runtime, instances: int) -> dict[str, Any]:
    """Straight-through: start → 10 FEEL script tasks → end, each instance committed."""
    runtime.deploy_bytes("chain10-script.bpmn", chain10_script())
    runtime.start("chain10-script", {"x": 0})  # warm-up: parse cache, connections
    started = time.perf_counter()
    for _ in range(instances):
        instance = runtime.start("chain10-script", {"x": 0})
        assert instance.state == "completed", instance
    elapsed = time.perf_counter() - started
    return {
        "workload": "w1",
        "instances": instances,
        "seconds": elapsed,
        "instances_per_s": instances / elapsed,
    }


class _Finished:
    """Instances whose last step a worker completed, for the driver to wait on (no polling)."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def add(self) -> None:
        with self.changed:
            self.count += 1
            self.changed.notify_all()


def _work_steps(runtime: Runtime, stop: threading.Event, name: str, finished: _Finished) -> None:
    """A worker: runs a batch of steps, then commits their results together (one sync to disk
    for the batch) and leases the next batch in the same transaction, as stead.runtime.Worker
    does."""
    jobs = []
    while not stop.is_set():
        if not jobs:
            seen = runtime.wakeup.generation
            jobs = runtime.activate_jobs("step", worker=name, max_jobs=50)
            if not jobs:
                runtime.wakeup.wait(seen, 0.05)
                continue
        results = [(job.id, {"x": job.variables.get("x", 0) + 1}) for job in jobs]
        batch = runtime.complete_jobs(results, worker=name, then_activate="step", max_jobs=50)
        assert not batch.refused, batch.refused
        for _, variables in results:
            if variables["x"] == 10:
                finished.add()
        jobs = batch.activated


def w2(runtime: Runtime, instances: int, concurrency: int, workers: int) -> dict[str, Any]:
    """Durable steps: 10 service tasks, each completed by a worker and committed before the
    next starts; ``concurrency`` instances in flight at once."""
    runtime.deploy_bytes("chain10-service.bpmn", chain10_service())
    stop = threading.Event()
    finished = _Finished()
    threads = [
        threading.Thread(target=_work_steps, args=(runtime, stop, f"w{i}", finished), daemon=True)
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    started_ids: list[str] = []
    started = time.perf_counter()
    launched = 0
    with finished.changed:
        while finished.count < instances:
            while launched < instances and launched - finished.count < concurrency:
                finished.changed.release()
                try:
                    started_ids.append(runtime.start("chain10-service", {"x": 0}).id)
                finally:
                    finished.changed.acquire()
                launched += 1
            if finished.count < instances:
                finished.changed.wait(1.0)
    elapsed = time.perf_counter() - started
    stop.set()
    runtime.wakeup.notify()
    for thread in threads:
        thread.join()
    # Outside the timing: every instance really completed with all ten steps applied.
    for instance_id in started_ids:
        view = runtime.get_instance(instance_id)
        assert view.state == "completed", view
        assert view.variables["x"] == 10, view
    return {
        "workload": "w2",
        "instances": instances,
        "concurrency": concurrency,
        "seconds": elapsed,
        "instances_per_s": instances / elapsed,
        "steps_per_s": instances * 10 / elapsed,
    }


def w3(runtime: Runtime, instances: int) -> dict[str, Any]:
    """Parked: ``instances`` waiting at a timer; memory of this engine process, then the rate
    at which the due timers fire and complete their instances."""
    runtime.deploy_bytes("parked-timer.bpmn", parked_timer())
    wake = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    started = time.perf_counter()
    for _ in range(instances):
        runtime.start("parked-timer", {"wake": wake})
    park_seconds = time.perf_counter() - started
    parked_rss = rss_mb()
    # Jump the clock past the due time instead of waiting a day.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    runtime.clock = lambda: later
    runtime.transactions.clock = runtime.clock
    started = time.perf_counter()
    fired = 0
    while fired < instances:
        batch = runtime.fire_due_timers(limit=1000)
        if batch == 0:
            break
        fired += batch
    fire_seconds = time.perf_counter() - started
    completed = runtime.list_instances(state="completed", limit=1)
    return {
        "workload": "w3",
        "instances": instances,
        "park_seconds": park_seconds,
        "parked_rss_mb": parked_rss,
        "peak_rss_mb": rss_mb(),
        "fired": fired,
        "fire_seconds": fire_seconds,
        "timers_per_s": fired / fire_seconds,
        "any_completed": bool(completed.items),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workload", choices=["w1", "w2", "w3"])
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    runtime = open_runtime(args.db)
    try:
        if args.workload == "w1":
            result = w1(runtime, args.instances)
        elif args.workload == "w2":
            workers = 1 if args.concurrency == 1 else args.workers
            result = w2(runtime, args.instances, args.concurrency, workers)
        else:
            result = w3(runtime, args.instances)
    finally:
        runtime.close()
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
