"""Timers: intermediate timers fire when due (also after a restart), timer start events start
instances on their cycle."""

from __future__ import annotations

import datetime as dt

from manual_clock import ManualClock

from integration import bpmn_models as models
from stead.runtime import Runtime


def test_a_timer_fires_once_due(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("reminder.bpmn", models.timer_wait(duration="PT1H"))
    instance = runtime.start("reminder")
    assert runtime.next_timer_due() == clock() + dt.timedelta(hours=1)
    assert runtime.fire_due_timers() == 0

    clock.advance(dt.timedelta(minutes=61))
    assert runtime.fire_due_timers() == 1
    assert runtime.get_instance(instance.id).state == "completed"
    assert runtime.fire_due_timers() == 0
    assert runtime.next_timer_due() is None


def test_timers_due_during_downtime_fire_after_reopening(
    database_url: str, clock: ManualClock
) -> None:
    with Runtime.open(database_url, clock=clock) as before:
        before.deploy_bytes("reminder.bpmn", models.timer_wait(duration="PT10M"))
        ids = [before.start("reminder").id for _ in range(3)]
    clock.advance(dt.timedelta(days=2))
    with Runtime.open(database_url, clock=clock) as after:
        assert after.fire_due_timers(limit=2) == 2
        assert after.fire_due_timers(limit=2) == 1
        assert {after.get_instance(i).state for i in ids} == {"completed"}


def test_a_cancelled_instance_drops_its_timer(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("reminder.bpmn", models.timer_wait())
    instance = runtime.start("reminder")
    runtime.cancel(instance.id)
    clock.advance(dt.timedelta(hours=2))
    assert runtime.fire_due_timers() == 0


def test_a_timer_start_event_starts_instances_on_its_cycle(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("nightly.bpmn", models.timer_start(cycle="R3/PT1H"))
    for _ in range(5):
        clock.advance(dt.timedelta(hours=1, seconds=1))
        runtime.fire_due_timers()
    started = runtime.list_instances(process_id="nightly").items
    assert len(started) == 3
    assert {i.state for i in started} == {"completed"}
    assert runtime.next_timer_due() is None


def test_redeploying_moves_the_timer_start_to_the_new_version(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("nightly.bpmn", models.timer_start(cycle="R/PT1H"))
    runtime.deploy_bytes("nightly.bpmn", models.timer_start(cycle="R/PT2H"))
    clock.advance(dt.timedelta(hours=1, seconds=1))
    assert runtime.fire_due_timers() == 0
    clock.advance(dt.timedelta(hours=1))
    assert runtime.fire_due_timers() == 1
    (instance,) = runtime.list_instances(process_id="nightly").items
    assert instance.version == 2


def test_a_cron_timer_start_event_follows_its_schedule(
    runtime: Runtime, clock: ManualClock
) -> None:
    runtime.deploy_bytes("nightly.bpmn", models.timer_start(cycle="0 */2 * * *"))
    assert runtime.next_timer_due() == clock().replace(hour=10, minute=0)
    clock.advance(dt.timedelta(hours=1, seconds=1))
    assert runtime.fire_due_timers() == 1
    assert runtime.next_timer_due() == clock().replace(hour=12, minute=0, second=0)
