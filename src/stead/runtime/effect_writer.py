"""Writes each engine effect to its table, inside the unit of work's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stead.engine import commands as c
from stead.engine import effects as e
from stead.store import definitions, incidents, instances, jobs, messages, tasks, timers

if TYPE_CHECKING:
    from stead.runtime.unit_of_work import LoadedInstance, UnitOfWork

__all__ = ["start_child", "write_effect"]


def write_effect(uow: UnitOfWork, loaded: LoadedInstance, effect: e.Effect) -> None:
    conn, now, tenant, instance_id = uow.conn, uow.now, loaded.tenant, loaded.id
    match effect:
        case e.HistoryEvent():
            uow.record(
                instance_id,
                effect.event,
                effect.element_id,
                effect.element_instance_key,
                effect.actor,
                effect.data,
            )
        case e.CreateJob():
            jobs.insert(
                conn,
                {
                    "tenant_id": tenant,
                    "instance_id": instance_id,
                    "engine_key": effect.job_key,
                    "element_instance_key": effect.element_instance_key,
                    "element_id": effect.element_id,
                    "type": effect.job_type,
                    "state": "activatable",
                    "retries": effect.retries,
                    "due_at": now,
                    "variables": effect.variables,
                    "headers": dict(effect.headers),
                    "retry_policy": list(effect.retry_policy) if effect.retry_policy else None,
                    "created_at": now,
                },
            )
            uow.created_work = True
        case e.CancelJob():
            job_key = jobs.cancel(conn, instance_id, effect.job_key)
            if job_key is not None:
                incidents.resolve_for_job(conn, job_key, actor="engine", now=now)
        case e.CreateUserTask():
            tasks.insert(
                conn,
                {
                    "tenant_id": tenant,
                    "instance_id": instance_id,
                    "engine_key": effect.task_key,
                    "element_instance_key": effect.element_instance_key,
                    "element_id": effect.element_id,
                    "process_id": loaded.process_id,
                    "name": effect.name,
                    "state": "created",
                    "assignee": effect.assignee,
                    "candidate_groups": list(effect.candidate_groups),
                    "candidate_users": list(effect.candidate_users),
                    "form_key": effect.form_key,
                    "due_at": effect.due_date,
                    "follow_up_at": effect.follow_up_date,
                    "variables": effect.variables,
                    "created_at": now,
                },
            )
        case e.CancelUserTask():
            tasks.cancel(conn, instance_id, effect.task_key)
        case e.ScheduleTimer():
            timers.insert(
                conn,
                {
                    "tenant_id": tenant,
                    "instance_id": instance_id,
                    "engine_key": effect.timer_key,
                    "element_instance_key": effect.element_instance_key,
                    "element_id": effect.element_id,
                    "due_at": effect.due,
                    "created_at": now,
                },
            )
            uow.created_work = True
        case e.CancelTimer():
            timers.delete(conn, instance_id, effect.timer_key)
        case e.OpenSubscription():
            _open_subscription(uow, loaded, effect)
        case e.CloseSubscription():
            messages.close_subscription(conn, instance_id, effect.subscription_key)
        case e.RaiseIncident():
            uow.incident_raised(instance_id)
            incidents.insert(
                conn,
                {
                    "tenant_id": tenant,
                    "instance_id": instance_id,
                    "engine_key": effect.incident_key,
                    "element_instance_key": effect.element_instance_key,
                    "element_id": effect.element_id,
                    "kind": effect.kind,
                    "message": effect.message,
                    "created_at": now,
                },
            )
        case e.ResolveIncidentEffect():
            incidents.resolve_by_engine_key(
                conn, instance_id, effect.incident_key, actor="engine", now=now
            )
        case e.StartChildInstance():
            start_child(uow, loaded, effect)
        case e.CancelChildInstance():
            for child in instances.children_of(conn, instance_id, effect.element_instance_key):
                if child.status == "active":
                    uow.mark_cancelled_by_parent(child.id)
                    uow.enqueue(child.id, c.CancelInstance(actor="engine"))
        case e.InstanceCompleted():
            if loaded.parent_instance_id is not None:
                assert loaded.parent_element_instance_key is not None
                uow.enqueue(
                    loaded.parent_instance_id,
                    c.ChildInstanceCompleted(
                        loaded.parent_element_instance_key, dict(effect.variables)
                    ),
                )
        case e.InstanceTerminated():
            if loaded.parent_instance_id is not None and not uow.cancelled_by_parent(instance_id):
                assert loaded.parent_element_instance_key is not None
                uow.enqueue(
                    loaded.parent_instance_id,
                    c.ChildInstanceTerminated(loaded.parent_element_instance_key),
                )
        case e.ThrowUncaughtError():
            # The error leaves this instance: a calling instance may catch it at its call
            # activity (this instance keeps its own incident until then).
            if loaded.parent_instance_id is not None:
                assert loaded.parent_element_instance_key is not None
                uow.enqueue(
                    loaded.parent_instance_id,
                    c.ChildInstanceThrewError(
                        loaded.parent_element_instance_key,
                        effect.error_code,
                        effect.message,
                        dict(effect.variables),
                    ),
                )


def _open_subscription(uow: UnitOfWork, loaded: LoadedInstance, effect: e.OpenSubscription) -> None:
    messages.open_subscription(
        uow.conn,
        {
            "tenant_id": loaded.tenant,
            "instance_id": loaded.id,
            "engine_key": effect.subscription_key,
            "element_instance_key": effect.element_instance_key,
            "element_id": effect.element_id,
            "message_name": effect.message_name,
            "correlation_key": effect.correlation_key,
            "interrupting": effect.interrupting,
            "created_at": uow.now,
        },
    )
    # A message published before this subscription existed waits in the buffer.
    messages.lock_correlation(uow.conn, loaded.tenant, effect.message_name, effect.correlation_key)
    buffered = messages.take_buffered(
        uow.conn, loaded.tenant, effect.message_name, effect.correlation_key, uow.now
    )
    if buffered is not None:
        messages.mark_correlated(uow.conn, buffered.key, uow.now)
        uow.enqueue(
            loaded.id,
            c.CorrelateMessage(effect.subscription_key, effect.message_name, buffered.variables),
            buffered_message_key=buffered.key,
        )


def start_child(uow: UnitOfWork, loaded: LoadedInstance, effect: e.StartChildInstance) -> None:
    """Start the called process's newest version; when it is not deployed, raise an incident
    whose resolution tries again."""
    definition = definitions.latest_head(uow.conn, loaded.tenant, effect.process_id)
    if definition is None:
        uow.incident_raised(loaded.id)
        incidents.insert(
            uow.conn,
            {
                "tenant_id": loaded.tenant,
                "instance_id": loaded.id,
                "element_instance_key": effect.element_instance_key,
                "element_id": effect.element_id,
                "kind": "called-process",
                "message": f"the called process {effect.process_id!r} is not deployed",
                "data": {
                    "processId": effect.process_id,
                    "elementInstanceKey": effect.element_instance_key,
                    "elementId": effect.element_id,
                    "variables": effect.variables,
                },
                "created_at": uow.now,
            },
        )
        uow.record(
            loaded.id,
            "incident.raised",
            effect.element_id,
            effect.element_instance_key,
            "engine",
            {"kind": "called-process", "processId": effect.process_id},
        )
        return
    uow.start(
        definition,
        dict(effect.variables),
        parent=(loaded.id, effect.element_instance_key),
        trigger="call-activity",
        actor="engine",
    )
