"""Jobs: leasing, completion, failure with backoff, incidents when retries run out, lease
expiry, BPMN errors."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from manual_clock import ManualClock

from integration import bpmn_models as models
from stead.model.graph import RetryPolicy
from stead.runtime import ConflictError, NotFoundError, Runtime
from stead.runtime.retry import job_backoff


def test_activation_leases_each_job_to_one_worker(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    for n in range(3):
        runtime.start("charge", {"n": n})
    first = runtime.activate_jobs("charge-card", worker="a", max_jobs=2)
    second = runtime.activate_jobs("charge-card", worker="b", max_jobs=2)
    assert len(first) == 2
    assert len(second) == 1
    assert {j.id for j in first}.isdisjoint({j.id for j in second})
    assert second[0].process_id == "charge"
    assert runtime.activate_jobs("other-type", worker="c") == []


def test_failing_with_retries_makes_the_job_due_after_the_backoff(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job(retries=3))
    runtime.start("charge")
    (job,) = runtime.activate_jobs("charge-card", worker="w")
    runtime.fail_job(job.id, error_message="card declined", retry_backoff=dt.timedelta(seconds=30))

    assert runtime.activate_jobs("charge-card", worker="w") == []
    clock.advance(dt.timedelta(seconds=31))
    (again,) = runtime.activate_jobs("charge-card", worker="w")
    assert (again.id, again.retries, again.attempt) == (job.id, 2, 2)


def test_the_model_retry_policy_sets_the_backoff(runtime: Runtime, clock: ManualClock) -> None:
    policy = (
        '<stead:retryPolicy initialInterval="PT10S" backoffRate="3" maxInterval="PT1M" '
        'jitter="false"/>'
    )
    model = models.document(
        "charge",
        models.chain(
            "startEvent start",
            models.service_task("task", "charge-card", 5, policy),
            "endEvent end",
        ),
    )
    runtime.deploy_bytes("charge.bpmn", model)
    runtime.start("charge")
    waits = []
    for _ in range(3):
        (job,) = runtime.activate_jobs("charge-card", worker="w")
        runtime.fail_job(job.id, error_message="busy")
        (failed,) = runtime.list_jobs()
        waits.append((failed.due_at - clock()).total_seconds())
        clock.advance(failed.due_at - clock())
    assert waits == [10.0, 30.0, 60.0]


def test_exhausted_retries_raise_an_incident_that_resolving_retries(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job(retries=1))
    instance = runtime.start("charge")
    (job,) = runtime.activate_jobs("charge-card", worker="w")
    runtime.fail_job(job.id, error_message="gateway down")

    (incident,) = runtime.list_incidents()
    assert (incident.instance_id, incident.job_id, incident.message) == (
        instance.id,
        job.id,
        "gateway down",
    )
    assert runtime.activate_jobs("charge-card", worker="w") == []
    assert [i.id for i in runtime.list_instances(has_incident=True).items] == [instance.id]

    resolved = runtime.resolve_incident(incident.id, retries=2)
    assert resolved.state == "resolved"
    assert runtime.list_incidents() == []
    (retried,) = runtime.activate_jobs("charge-card", worker="w")
    assert retried.retries == 2
    runtime.complete_job(retried.id)
    assert runtime.get_instance(instance.id).state == "completed"
    events = [e.event for e in runtime.history(instance.id)]
    assert "incident.raised" in events
    assert "incident.resolved" in events
    with pytest.raises(ConflictError):
        runtime.resolve_incident(incident.id)


def test_an_expired_lease_is_taken_over_by_another_worker(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    instance = runtime.start("charge")
    (job,) = runtime.activate_jobs(
        "charge-card", worker="crashed", lock_duration=dt.timedelta(seconds=10)
    )
    assert runtime.activate_jobs("charge-card", worker="other") == []

    clock.advance(dt.timedelta(seconds=11))
    (taken,) = runtime.activate_jobs("charge-card", worker="other")
    assert (taken.id, taken.worker, taken.attempt) == (job.id, "other", 2)
    runtime.complete_job(taken.id, worker="other")
    assert runtime.get_instance(instance.id).state == "completed"
    with pytest.raises(ConflictError):
        runtime.complete_job(job.id, worker="crashed")


def test_a_lease_that_ran_out_is_taken_before_due_jobs_and_both_fill_one_batch(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    for n in range(2):
        runtime.start("charge", {"n": n})
    crashed = runtime.activate_jobs(
        "charge-card", worker="crashed", lock_duration=dt.timedelta(seconds=10)
    )
    clock.advance(dt.timedelta(seconds=11))
    for n in range(2, 5):
        runtime.start("charge", {"n": n})
        clock.advance(dt.timedelta(seconds=1))

    first = runtime.activate_jobs("charge-card", worker="other", max_jobs=1)
    assert [job.variables["n"] for job in first] == [0]  # its lease ran out first
    batch = runtime.activate_jobs("charge-card", worker="other", max_jobs=3)
    assert sorted(job.variables["n"] for job in batch) == [1, 2, 3]  # the oldest due job next
    assert {job.id for job in crashed} <= {job.id for job in first + batch}
    (last,) = runtime.activate_jobs("charge-card", worker="other", max_jobs=3)
    assert last.variables["n"] == 4


def test_extending_a_lease_keeps_the_job(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    runtime.start("charge")
    (job,) = runtime.activate_jobs(
        "charge-card", worker="w", lock_duration=dt.timedelta(seconds=10)
    )
    clock.advance(dt.timedelta(seconds=8))
    runtime.extend_job_lock(job.id, dt.timedelta(seconds=10))
    clock.advance(dt.timedelta(seconds=8))
    assert runtime.activate_jobs("charge-card", worker="other") == []


def test_released_leases_become_activatable(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    runtime.start("charge")
    runtime.activate_jobs("charge-card", worker="w", lock_duration=dt.timedelta(seconds=5))
    assert runtime.release_expired_leases() == 0
    clock.advance(dt.timedelta(seconds=6))
    assert runtime.release_expired_leases() == 1
    (job,) = runtime.list_jobs()
    assert (job.state, job.worker) == ("activatable", None)


def test_an_uncaught_bpmn_error_is_an_incident(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    instance = runtime.start("charge")
    (job,) = runtime.activate_jobs("charge-card", worker="w")
    runtime.throw_error(job.id, "card-expired", error_message="expired in 2024")
    (incident,) = runtime.list_incidents(instance_id=instance.id)
    assert "card-expired" in incident.message
    assert runtime.get_instance(instance.id).state == "active"


def test_unknown_jobs_are_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError):
        runtime.complete_job(424242)
    with pytest.raises(NotFoundError):
        runtime.fail_job(424242)


def test_backoff_grows_exponentially_up_to_the_cap_with_full_jitter() -> None:
    policy = RetryPolicy(initial_interval=1.0, backoff_rate=2.0, max_interval=10.0, jitter=False)
    delays = [job_backoff(policy, n, random.Random(1)).total_seconds() for n in range(1, 7)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    jittered = RetryPolicy(1.0, 2.0, 10.0, jitter=True)
    draws = {job_backoff(jittered, 3, random.Random(seed)).total_seconds() for seed in range(50)}
    assert all(0.0 <= d <= 4.0 for d in draws)
    assert len(draws) > 40


def test_cancelling_an_instance_with_a_job_incident_closes_both(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job(retries=1))
    instance = runtime.start("charge")
    (job,) = runtime.activate_jobs("charge-card", worker="w")
    runtime.fail_job(job.id, error_message="down")
    (incident,) = runtime.list_incidents()
    runtime.cancel(instance.id)
    assert runtime.list_incidents() == []
    assert [(j.id, j.state) for j in runtime.list_jobs()] == [(job.id, "cancelled")]
    with pytest.raises(ConflictError):
        runtime.resolve_incident(incident.id)


def test_completing_a_job_can_lease_the_next_one_in_the_same_transaction(
    runtime: Runtime,
) -> None:
    model = models.document(
        "two-steps",
        models.chain(
            "startEvent start",
            models.service_task("first", "step", 3),
            models.service_task("second", "step", 3),
            "endEvent end",
        ),
    )
    runtime.deploy_bytes("two-steps.bpmn", model)
    instance = runtime.start("two-steps", {"n": 1})
    (first,) = runtime.activate_jobs("step", worker="w")

    (second,) = runtime.complete_job_and_activate(
        first.id, {"n": 2}, worker="w", job_type="step", max_jobs=5
    )
    assert (second.element_id, second.instance_id, second.worker) == ("second", instance.id, "w")
    assert second.variables["n"] == 2  # what the task sees after the first step completed
    assert runtime.activate_jobs("step", worker="other") == []  # leased to w already

    assert runtime.complete_job_and_activate(second.id, {}, worker="w", job_type="step") == []
    assert runtime.get_instance(instance.id).state == "completed"


def test_a_rejected_completion_leases_nothing(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    runtime.start("charge")
    runtime.start("charge")
    (first,) = runtime.activate_jobs("charge-card", worker="w", max_jobs=1)
    runtime.complete_job(first.id, {})
    with pytest.raises(ConflictError):
        runtime.complete_job_and_activate(first.id, {}, worker="w", job_type="charge-card")
    # The other instance's job was not leased by the failed transaction.
    assert len(runtime.activate_jobs("charge-card", worker="x")) == 1


def test_several_completions_share_one_transaction_and_a_refusal_spares_the_others(
    runtime: Runtime,
) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    ids = [runtime.start("charge", {"n": n}).id for n in range(3)]
    jobs = runtime.activate_jobs("charge-card", worker="w", max_jobs=3)
    gone = jobs[1]
    runtime.cancel(gone.instance_id)  # its job is cancelled before the batch commits

    batch = runtime.complete_jobs(
        [(job.id, {"paid": True}) for job in jobs], worker="w", then_activate="charge-card"
    )
    assert set(batch.refused) == {gone.id}
    assert isinstance(batch.refused[gone.id], ConflictError)
    assert batch.activated == []
    states = {i: runtime.get_instance(i) for i in ids}
    assert [states[j.instance_id].state for j in jobs] == ["completed", "terminated", "completed"]
    assert states[jobs[0].instance_id].variables["paid"] is True
