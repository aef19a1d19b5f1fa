"""Messages: correlation by name and key, buffering for the time-to-live, message id dedupe,
message start events."""

from __future__ import annotations

import datetime as dt

from manual_clock import ManualClock

from integration import bpmn_models as models
from stead.runtime import Runtime


def test_a_message_reaches_the_waiting_instance_with_that_key(runtime: Runtime) -> None:
    runtime.deploy_bytes("wait.bpmn", models.message_catch())
    mine = runtime.start("wait-payment", {"orderId": "A-1"})
    other = runtime.start("wait-payment", {"orderId": "B-2"})
    assert [w.kind for w in runtime.get_instance(mine.id).waiting] == ["message"]

    result = runtime.publish_message("payment-received", "A-1", {"paid": 12.5})

    assert result.correlated == [mine.id]
    assert not result.buffered
    done = runtime.get_instance(mine.id)
    assert done.state == "completed"
    assert done.variables["paid"] == 12.5
    assert runtime.get_instance(other.id).state == "active"


def test_a_message_published_first_is_buffered_until_the_subscription_opens(
    runtime: Runtime,
) -> None:
    runtime.deploy_bytes("wait.bpmn", models.message_catch())
    early = runtime.publish_message(
        "payment-received", "A-1", {"paid": 1}, ttl=dt.timedelta(hours=1)
    )
    assert early.buffered
    assert early.correlated == []

    instance = runtime.start("wait-payment", {"orderId": "A-1"})
    assert runtime.get_instance(instance.id).state == "completed"
    # Consumed: a second instance with the same key keeps waiting.
    second = runtime.start("wait-payment", {"orderId": "A-1"})
    assert runtime.get_instance(second.id).state == "active"


def test_a_buffered_message_expires_after_its_ttl(runtime: Runtime, clock: ManualClock) -> None:
    runtime.deploy_bytes("wait.bpmn", models.message_catch())
    runtime.publish_message("payment-received", "A-1", ttl=dt.timedelta(minutes=5))
    clock.advance(dt.timedelta(minutes=6))
    instance = runtime.start("wait-payment", {"orderId": "A-1"})
    assert runtime.get_instance(instance.id).state == "active"


def test_a_message_without_ttl_and_without_subscriber_is_dropped(runtime: Runtime) -> None:
    runtime.deploy_bytes("wait.bpmn", models.message_catch())
    result = runtime.publish_message("payment-received", "A-1")
    assert not result.buffered
    instance = runtime.start("wait-payment", {"orderId": "A-1"})
    assert runtime.get_instance(instance.id).state == "active"


def test_publishing_one_message_id_twice_correlates_once(runtime: Runtime) -> None:
    runtime.deploy_bytes("wait.bpmn", models.message_catch())
    first = runtime.start("wait-payment", {"orderId": "A-1"})
    second = runtime.start("wait-payment", {"orderId": "A-1"})

    once = runtime.publish_message("payment-received", "A-1", message_id="pay-1")
    twice = runtime.publish_message("payment-received", "A-1", message_id="pay-1")

    assert once.correlated == [first.id, second.id]
    assert twice.duplicate
    assert twice.correlated == []
    third = runtime.start("wait-payment", {"orderId": "A-1"})
    assert not runtime.publish_message("payment-received", "A-1", message_id="pay-1").correlated
    assert runtime.get_instance(third.id).state == "active"


def test_a_buffered_message_with_an_id_is_buffered_once(runtime: Runtime) -> None:
    runtime.deploy_bytes("wait.bpmn", models.message_catch())
    hour = dt.timedelta(hours=1)
    runtime.publish_message("payment-received", "A-1", message_id="m", ttl=hour)
    assert runtime.publish_message("payment-received", "A-1", message_id="m", ttl=hour).duplicate
    first = runtime.start("wait-payment", {"orderId": "A-1"})
    second = runtime.start("wait-payment", {"orderId": "A-1"})
    assert runtime.get_instance(first.id).state == "completed"
    assert runtime.get_instance(second.id).state == "active"


def test_a_message_start_event_starts_the_newest_version(runtime: Runtime) -> None:
    runtime.deploy_bytes("order.bpmn", models.message_start())
    renamed = models.message_start().replace(b'name="on-order"', b'name="On order"')
    runtime.deploy_bytes("order.bpmn", renamed)
    result = runtime.publish_message("order-placed", variables={"orderId": "X"})
    (started,) = result.started
    instance = runtime.get_instance(started)
    assert (instance.process_id, instance.version, instance.variables) == (
        "on-order",
        2,
        {"orderId": "X"},
    )
    (job,) = runtime.activate_jobs("handle-order", worker="w")
    assert job.instance_id == started


def test_one_correlation_key_has_one_active_instance_from_a_message_start(
    runtime: Runtime,
) -> None:
    runtime.deploy_bytes("order.bpmn", models.message_start())
    ttl = dt.timedelta(hours=1)
    first = runtime.publish_message("order-placed", "o-1", {"n": 1}, ttl=ttl)
    # While the first runs, the same key starts nothing: the message waits in the buffer.
    second = runtime.publish_message("order-placed", "o-1", {"n": 2}, ttl=ttl)
    other_key = runtime.publish_message("order-placed", "o-2", {"n": 3}, ttl=ttl)
    no_key = runtime.publish_message("order-placed", "", {"n": 4}, ttl=ttl)
    assert len(first.started) == 1
    assert (second.started, second.buffered) == ([], True)
    assert len(other_key.started) == len(no_key.started) == 1

    # The first instance ends: the buffered message starts the next one for o-1.
    (job,) = [
        j
        for j in runtime.activate_jobs("handle-order", worker="w", max_jobs=10)
        if j.instance_id == first.started[0]
    ]
    runtime.complete_job(job.id)
    active = runtime.list_instances(state="active", limit=10).items
    assert sorted(i.variables["n"] for i in active) == [2, 3, 4]
    # The message started one instance only: publishing it again while that one runs waits.
    third = runtime.publish_message("order-placed", "o-1", {"n": 5}, ttl=dt.timedelta(0))
    assert (third.started, third.buffered) == ([], False)
