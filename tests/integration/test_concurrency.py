"""Optimistic locking: a command that lost the race for an instance is retried from a fresh
load, and two threads advancing one instance never lose a step."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from integration import bpmn_models as models
from stead.runtime import Runtime
from stead.store.schema import instances


def test_a_lost_optimistic_lock_retries_the_command(runtime: Runtime) -> None:
    runtime.deploy_bytes("parallel.bpmn", models.two_jobs_in_parallel())
    instance = runtime.start("parallel")
    (left,) = runtime.activate_jobs("left", worker="w")

    def concurrent_writer(conn: sa.Connection) -> None:
        # Another node advanced the instance between our load and our write.
        conn.execute(
            sa.update(instances)
            .where(instances.c.id == instance.id)
            .values(version=instances.c.version + 1)
        )

    runtime.transactions.on_next_write(concurrent_writer)
    runtime.complete_job(left.id, {"left": 1})

    assert runtime.transactions.conflicts == 1
    history = runtime.history(instance.id)
    assert [e.element_id for e in history if e.event == "element.completed"].count("left") == 1
    (right,) = runtime.activate_jobs("right", worker="w")
    runtime.complete_job(right.id, {"right": 2})
    done = runtime.get_instance(instance.id)
    assert (done.state, done.variables) == ("completed", {"left": 1, "right": 2})


def test_two_threads_completing_jobs_of_the_same_instances(runtime: Runtime) -> None:
    runtime.deploy_bytes("parallel.bpmn", models.two_jobs_in_parallel())
    ids = [runtime.start("parallel").id for _ in range(15)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def complete_all(job_type: str) -> None:
        try:
            jobs = runtime.activate_jobs(job_type, worker=job_type, max_jobs=100)
            start.wait()
            for job in jobs:
                runtime.complete_job(job.id, {job_type: job.instance_id}, worker=job_type)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=complete_all, args=(t,)) for t in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for instance_id in ids:
        done = runtime.get_instance(instance_id)
        assert done.state == "completed"
        assert done.variables == {"left": instance_id, "right": instance_id}
        joined = [e for e in runtime.history(instance_id) if e.element_id == "join"]
        assert [e.event for e in joined].count("element.completed") == 1
