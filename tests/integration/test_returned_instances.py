"""What starting, changing or cancelling an instance returns is exactly what reading it back
shows: the returned view is built from the transaction's own knowledge, not re-read."""

from __future__ import annotations

import datetime as dt

from manual_clock import ManualClock

from integration import bpmn_models as models
from stead.runtime import Instance, Runtime


def _straight_through(process_id: str = "quick") -> bytes:
    return models.document(process_id, models.chain("startEvent start", "endEvent end"))


def _read_back(runtime: Runtime, returned: Instance) -> Instance:
    return runtime.get_instance(returned.id)


def test_a_completed_instance_is_returned_as_stored(runtime: Runtime) -> None:
    runtime.deploy_bytes("quick.bpmn", _straight_through())
    started = runtime.start("quick", {"n": 1, "items": [1, {"a": None}]}, business_key="B-9")
    assert started.state == "completed"
    assert started.ended_at is not None
    assert started == _read_back(runtime, started)


def test_a_waiting_instance_is_returned_with_its_tokens(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    runtime.deploy_bytes("reminder.bpmn", models.timer_wait())
    for process_id in ("charge", "reminder"):
        started = runtime.start(process_id, {"n": 2}, idempotency_key=f"key-{process_id}")
        assert started.state == "active"
        assert len(started.waiting) == 1
        assert started == _read_back(runtime, started)


def test_an_instance_started_with_an_incident_shows_it(runtime: Runtime) -> None:
    runtime.deploy_bytes("parent.bpmn", models.caller(called="missing"))
    started = runtime.start("parent")
    assert [i.kind for i in started.incidents] == ["called-process"]
    assert started == _read_back(runtime, started)


def test_a_caller_whose_child_ends_at_once_completes_in_the_same_start(runtime: Runtime) -> None:
    runtime.deploy_bytes("child.bpmn", _straight_through("child"))
    runtime.deploy_bytes("parent.bpmn", models.caller())
    started = runtime.start("parent", {"n": 3})
    assert started.state == "completed"
    assert started == _read_back(runtime, started)
    (child,) = runtime.list_instances(parent_instance_id=started.id).items
    assert child.state == "completed"


def test_a_caller_waits_for_its_child(runtime: Runtime) -> None:
    runtime.deploy_bytes("child.bpmn", models.one_job("child"))
    runtime.deploy_bytes("parent.bpmn", models.caller())
    started = runtime.start("parent")
    assert [w.kind for w in started.waiting] == ["call-activity"]
    assert started == _read_back(runtime, started)


def test_changed_and_cancelled_instances_are_returned_as_stored(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    started = runtime.start("charge", {"n": 1})
    clock.advance(dt.timedelta(minutes=5))
    changed = runtime.set_variables(started.id, {"n": 2, "note": "checked"})
    assert changed.variables == {"n": 2, "note": "checked"}
    assert changed == _read_back(runtime, changed)
    clock.advance(dt.timedelta(minutes=5))
    cancelled = runtime.cancel(started.id)
    assert cancelled.state == "terminated"
    assert cancelled.waiting == ()
    assert cancelled.ended_at == clock()
    assert cancelled == _read_back(runtime, cancelled)


def test_a_job_out_of_retries_ends_with_its_incident_resolved_on_cancel(
    runtime: Runtime,
) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job(retries=1))
    started = runtime.start("charge")
    (job,) = runtime.activate_jobs("charge-card", worker="w")
    runtime.fail_job(job.id, error_message="card declined")
    assert [i.kind for i in runtime.get_instance(started.id).incidents] == ["job-no-retries"]
    cancelled = runtime.cancel(started.id)
    assert cancelled.incidents == ()
    assert cancelled == _read_back(runtime, cancelled)
