"""Publishing a message: correlate it to open subscriptions, start instances at message start
events, or buffer it for its time-to-live; a repeated message id is a no-op."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stead.engine import commands as c
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import PublishResult
from stead.store import definitions, instances, messages

__all__ = ["MESSAGE_ID_RETENTION", "publish"]

# How long a message id is remembered after its message expired, so that a retried publish
# (say, by an HTTP client after a timeout) is recognised even with a zero time-to-live.
MESSAGE_ID_RETENTION = dt.timedelta(days=1)


def publish(
    uow: UnitOfWork,
    name: str,
    correlation_key: str,
    variables: dict[str, Any],
    *,
    message_id: str | None,
    ttl: dt.timedelta,
    actor: str,
) -> PublishResult:
    conn, now = uow.conn, uow.now
    if message_id is not None:
        messages.delete_expired(conn, now - MESSAGE_ID_RETENTION, message_id=message_id)
        if messages.find_duplicate(conn, uow.tenant, message_id) is not None:
            return PublishResult(duplicate=True)
    messages.lock_correlation(conn, uow.tenant, name, correlation_key)
    correlated: list[str] = []
    for subscription in messages.matching_subscriptions(conn, uow.tenant, name, correlation_key):
        if subscription.instance_id in correlated:
            continue  # one message reaches an instance once
        command = c.CorrelateMessage(subscription.engine_key, name, variables, actor=actor)
        if uow.try_apply(subscription.instance_id, command):
            correlated.append(subscription.instance_id)
    started: list[str] = []
    for start in messages.start_subscriptions(conn, uow.tenant, name=name):
        # A correlation key allows one active instance that a message started: while it
        # runs, the message waits in the buffer (if it may live) and starts the next one.
        if correlation_key and instances.active_started_by(
            conn, uow.tenant, start.process_id, correlation_key
        ):
            continue
        definition = definitions.by_key(conn, start.definition_key)
        assert definition is not None
        started.append(
            uow.start(
                definition,
                dict(variables),
                start_event_id=start.element_id,
                trigger="message",
                actor=actor,
                start_correlation_key=correlation_key or None,
            )
        )
    consumed = bool(correlated or started)
    buffered = not consumed and ttl > dt.timedelta(0)
    if buffered or message_id is not None:
        messages.buffer(
            conn,
            {
                "tenant_id": uow.tenant,
                "name": name,
                "correlation_key": correlation_key,
                "message_id": message_id,
                "variables": variables,
                "published_at": now,
                "expires_at": now + max(ttl, dt.timedelta(0)),
                "correlated_at": now if consumed else None,
            },
        )
    return PublishResult(correlated=correlated, started=started, buffered=buffered)
