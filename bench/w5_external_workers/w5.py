"""W5 external workers: a one-service-task process, N instances started up front, then W worker
processes that each fetch and lock batches over HTTP (``/engine-rest/external-task/fetchAndLock``)
and complete every task with its own request, against a real ``stead serve`` on SQLite.
Prints tasks completed per second, from the first fetch to the last completion."""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(__file__).with_name("one-task.bpmn")
JS_WORKER = Path(__file__).with_name("js") / "worker.mjs"
STEAD = ROOT / ".venv" / "bin" / "stead"
TOPIC = "w5-work"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(database_url: str, instances: int) -> str:
    """Deploy, start the instances, and make a worker account; returns its API token."""
    from stead.auth import Accounts
    from stead.commands import Commands

    commands = Commands.open(database_url)
    try:
        commands.deploy([MODEL])
        for number in range(instances):
            commands.start("w5-one-task", {"n": number, "payload": {"customer": "c", "n": number}})
        runtime = commands.runtime
        accounts = Accounts(runtime.database, tenant=runtime.tenant, clock=runtime.clock)
        accounts.create_user("w5-worker", roles=["worker"], password="w5-worker-password")
        return accounts.create_token("w5-worker", "W5").token
    finally:
        commands.close()


def wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("stead serve exited before it was ready")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("stead serve did not become ready")


def work(
    engine_url: str, token: str, worker_id: str, batch: int, start: object, done: object
) -> None:
    """One worker process: fetch a batch, complete its tasks concurrently (as the JavaScript
    client does with the tasks of one fetch), until a fetch comes back empty."""
    try:
        completed = asyncio.run(_work(engine_url, token, worker_id, batch, start))
    except BaseException:
        done.put((-1, 0.0))  # type: ignore[attr-defined]
        raise
    done.put((completed, time.process_time()))  # type: ignore[attr-defined]


async def _work(engine_url: str, token: str, worker_id: str, batch: int, start: object) -> int:
    completed = 0
    limits = httpx.Limits(max_connections=batch, max_keepalive_connections=batch)
    async with httpx.AsyncClient(
        base_url=engine_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
        limits=limits,
    ) as http:

        async def complete(task: dict[str, Any]) -> None:
            n = task["variables"]["n"]["value"]
            body = {"workerId": worker_id, "variables": {"result": {"value": n * 2}}}
            path = f"/external-task/{task['id']}/complete"
            try:
                answer = await http.post(path, json=body)
            except httpx.TransportError:
                # A kept-alive connection the server closed just then: send once more; a 404
                # then means the first attempt had completed the task.
                answer = await http.post(path, json=body)
                if answer.status_code == 404:
                    return
            answer.raise_for_status()

        await asyncio.to_thread(start.wait)  # type: ignore[attr-defined]
        while True:
            response = await http.post(
                "/external-task/fetchAndLock",
                json={
                    "workerId": worker_id,
                    "maxTasks": batch,
                    "topics": [{"topicName": TOPIC, "lockDuration": 60000, "variables": ["n"]}],
                },
            )
            response.raise_for_status()
            tasks = response.json()
            if not tasks:
                return completed
            await asyncio.gather(*(complete(task) for task in tasks))
            completed += len(tasks)


Reports = list[tuple[int, float]]  # per worker: tasks completed, CPU seconds it used


def python_workers(engine_url: str, token: str, count: int, batch: int) -> tuple[Reports, float]:
    """Run ``count`` httpx workers; their reports and the seconds from start to the last."""
    context = mp.get_context("spawn")
    start = context.Event()
    done = context.Queue()
    workers = [
        context.Process(target=work, args=(engine_url, token, f"w5-{i}", batch, start, done))
        for i in range(count)
    ]
    for process in workers:
        process.start()
    time.sleep(2.0)  # let the workers import and connect before the clock starts
    began = time.perf_counter()
    start.set()
    reports: Reports = [done.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - began
    for process in workers:
        process.join()
    if any(completed < 0 for completed, _ in reports):
        raise SystemExit("a worker failed; see its traceback above")
    return reports, elapsed


def js_workers(engine_url: str, token: str, count: int, batch: int) -> tuple[Reports, float]:
    """Run ``count`` workers built on the published Camunda JavaScript client."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is needed for --client js (or use --client python)")
    env = {
        **os.environ,
        "STEAD_ENGINE_URL": engine_url,
        "STEAD_TOKEN": token,
        "W5_TOPIC": TOPIC,
        "W5_BATCH": str(batch),
    }
    workers = [
        subprocess.Popen(
            [node, str(JS_WORKER)],
            env={**env, "WORKER_ID": f"w5-js-{i}"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    time.sleep(1.0)  # let node load the client before the clock starts
    began = time.perf_counter()
    for process in workers:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    reports: Reports = []
    for process in workers:
        output, _ = process.communicate(timeout=600)
        if process.returncode != 0:
            raise SystemExit(f"a JavaScript worker failed (exit {process.returncode})")
        report = json.loads(output.strip().splitlines()[-1])
        reports.append((int(report["completed"]), float(report["cpuSeconds"])))
    return reports, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=32, help="maxTasks per fetchAndLock")
    parser.add_argument(
        "--client",
        choices=("js", "python"),
        default="js",
        help="js: the published Camunda JavaScript client; python: an httpx worker",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="stead-w5-") as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'stead.db'}"
        print(f"preparing {args.instances} instances on {database_url} ...", flush=True)
        token = prepare(database_url, args.instances)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "STEAD_DATABASE_URL": database_url,
            "STEAD_ADMIN_PASSWORD": "w5-admin-pw",
        }
        log = (Path(scratch) / "serve.log").open("wb")
        server = subprocess.Popen(
            [str(STEAD), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(base_url, server)
            run_workers = js_workers if args.client == "js" else python_workers
            server_cpu_before = _cpu_seconds(server.pid)
            reports, elapsed = run_workers(
                f"{base_url}/engine-rest", token, args.workers, args.batch
            )
            server_cpu = _cpu_seconds(server.pid) - server_cpu_before
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        total = sum(completed for completed, _ in reports)
        workers_cpu = sum(cpu for _, cpu in reports)
        finished = _completed_instances(database_url)
    rate = total / elapsed
    print(
        f"W5 external workers (SQLite, {args.workers} {args.client} workers, batches of "
        f"{args.batch}): {total} tasks in {elapsed:.2f} s = {rate:,.0f} tasks/s "
        f"({finished} of {args.instances} instances completed)"
    )
    print(
        f"CPU per task: server {server_cpu / total * 1e3:.2f} ms, "
        f"workers {workers_cpu / total * 1e3:.2f} ms (including their start-up)"
    )
    print(f"command: bash bench/w5_external_workers/run.sh {shlex.join(sys.argv[1:])}".rstrip())
    if finished != args.instances:
        raise SystemExit("not every instance completed")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _completed_instances(database_url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        count = conn.execute(
            sa.text("SELECT count(*) FROM instances WHERE status = 'completed'")
        ).scalar_one()
    engine.dispose()
    return int(count)


if __name__ == "__main__":
    main()
