"""What a durable engine promises, shown with the real ``stead`` command as separate processes:
a SIGKILL loses no work and repeats none beyond the jobs in flight; two ``serve`` processes on
one PostgreSQL database share the work without advancing an instance twice, and one can leave
without handing anything over; timers due while nothing ran fire after a restart; a killed
worker's jobs pass to another once its lease expires; dropped connections and a database outage
are ridden out; a database that cannot be reached gets a one-line error and no half-done work.
"""

from __future__ import annotations

import json
import socket
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from durability import ledger
from durability.handlers import PAUSE_ENV
from durability.harness import (
    HANDLERS,
    MODELS,
    SteadProcess,
    SteadProcesses,
    admin_connection,
    completed_elements,
    count_instances,
    job_states,
    leased_jobs,
    leftover_work,
    postgres_database,
    wait_for,
)

from stead.runtime import Runtime

pytestmark = pytest.mark.slow

STEPS = ("Reserve", "Charge", "Ship")
# Every element of three-steps.bpmn, plus the process itself, completes once per instance.
THREE_STEPS_ELEMENTS = {"three-steps", "Received", *STEPS, "Shipped"}
# Seconds until the timers of cooling_off.bpmn and review_deadline.bpmn are due (PT5S).
DUE = 5


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'stead.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def _processes(database_url: str, tmp_path: Path) -> Iterator[SteadProcesses]:
    processes = SteadProcesses(database_url, tmp_path / "executions.db", tmp_path)
    try:
        yield processes
    finally:
        processes.kill_leftovers()


@pytest.fixture
def on_sqlite(sqlite_url: str, tmp_path: Path) -> Iterator[SteadProcesses]:
    yield from _processes(sqlite_url, tmp_path)


@pytest.fixture
def on_postgres(postgres_url: str, tmp_path: Path) -> Iterator[SteadProcesses]:
    yield from _processes(postgres_url, tmp_path)


def _start_three_steps(stead: SteadProcesses, count: int, *, flaky_every: int = 0) -> list[str]:
    """Deployed and started in this process: each `stead` command costs seconds of start-up.
    With ``flaky_every`` n, every n-th instance's first Charge attempt fails."""
    with Runtime.open(stead.database_url) as runtime:
        runtime.deploy([MODELS / "three_steps.bpmn"])
        return [
            runtime.start(
                "three-steps", {"order": n, "flaky": bool(flaky_every and n % flaky_every == 0)}
            ).id
            for n in range(count)
        ]


def _assert_every_instance_completed_once(runtime: Runtime, ids: list[str]) -> None:
    completions = completed_elements(runtime)
    expected = {(i, element) for i in ids for element in THREE_STEPS_ELEMENTS}
    assert set(completions) == expected
    twice = {key: n for key, n in completions.items() if n != 1}
    assert twice == {}, f"elements completed more than once: {sorted(twice.items())[:10]}"
    assert count_instances(runtime, "completed") == len(ids)
    assert count_instances(runtime, "active") == 0
    assert job_states(runtime) == {"completed": len(ids) * len(STEPS)}
    assert leftover_work(runtime) == {"waiting_tokens": 0, "timers": 0}


def _listed_via_cli(stead: SteadProcesses, state: str) -> int:
    page = stead.run("instances", "--state", state, "--limit", "1000", "--json").stdout
    return len(json.loads(page)["items"])


def _assert_clean_log(process: SteadProcess) -> None:
    text = process.output()
    assert "Traceback" not in text, text[-3000:]
    assert " ERROR " not in text, text[-3000:]


def test_serve_killed_mid_work_completes_every_instance_once_after_restart(
    on_sqlite: SteadProcesses,
) -> None:
    total = 1000
    # Started first so that its start-up overlaps with starting the instances.
    first = on_sqlite.serve(lock_duration="3s")
    ids = _start_three_steps(on_sqlite, total, flaky_every=10)
    flaky = set(ids[::10])
    with Runtime.open(on_sqlite.database_url) as runtime:
        wait_for(
            lambda: count_instances(runtime, "completed") >= total // 4 and leased_jobs(runtime),
            timeout=120,
            interval=0.05,
            what="a quarter of the instances completed, with jobs leased",
            context=first.output,
        )
        first.kill()
        in_flight = leased_jobs(runtime)
        done_at_kill = count_instances(runtime, "completed")
        ran_before_kill = ledger.runs_per_job(ledger.executions(on_sqlite.ledger_path))
        assert 0 < done_at_kill < total
        assert in_flight, "the kill should land while the worker holds jobs"

        second = on_sqlite.serve(lock_duration="3s")
        wait_for(
            lambda: count_instances(runtime, "completed") == total,
            timeout=180,
            what=f"all {total} instances completed after the restart",
            context=second.output,
        )
        assert second.stop() == 0, second.output()
        _assert_clean_log(second)
        _assert_every_instance_completed_once(runtime, ids)

        failed_attempts = Counter(
            entry.instance_id
            for instance_id in flaky
            for entry in runtime.history(instance_id)
            if entry.event == "job.failed"
        )
        jobs_after = runtime.list_jobs(limit=total * len(STEPS))

    executions = ledger.executions(on_sqlite.ledger_path)
    runs = ledger.runs_per_job(executions)
    assert len(runs) == total * len(STEPS)  # every job ran
    # A flaky Charge runs twice (a failure, then the retry); a job held at the kill may run
    # once more. Nothing else runs again.
    where = {e.job_id: (e.instance_id, e.element_id) for e in executions}
    expected = {job: 2 if where[job] in {(i, "Charge") for i in flaky} else 1 for job in runs}
    extra = {job: runs[job] - expected[job] for job in runs if runs[job] != expected[job]}
    assert set(extra.values()) <= {1}, extra
    assert set(extra) <= set(in_flight), "only jobs held at the kill may run again"
    # Every job held at the kill ran after the restart, also the ones whose handler had run
    # but whose result died with the process.
    assert all(runs[job] > ran_before_kill[job] for job in in_flight)
    # Each flaky instance failed once; the failure, not the crash, cost its one retry.
    assert failed_attempts == dict.fromkeys(flaky, 1)
    assert Counter(job.retries for job in jobs_after) == {3: total * 3 - len(flaky), 2: len(flaky)}
    assert _listed_via_cli(on_sqlite, "completed") == total


@pytest.mark.postgres
def test_two_serve_processes_on_postgresql_share_the_work_and_advance_each_instance_once(
    on_postgres: SteadProcesses,
) -> None:
    total = 200
    # The default lease (five minutes) never expires here: a job run twice was handed out
    # twice, and a job a stopped process kept leased would stall this test.
    # Each job takes 20 ms, so the work outlasts both processes' start-up and the stop of one.
    slow_handlers = {PAUSE_ENV: "0.02"}
    leaving = on_postgres.serve(extra_env=slow_handlers)
    staying = on_postgres.serve(extra_env=slow_handlers)
    leaving_name = f"{socket.gethostname()}:{leaving.popen.pid}"
    ids = _start_three_steps(on_postgres, total)  # while both start up
    with Runtime.open(on_postgres.database_url) as runtime:
        wait_for(
            lambda: len({e.worker for e in ledger.executions(on_postgres.ledger_path)}) == 2,
            timeout=120,
            what="both processes ran jobs",
        )
        # Scaling in: the one that leaves finishes what it holds and hands nothing over.
        assert leaving.stop() == 0, leaving.output()
        assert count_instances(runtime, "completed") < total, "stopped too late to matter"
        assert leaving_name not in leased_jobs(runtime).values()
        wait_for(
            lambda: count_instances(runtime, "completed") == total,
            timeout=180,
            what=f"all {total} instances completed",
            context=staying.output,
        )
        assert staying.stop() == 0, staying.output()
        for process in (leaving, staying):
            _assert_clean_log(process)
        _assert_every_instance_completed_once(runtime, ids)
        page = runtime.list_instances(limit=total)

    executions = ledger.executions(on_postgres.ledger_path)
    runs = ledger.runs_per_job(executions)
    assert len(runs) == total * len(STEPS)
    assert set(runs.values()) == {1}, "no job may run in both processes"
    per_worker = Counter(execution.worker for execution in executions)
    assert set(per_worker) == {leaving_name, f"{socket.gethostname()}:{staying.popen.pid}"}
    # Each instance's variables name the worker of each step; both appear.
    doers = {item.variables[f"{step}By"] for item in page.items for step in STEPS}
    assert doers == set(per_worker)


def test_timers_due_while_serve_was_stopped_fire_after_the_restart(
    on_sqlite: SteadProcesses,
) -> None:
    serving = on_sqlite.serve()
    with Runtime.open(on_sqlite.database_url) as runtime:
        runtime.deploy([MODELS / "cooling_off.bpmn", MODELS / "review_deadline.bpmn"])
        serving.wait_until_ready()
        first_due = time.time() + DUE
        cooling = [runtime.start("cooling-off", {"contract": n}).id for n in range(10)]
        reviews = [runtime.start("review-deadline", {"claim": n}).id for n in range(10)]
        started = time.time()
        assert serving.stop() == 0, serving.output()
        stopped = time.time()
        assert stopped < first_due, "serve must stop before the timers are due"
        time.sleep(max(0.0, started + DUE + 1 - time.time()))  # now every timer is overdue

        # Nothing fires without a running engine...
        assert count_instances(runtime, "completed") == 0
        assert leftover_work(runtime)["timers"] == 20
        # ...and the restarted one fires every overdue timer.
        restarted = on_sqlite.serve()
        wait_for(
            lambda: count_instances(runtime, "completed") == 20,
            timeout=30,
            what="every timer fired after the restart",
        )
        assert restarted.stop() == 0
        _assert_clean_log(restarted)
        assert leftover_work(runtime) == {"waiting_tokens": 0, "timers": 0}
        completions = completed_elements(runtime)
        for instance_id in cooling:
            entries = runtime.history(instance_id)
            timer = {e.event: e.at for e in entries if e.element_id == "CoolingOff"}
            assert [e.event for e in entries if e.element_id == "CoolingOff"] == [
                "element.activated",
                "timer.fired",
                "element.completed",
            ]
            # Not early, and only by the restarted engine.
            assert (timer["timer.fired"] - timer["element.activated"]).total_seconds() >= DUE
            assert timer["timer.fired"].timestamp() >= stopped
            assert completions[(instance_id, "Binding")] == 1
        for instance_id in reviews:
            events = [(e.event, e.element_id) for e in runtime.history(instance_id)]
            assert ("element.terminated", "Review") in events
            assert events.count(("element.completed", "Overdue")) == 1
            assert events.count(("element.completed", "Escalated")) == 1
            assert ("element.completed", "Reviewed") not in events
        # The interrupted reviews are no longer on anyone's list.
        assert runtime.list_tasks(candidate_group="reviewers") == []


@pytest.mark.postgres
def test_a_killed_workers_jobs_pass_to_another_worker_when_the_lease_expires(
    on_postgres: SteadProcesses,
) -> None:
    # (On SQLite, the crash test above shows the same takeover by a restarted serve.)
    stead = on_postgres
    ids = _start_three_steps(stead, 4)
    holder = stead.spawn(
        "worker",
        "run",
        str(HANDLERS),
        "--name",
        "holder",
        "--lock-duration",
        "2s",
        extra_env={PAUSE_ENV: "600"},  # the first job it takes, it holds until killed
    )
    with Runtime.open(stead.database_url) as runtime:
        held = wait_for(
            lambda: (
                len(leased_jobs(runtime)) == len(ids)
                and len(ledger.executions(stead.ledger_path)) == 1
                and leased_jobs(runtime)
            ),
            timeout=120,
            what="the first worker holds every Reserve job and runs one",
            context=holder.output,
        )
        assert set(held.values()) == {"holder"}
        leases = [job.lease_expires_at for job in runtime.list_jobs(state="activated")]
        expiry = max(lease for lease in leases if lease is not None)
        holder.kill()

        taker = stead.spawn(
            "worker", "run", str(HANDLERS), "--name", "taker", "--lock-duration", "2s"
        )
        wait_for(
            lambda: count_instances(runtime, "completed") == len(ids),
            timeout=60,
            what="the second worker completed every instance",
        )
        assert taker.stop() == 0
        _assert_clean_log(taker)
        _assert_every_instance_completed_once(runtime, ids)
        for instance_id in ids:
            reserve = [
                e
                for e in runtime.history(instance_id)
                if (e.event, e.element_id) == ("element.completed", "Reserve")
            ]
            assert [e.actor for e in reserve] == ["taker"]

    executions = ledger.executions(stead.ledger_path)
    by_holder = [e for e in executions if e.worker == "holder"]
    assert len(by_holder) == 1
    taken_over = [e for e in executions if e.worker == "taker" and e.job_id in held]
    assert {e.job_id for e in taken_over} == set(held)
    # Nobody took the held jobs before their lease ran out.
    assert min(e.at for e in taken_over) >= expiry.timestamp() - 0.01
    runs = ledger.runs_per_job(executions)
    assert runs[by_holder[0].job_id] == 2
    assert set(runs.values()) <= {1, 2}
    assert sum(n == 2 for n in runs.values()) == 1


@pytest.mark.postgres
def test_start_against_an_unreachable_database_fails_in_one_line_and_writes_nothing(
    on_postgres: SteadProcesses,
) -> None:
    _start_three_steps(on_postgres, 1)
    name = sa.make_url(on_postgres.database_url).database
    assert name is not None
    with admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"')
    try:
        failed = on_postgres.run("start", "three-steps", "--variables", '{"n": 2}', check=False)
    finally:
        with admin_connection() as admin:
            admin.execute(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"')
    assert failed.returncode != 0
    assert failed.stderr.startswith("stead: error: the database is unavailable")
    assert failed.stderr.count("\n") == 1
    assert "Traceback" not in failed.stderr + failed.stdout
    with Runtime.open(on_postgres.database_url) as runtime:
        assert len(runtime.list_instances().items) == 1  # the failed start left nothing


@pytest.mark.postgres
def test_serve_rides_out_dropped_connections_and_a_database_outage(
    on_postgres: SteadProcesses,
) -> None:
    total = 90
    ids = _start_three_steps(on_postgres, total)
    serving = on_postgres.serve(lock_duration="3s")
    name = sa.make_url(on_postgres.database_url).database
    terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
    with Runtime.open(on_postgres.database_url) as runtime:
        for share, outage in ((0.1, 0.0), (0.3, 3.0)):

            def reached(wanted: float = total * share) -> bool:
                return count_instances(runtime, "completed") >= wanted

            wait_for(
                reached,
                timeout=120,
                what=f"{share:.0%} of the instances completed",
                context=serving.output,
                tolerate=(sa.exc.OperationalError,),  # this test's own connections drop too
            )
            # What a database restart or failover does: every open connection drops, and
            # for a while no new one is accepted.
            with admin_connection() as admin:
                if outage:
                    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute(terminate, (name,))
                time.sleep(outage)
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        wait_for(
            lambda: count_instances(runtime, "completed") == total,
            timeout=120,
            what=f"all {total} instances completed after the database came back",
            context=serving.output,
            tolerate=(sa.exc.OperationalError,),
        )
        assert serving.stop() == 0, serving.output()
        _assert_every_instance_completed_once(runtime, ids)
    runs = ledger.runs_per_job(ledger.executions(on_postgres.ledger_path))
    assert len(runs) == total * len(STEPS)
    assert max(runs.values()) <= 2


def test_one_bad_job_result_neither_stalls_its_batch_nor_vanishes(
    on_sqlite: SteadProcesses,
) -> None:
    with Runtime.open(on_sqlite.database_url) as runtime:
        runtime.deploy([MODELS / "three_steps.bpmn"])
        bad = runtime.start("three-steps", {"unserializable": True}).id
        good = [runtime.start("three-steps", {"order": n}).id for n in range(4)]
        # One worker with the default five-minute lease takes all five Reserve jobs at once.
        worker = on_sqlite.spawn("worker", "run", str(HANDLERS), "--name", "solo")
        worker.wait_until_ready()
        wait_for(
            lambda: all(runtime.get_instance(i).state == "completed" for i in good),
            timeout=20,
            what="the four good instances completed beside the bad one",
            context=worker.output,
        )
        failures = wait_for(
            lambda: [e for e in runtime.history(bad) if e.event == "job.failed"],
            timeout=20,
            what="the bad result recorded as a failed attempt",
        )
        assert "json" in str(failures[0].data).lower()
        assert worker.stop() == 0
