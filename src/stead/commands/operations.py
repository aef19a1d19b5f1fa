"""Every user-visible operation, once: the CLI, the HTTP API and the web app call these, so they
never disagree. Each takes checked input, calls the runtime and returns resources; every failure
is a :class:`~stead.commands.errors.SteadError` with a message a user can act on."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

import sqlalchemy.exc

from stead.commands import definitions as definition_views
from stead.commands import deployments, event_feed, forms, instance_pages, readiness
from stead.commands import resources as r
from stead.commands import task_visibility as visibility
from stead.commands.errors import (
    InvalidRequestError,
    ModelInvalidError,
    NotFoundError,
    StoreUnavailableError,
)
from stead.model import ModelError
from stead.runtime import Runtime
from stead.store import jobs as job_rows

__all__ = ["Commands"]

P = ParamSpec("P")
T = TypeVar("T")


def _reported(operation: Callable[P, T]) -> Callable[P, T]:
    """Turn failures that start below the runtime into SteadErrors."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return operation(*args, **kwargs)
        except ModelError as error:
            raise ModelInvalidError(error) from error
        except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError) as error:
            reason = str(error.orig or error).strip().splitlines()[0]
            raise StoreUnavailableError(f"the database is unavailable: {reason}") from error

    return run


class Commands:
    """The operations on one Stead database, as a user sees them."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @classmethod
    @_reported
    def open(cls, database_url: str | None = None) -> Commands:
        try:
            return cls(Runtime.open(database_url))
        except ValueError as error:
            # A database setting that cannot work (an unsupported URL, an unknown
            # STEAD_SQLITE_SYNCHRONOUS): bad input, said as such.
            raise InvalidRequestError(str(error)) from error

    def close(self) -> None:
        self.runtime.close()

    # -- definitions -------------------------------------------------------------------------

    @_reported
    def deploy(self, paths: Iterable[str | os.PathLike[str]]) -> list[r.Deployment]:
        return [r.Deployment.of(d) for d in self.runtime.deploy(paths)]

    @_reported
    def deploy_content(self, resource_name: str, content: bytes) -> list[r.Deployment]:
        return [r.Deployment.of(d) for d in self.runtime.deploy_bytes(resource_name, content)]

    @_reported
    def deploy_files(self, files: Sequence[tuple[str, bytes]]) -> r.DeploymentResult:
        """Deploy ``(resource name, content)`` pairs, ``.bpmn`` models and ``.form`` schemas
        together: all of them or, on any error, none."""
        return deployments.deploy_files(self.runtime, files)

    @_reported
    def definitions(self) -> list[r.Deployment]:
        """The newest version of every deployed process."""
        return [r.Deployment.of(d) for d in self.runtime.list_definitions()]

    @_reported
    def deployments(self) -> list[r.Deployment]:
        """Every deployed version of every process, newest first."""
        return definition_views.deployed_versions(self.runtime)

    @_reported
    def process_definitions(
        self, process_id: str | None = None
    ) -> list[r.ProcessDefinitionSummary]:
        """Deployed processes (or the one named) with versions and instance counts by state."""
        return definition_views.definition_summaries(self.runtime, process_id)

    @_reported
    def definition_source(self, process_id: str, version: int | None = None) -> str:
        """The BPMN XML of one version (default: the newest)."""
        return definition_views.definition_source(self.runtime, process_id, version)

    # -- forms -------------------------------------------------------------------------------

    @_reported
    def form(self, form_id: str) -> tuple[int, dict[str, Any]]:
        """The newest version of a deployed form and its schema."""
        return forms.latest_form(self.runtime, form_id)

    @_reported
    def task_form(self, task: r.UserTask) -> r.TaskForm:
        """The form ``task`` shows: embedded in its process or deployed on its own."""
        return forms.task_form(self.runtime, task)

    # -- instances ---------------------------------------------------------------------------

    @_reported
    def start(
        self,
        process_id: str,
        variables: dict[str, Any] | None = None,
        *,
        business_key: str | None = None,
        idempotency_key: str | None = None,
        version: int | None = None,
        actor: str = "user",
    ) -> r.Instance:
        view = self.runtime.start(
            process_id,
            variables,
            business_key=business_key,
            idempotency_key=idempotency_key,
            version=version,
            actor=actor,
        )
        return r.Instance.of(view)

    @_reported
    def instance(self, instance_id: str) -> r.Instance:
        return r.Instance.of(self.runtime.get_instance(instance_id))

    @_reported
    def instances(
        self,
        *,
        process_id: str | None = None,
        state: str | None = None,
        business_key: str | None = None,
        started_after: dt.datetime | None = None,
        started_before: dt.datetime | None = None,
        ended_after: dt.datetime | None = None,
        ended_before: dt.datetime | None = None,
        has_incident: bool | None = None,
        variable_equals: tuple[str, Any] | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> r.InstancePage:
        """Instances newest first; pass ``next_cursor`` back for the next page. With an end
        window a page may come out short while a cursor still says there is more."""

        def read_page(cursor: str | None, limit: int) -> r.InstancePage:
            page = self.runtime.list_instances(
                process_id=process_id,
                state=state,
                business_key=business_key,
                started_after=started_after,
                started_before=started_before,
                has_incident=has_incident,
                variable_equals=variable_equals,
                cursor=cursor,
                limit=limit,
            )
            return r.InstancePage(
                items=[r.Instance.of(i) for i in page.items], next_cursor=page.next_cursor
            )

        if ended_after is None and ended_before is None:
            return read_page(cursor, limit)
        return instance_pages.ended_between(
            read_page,
            ended_after=ended_after,
            ended_before=ended_before,
            cursor=cursor,
            limit=limit,
        )

    @_reported
    def history(self, instance_id: str) -> list[r.HistoryEntry]:
        self.runtime.get_instance(instance_id)  # unknown ids are an error, not an empty list
        return [r.HistoryEntry.of(h) for h in self.runtime.history(instance_id)]

    @_reported
    def set_variables(
        self, instance_id: str, variables: dict[str, Any], *, actor: str = "operator"
    ) -> r.Instance:
        return r.Instance.of(self.runtime.set_variables(instance_id, variables, actor=actor))

    @_reported
    def cancel(self, instance_id: str, *, actor: str = "operator") -> r.Instance:
        return r.Instance.of(self.runtime.cancel(instance_id, actor=actor))

    # -- messages ----------------------------------------------------------------------------

    @_reported
    def publish_message(
        self,
        name: str,
        *,
        correlation_key: str | None = None,
        variables: dict[str, Any] | None = None,
        message_id: str | None = None,
        ttl: dt.timedelta = dt.timedelta(0),
        actor: str = "user",
    ) -> r.PublishResult:
        result = self.runtime.publish_message(
            name, correlation_key, variables, message_id=message_id, ttl=ttl, actor=actor
        )
        return r.PublishResult.of(result)

    # -- user tasks --------------------------------------------------------------------------

    @_reported
    def tasks(
        self,
        *,
        assignee: str | None = None,
        candidate_group: str | None = None,
        candidate_user: str | None = None,
        process_id: str | None = None,
        instance_id: str | None = None,
        state: str | None = "created",
        due_before: dt.datetime | None = None,
        after_id: int = 0,
        limit: int = 100,
    ) -> list[r.UserTask]:
        views = self.runtime.list_tasks(
            assignee=assignee,
            candidate_group=candidate_group,
            candidate_user=candidate_user,
            process_id=process_id,
            instance_id=instance_id,
            state=state,
            due_before=due_before,
            after_id=after_id,
            limit=limit,
        )
        return [r.UserTask.of(t) for t in views]

    @_reported
    def task(self, task_id: int) -> r.UserTask:
        return r.UserTask.of(self.runtime.get_task(task_id))

    def visible_tasks(
        self, viewer: visibility.Viewer, query: visibility.TaskQuery, limit: int = 100
    ) -> list[r.UserTask]:
        """The tasks ``query`` (filters as :meth:`tasks` names them) finds that ``viewer`` may
        see: assigned to them, offered to them or their groups; with ``tasks:all`` every one."""
        return visibility.visible_tasks(viewer, self.tasks, query, limit)

    def visible_task(self, viewer: visibility.Viewer, task_id: int) -> r.UserTask:
        """One task, if ``viewer`` may see it; else "not found", revealing nothing."""
        return visibility.visible_task(viewer, self.task(task_id))

    @_reported
    def claim_task(self, task_id: int, user: str) -> r.UserTask:
        return r.UserTask.of(self.runtime.claim_task(task_id, user))

    @_reported
    def unclaim_task(self, task_id: int, *, actor: str = "user") -> r.UserTask:
        return r.UserTask.of(self.runtime.unclaim_task(task_id, actor=actor))

    @_reported
    def assign_task(
        self, task_id: int, assignee: str | None, *, actor: str = "operator"
    ) -> r.UserTask:
        return r.UserTask.of(self.runtime.assign_task(task_id, assignee, actor=actor))

    @_reported
    def complete_task(
        self, task_id: int, variables: dict[str, Any] | None = None, *, actor: str = "user"
    ) -> r.UserTask:
        return r.UserTask.of(self.runtime.complete_task(task_id, variables, actor=actor))

    # -- jobs --------------------------------------------------------------------------------

    @_reported
    def activate_jobs(
        self,
        job_type: str,
        *,
        worker: str,
        max_jobs: int = 10,
        lock_duration: dt.timedelta = dt.timedelta(minutes=5),
    ) -> list[r.Job]:
        views = self.runtime.activate_jobs(
            job_type, worker=worker, max_jobs=max_jobs, lock_duration=lock_duration
        )
        return [r.Job.of(j) for j in views]

    @_reported
    def complete_job(
        self, job_id: int, variables: dict[str, Any] | None = None, *, worker: str = "worker"
    ) -> None:
        self.runtime.complete_job(job_id, variables, worker=worker)

    @_reported
    def fail_job(
        self,
        job_id: int,
        *,
        error_message: str = "",
        retries: int | None = None,
        retry_backoff: dt.timedelta | None = None,
        worker: str = "worker",
    ) -> None:
        self.runtime.fail_job(
            job_id,
            error_message=error_message,
            retries=retries,
            retry_backoff=retry_backoff,
            worker=worker,
        )

    @_reported
    def throw_error(
        self,
        job_id: int,
        error_code: str,
        *,
        error_message: str = "",
        variables: dict[str, Any] | None = None,
        worker: str = "worker",
    ) -> None:
        self.runtime.throw_error(
            job_id, error_code, error_message=error_message, variables=variables, worker=worker
        )

    @_reported
    def extend_job_lock(self, job_id: int, lock_duration: dt.timedelta) -> dt.datetime:
        # The runtime calls an unknown job a conflict (no lease to extend); users are told
        # that it does not exist.
        with self.runtime.database.read() as conn:
            row = job_rows.by_key(conn, job_id)
        if row is None or row.tenant_id != self.runtime.tenant:
            raise NotFoundError(f"no job {job_id}")
        return self.runtime.extend_job_lock(job_id, lock_duration)

    @property
    def work_generation(self) -> int:
        """Moves whenever new work (jobs, timers) was committed, here or, on PostgreSQL, by
        another Stead process: whoever waits for work looks again when it changes."""
        return self.runtime.wakeup.generation

    # -- incidents ---------------------------------------------------------------------------

    @_reported
    def incidents(
        self, *, instance_id: str | None = None, state: str | None = "open"
    ) -> list[r.Incident]:
        views = self.runtime.list_incidents(instance_id=instance_id, state=state)
        return [r.Incident.of(i) for i in views]

    @_reported
    def resolve_incident(
        self, incident_id: int, *, retries: int | None = None, actor: str = "operator"
    ) -> r.Incident:
        view = self.runtime.resolve_incident(incident_id, retries=retries, actor=actor)
        return r.Incident.of(view)

    # -- the event feed ----------------------------------------------------------------------

    @_reported
    def events_after(
        self, seq: int, *, instance_id: str | None = None, limit: int = 500
    ) -> list[r.Event]:
        """Instance, task and incident changes after sequence number ``seq``, oldest first."""
        return event_feed.events_after(self.runtime, seq, instance_id=instance_id, limit=limit)

    @_reported
    def last_event_seq(self) -> int:
        return event_feed.last_event_seq(self.runtime)

    # -- readiness ---------------------------------------------------------------------------

    def readiness(self) -> r.Readiness:
        """Whether the database answers and its schema is current; never raises."""
        return readiness.readiness(self.runtime.database)

    # -- connectors --------------------------------------------------------------------------

    def connectors(self) -> list[dict[str, Any]]:
        """The contracts of the connectors this installation runs (built in and registered
        through the ``stead.connectors`` entry points), as JSON Schema."""
        from stead.connectors.templates import contract_json

        return [contract_json(c) for c in _connector_contracts()]

    def connector_templates(self) -> list[dict[str, Any]]:
        """Modeler element templates generated from the same contracts, and the webhook
        templates for start and message catch events."""
        from stead.connectors.inbound_templates import webhook_templates
        from stead.connectors.templates import element_templates

        return element_templates(_connector_contracts()) + webhook_templates()


def _connector_contracts() -> list[Any]:
    # Imported here: some connectors (webhooks, callbacks) use this command layer themselves.
    from stead.connectors.registry import ConnectorRegistry

    return list(ConnectorRegistry.default().contracts())
