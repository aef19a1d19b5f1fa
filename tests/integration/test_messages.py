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
    runtime.deploy_bytes("order.bpmn", models.message_start() + b"\n")
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
