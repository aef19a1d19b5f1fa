"""Resolving incidents: a job's gets new retries, a missing called process is looked up
again, and the engine's own are retried by the engine."""

from __future__ import annotations

from stead.engine import commands as c
from stead.engine import effects as e
from stead.runtime.effect_writer import start_child
from stead.runtime.errors import ConflictError, NotFoundError
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import Incident
from stead.store import definitions, incidents, jobs

__all__ = ["resolve"]


def resolve(uow: UnitOfWork, incident_id: int, *, retries: int | None, actor: str) -> Incident:
    incident = incidents.by_key(uow.conn, incident_id, for_update=True)
    if incident is None or incident.tenant_id != uow.tenant:
        raise NotFoundError(f"no incident {incident_id}")
    if incident.state != "open":
        raise ConflictError(f"incident {incident_id} is already {incident.state}")
    if incident.job_key is not None:
        job = jobs.by_key(uow.conn, incident.job_key)
        assert job is not None
        jobs.reschedule(
            uow.conn, job.key, retries=max(1, retries or 1), due_at=uow.now, error=job.last_error
        )
        uow.created_work = True
    elif incident.engine_key is not None:
        uow.apply(incident.instance_id, c.ResolveIncident(incident.engine_key, actor=actor))
    elif incident.kind == "called-process":
        data = incident.data
        if definitions.latest(uow.conn, uow.tenant, data["processId"]) is None:
            raise ConflictError(f"the called process {data['processId']!r} is still not deployed")
        loaded = uow.load(incident.instance_id)
        effect = e.StartChildInstance(
            data["elementInstanceKey"], data["elementId"], data["processId"], data["variables"]
        )
        start_child(uow, loaded, effect)
    incidents.resolve(uow.conn, incident.key, actor=actor, now=uow.now)
    uow.record(
        incident.instance_id,
        "incident.resolved",
        incident.element_id,
        incident.element_instance_key,
        actor,
        {"incidentId": incident.key, "kind": incident.kind},
    )
    resolved = incidents.by_key(uow.conn, incident.key)
    assert resolved is not None
    return Incident.from_row(resolved)
