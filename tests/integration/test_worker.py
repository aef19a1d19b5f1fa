"""In-process workers and the serve loop, on the real clock."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy

from integration import bpmn_models as models
from stead.runtime import ActivatedJob, BpmnError, Runtime, Worker, serve
from stead.runtime.wakeup import PostgresListener


@pytest.fixture
def live_runtime(database_url: str) -> Iterator[Runtime]:
    with Runtime.open(database_url) as runtime:
        yield runtime


def _eventually(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


@pytest.fixture
def serving(live_runtime: Runtime) -> Iterator[Callable[..., None]]:
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def run(*workers: Worker) -> None:
        thread = threading.Thread(
            target=serve,
            args=(live_runtime,),
            kwargs={"workers": workers, "stop": stop, "handle_signals": False},
        )
        thread.start()
        threads.append(thread)

    yield run
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
        assert not thread.is_alive()


def test_handlers_complete_fail_and_throw(
    live_runtime: Runtime, serving: Callable[..., None]
) -> None:
    live_runtime.deploy_bytes("ok.bpmn", models.one_job("ok", "ok-type"))
    live_runtime.deploy_bytes("broken.bpmn", models.one_job("broken", "broken-type", retries=1))
    live_runtime.deploy_bytes("refused.bpmn", models.one_job("refused", "refused-type"))
    worker = Worker(live_runtime, name="test-worker", poll_interval=0.2)
    seen: list[int] = []

    @worker.handler("ok-type")
    def ok(job: ActivatedJob) -> dict[str, int]:
        seen.append(job.id)
        return {"doubled": job.variables["n"] * 2}

    @worker.handler("broken-type")
    def broken(job: ActivatedJob) -> None:
        raise RuntimeError("disk full")

    @worker.handler("refused-type")
    def refused(job: ActivatedJob) -> None:
        raise BpmnError("refused", "not allowed")

    serving(worker)
    ok_instance = live_runtime.start("ok", {"n": 21})
    broken_instance = live_runtime.start("broken")
    refused_instance = live_runtime.start("refused")

    _eventually(lambda: live_runtime.get_instance(ok_instance.id).state == "completed")
    assert live_runtime.get_instance(ok_instance.id).variables["doubled"] == 42
    assert len(seen) == 1
    _eventually(lambda: bool(live_runtime.list_incidents(instance_id=broken_instance.id)))
    (incident,) = live_runtime.list_incidents(instance_id=broken_instance.id)
    assert incident.message == "RuntimeError: disk full"
    _eventually(lambda: bool(live_runtime.list_incidents(instance_id=refused_instance.id)))


def test_serve_fires_timers_when_they_are_due(
    live_runtime: Runtime, serving: Callable[..., None]
) -> None:
    live_runtime.deploy_bytes("reminder.bpmn", models.timer_wait(duration="PT1S"))
    serving()
    began = dt.datetime.now(dt.UTC)
    instance = live_runtime.start("reminder")
    _eventually(lambda: live_runtime.get_instance(instance.id).state == "completed")
    assert dt.datetime.now(dt.UTC) - began >= dt.timedelta(seconds=1)


def test_a_worker_defined_without_a_runtime_is_attached_by_serve(
    live_runtime: Runtime, serving: Callable[..., None]
) -> None:
    worker = Worker(poll_interval=0.2)

    @worker.handler("charge-card")
    def charge(job: ActivatedJob) -> dict[str, bool]:
        return {"charged": True}

    with pytest.raises(RuntimeError, match="not attached"):
        worker.run_once()
    live_runtime.deploy_bytes("charge.bpmn", models.one_job())
    serving(worker)
    instance = live_runtime.start("charge")
    _eventually(lambda: live_runtime.get_instance(instance.id).state == "completed")


def test_a_registered_type_cannot_be_registered_twice(live_runtime: Runtime) -> None:
    worker = Worker(live_runtime)
    worker.register("a", lambda job: None)
    with pytest.raises(ValueError, match="already registered"):
        worker.register("a", lambda job: None)


@pytest.mark.postgres
def test_new_work_in_one_process_wakes_another_on_postgres(postgres_url: str) -> None:
    with Runtime.open(postgres_url) as sleeper, Runtime.open(postgres_url) as producer:
        listener = PostgresListener(sleeper.database.engine.url, sleeper.wakeup)
        listener.start()
        try:
            time.sleep(0.5)  # let the listener connect
            seen = sleeper.wakeup.generation
            producer.deploy_bytes("charge.bpmn", models.one_job())
            producer.start("charge")
            assert sleeper.wakeup.wait(seen, timeout=10) != seen
        finally:
            listener.stop()


def _counting_commits(runtime: Runtime) -> list[int]:
    commits = [0]

    def count(_conn: object) -> None:
        commits[0] += 1

    sqlalchemy.event.listen(runtime.database.engine, "commit", count)
    return commits


def test_a_worker_commits_a_batch_of_results_together(live_runtime: Runtime) -> None:
    live_runtime.deploy_bytes("charge.bpmn", models.one_job())
    ids = [live_runtime.start("charge", {"n": n}).id for n in range(6)]
    worker = Worker(live_runtime, name="w", max_jobs=10)
    worker.register("charge-card", lambda job: {"double": job.variables["n"] * 2})
    commits = _counting_commits(live_runtime)

    assert worker.run_once() == 6
    # One commit leases the batch, one writes all six results (and leases nothing more).
    assert commits[0] == 2
    for n, instance_id in enumerate(ids):
        instance = live_runtime.get_instance(instance_id)
        assert (instance.state, instance.variables["double"]) == ("completed", n * 2)


def test_a_slow_batch_commits_results_without_waiting_for_the_rest(
    live_runtime: Runtime,
) -> None:
    live_runtime.deploy_bytes("charge.bpmn", models.one_job())
    for n in range(3):
        live_runtime.start("charge", {"n": n})
    worker = Worker(live_runtime, name="w", max_jobs=10, max_commit_delay=0.0)
    committed_before: list[int] = []

    def slow(job: ActivatedJob) -> dict[str, int]:
        # By the time a job runs, every earlier job's result is already committed.
        committed_before.append(len(live_runtime.list_instances(state="completed").items))
        return {}

    worker.register("charge-card", slow)
    assert worker.run_once() == 3
    assert committed_before == [0, 1, 2]
