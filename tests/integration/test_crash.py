"""Durability: ``serve`` killed with SIGKILL in the middle of work loses nothing and repeats
nothing after a restart; two ``serve`` processes on one database share the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from integration import bpmn_models as models
from stead.runtime import Runtime
from stead.store.schema import history, instances, jobs

SCRIPT = Path(__file__).with_name("serve_process.py")
ROOT = Path(__file__).parents[2]
INSTANCES = 1000


@pytest.fixture
def spawn(database_url: str) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        process = subprocess.Popen([sys.executable, str(SCRIPT), database_url, name], env=env)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _count(runtime: Runtime, query: sa.Select[tuple[int]]) -> int:
    with runtime.database.read() as conn:
        return int(conn.execute(query).scalar_one())


def _completed(runtime: Runtime) -> int:
    query = sa.select(sa.func.count()).where(instances.c.status == "completed")
    return _count(runtime, query.select_from(instances))


def _wait_for(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.1)


def _start_instances(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    for n in range(INSTANCES):
        runtime.start("charge", {"n": n})


def _assert_each_job_completed_once(runtime: Runtime) -> None:
    assert _completed(runtime) == INSTANCES
    task_completions = (
        sa.select(history.c.instance_id, sa.func.count().label("n"))
        .where(history.c.element_id == "task", history.c.event == "element.completed")
        .group_by(history.c.instance_id)
    )
    with runtime.database.read() as conn:
        counts = [row.n for row in conn.execute(task_completions)]
        job_states = set(conn.execute(sa.select(jobs.c.state).distinct()).scalars())
    assert len(counts) == INSTANCES
    assert set(counts) == {1}
    assert job_states == {"completed"}


@pytest.mark.slow
def test_a_killed_serve_loses_and_repeats_nothing_after_restart(
    database_url: str, spawn: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    with Runtime.open(database_url) as runtime:
        _start_instances(runtime)
        first = spawn("first")
        _wait_for(lambda: _completed(runtime) >= INSTANCES // 4, timeout=120)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert _completed(runtime) < INSTANCES

        spawn("second")
        _wait_for(lambda: _completed(runtime) == INSTANCES, timeout=180)
        _assert_each_job_completed_once(runtime)


@pytest.mark.slow
def test_two_serve_processes_share_the_work(
    database_url: str, spawn: Callable[[str], subprocess.Popen[bytes]]
) -> None:
    with Runtime.open(database_url) as runtime:
        _start_instances(runtime)
        processes = [spawn("one"), spawn("two")]
        _wait_for(lambda: _completed(runtime) == INSTANCES, timeout=180)
        for process in processes:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
        _assert_each_job_completed_once(runtime)
        with runtime.database.read() as conn:
            workers = conn.execute(
                sa.select(history.c.actor)
                .where(history.c.element_id == "task", history.c.event == "element.completed")
                .distinct()
            )
            assert set(workers.scalars()) == {"one", "two"}
