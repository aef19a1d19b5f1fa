"""Starting, finding, changing and cancelling instances; history; where tokens wait."""

from __future__ import annotations

import datetime as dt

import pytest
from manual_clock import ManualClock

from integration import bpmn_models as models
from stead.runtime import ConflictError, InvalidRequestError, NotFoundError, Runtime


def test_an_idempotency_key_returns_the_existing_instance(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    first = runtime.start("charge", {"n": 1}, idempotency_key="order-7")
    second = runtime.start("charge", {"n": 2}, idempotency_key="order-7")
    assert second.id == first.id
    assert second.variables == {"n": 1}
    assert len(runtime.activate_jobs("charge-card", worker="w")) == 1


def test_an_instance_shows_where_it_waits(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    instance = runtime.start("charge", business_key="B-1")
    shown = runtime.get_instance(instance.id)
    assert shown.business_key == "B-1"
    assert [(w.element_id, w.kind) for w in shown.waiting] == [("task", "job")]


def test_listing_filters_and_pages(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    runtime.deploy_bytes("approve.bpmn", models.user_task())
    started = []
    for n in range(5):
        clock.advance(dt.timedelta(minutes=1))
        started.append(runtime.start("charge", {"n": n, "tier": "gold" if n % 2 else "basic"}))
    runtime.start("approve")

    page = runtime.list_instances(process_id="charge", limit=2)
    ids = [i.id for i in page.items]
    while page.next_cursor:
        page = runtime.list_instances(process_id="charge", limit=2, cursor=page.next_cursor)
        ids += [i.id for i in page.items]
    assert ids == [i.id for i in reversed(started)]

    gold = runtime.list_instances(variable_equals=("tier", "gold")).items
    assert sorted(i.variables["n"] for i in gold) == [1, 3]
    assert [i.variables["n"] for i in runtime.list_instances(variable_equals=("n", 2)).items] == [2]
    assert runtime.list_instances(variable_equals=("n", "2")).items == []
    window = runtime.list_instances(
        started_after=started[1].started_at, started_before=started[3].started_at
    )
    assert sorted(i.variables["n"] for i in window.items) == [1, 2]
    assert runtime.list_instances(has_incident=True).items == []


def test_cancel_terminates_and_withdraws_the_job(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    instance = runtime.start("charge")
    cancelled = runtime.cancel(instance.id)
    assert cancelled.state == "terminated"
    assert cancelled.ended_at is not None
    assert runtime.activate_jobs("charge-card", worker="w") == []
    assert runtime.list_instances(state="terminated").items[0].id == instance.id
    with pytest.raises(ConflictError):
        runtime.cancel(instance.id)


def test_set_variables_changes_the_root_scope(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    instance = runtime.start("charge", {"a": 1})
    changed = runtime.set_variables(instance.id, {"b": [1, 2]})
    assert changed.variables == {"a": 1, "b": [1, 2]}


def test_history_records_every_step_in_order(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    instance = runtime.start("charge")
    (job,) = runtime.activate_jobs("charge-card", worker="billing-1")
    runtime.complete_job(job.id, {"ok": True}, worker="billing-1")
    entries = runtime.history(instance.id)
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    completed = [e for e in entries if e.element_id == "task" and e.event == "element.completed"]
    assert len(completed) == 1
    assert completed[0].actor == "billing-1"
    assert entries[-1].element_id == "charge"


def test_unknown_instances_and_bad_cursors_are_refused(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError):
        runtime.get_instance("00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFoundError):
        runtime.cancel("00000000-0000-0000-0000-000000000000")
    with pytest.raises(InvalidRequestError):
        runtime.list_instances(cursor="garbage")


def test_where_instances_wait_is_one_summary(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    runtime.deploy_bytes("approve.bpmn", models.user_task())
    first = clock()
    runtime.start("charge")
    clock.advance(dt.timedelta(hours=1))
    runtime.start("charge")
    runtime.start("approve")
    summary = runtime.waiting_summary()
    assert [(s.process_id, s.element_id, s.kind, s.count) for s in summary] == [
        ("charge", "task", "job", 2),
        ("approve", "review", "user-task", 1),
    ]
    assert summary[0].oldest_since == first
    assert [s.process_id for s in runtime.waiting_summary(process_id="approve")] == ["approve"]
