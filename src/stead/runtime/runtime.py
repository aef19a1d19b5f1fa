"""The façade the CLI, the HTTP API and embedding code call: every operation on definitions,
instances, messages, user tasks, jobs and incidents, each in its own transaction."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import logging
import os
import random
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from stead.engine import commands as c
from stead.runtime import deployment, incident_ops, job_ops, messaging, task_ops, timer_ops
from stead.runtime.definitions import DefinitionCache
from stead.runtime.errors import InvalidRequestError, NotFoundError, SteadError
from stead.runtime.transactions import TransactionRunner
from stead.runtime.unit_of_work import UnitOfWork, read_instance
from stead.runtime.views import (
    ActivatedJob,
    CompletedBatch,
    DeployedProcess,
    HistoryEntry,
    Incident,
    Instance,
    InstancePage,
    Job,
    PublishResult,
    UserTask,
    WaitingSummary,
)
from stead.runtime.wakeup import WakeUp
from stead.store import (
    DEFAULT_TENANT,
    Database,
    history,
    incidents,
    instances,
    jobs,
    messages,
    open_database,
    tasks,
    timers,
)
from stead.store import definitions as definition_rows

__all__ = ["TIMER_RETRY_DELAY", "Runtime"]

_log = logging.getLogger("stead.runtime")
# A timer whose firing fails with an unexpected error is tried again this much later.
TIMER_RETRY_DELAY = dt.timedelta(minutes=1)

T = TypeVar("T")

JsonObject = dict[str, Any]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _encode_cursor(row: Instance) -> str:
    raw = json.dumps([row.started_at.isoformat(), row.id]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    try:
        started_at, instance_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return dt.datetime.fromisoformat(started_at), str(instance_id)
    except (ValueError, TypeError) as error:
        raise InvalidRequestError(f"invalid cursor {cursor!r}") from error


def _as_utc(value: dt.datetime | str) -> dt.datetime:
    # Aggregates of timestamps come back as text on SQLite.
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _postpone_timer(uow: UnitOfWork, timer_key: int) -> None:
    timers.postpone(uow.conn, timer_key, uow.now + TIMER_RETRY_DELAY)


def _applied(uow: UnitOfWork, instance_id: str, command: c.Command) -> Instance:
    """Apply a caller's command and return the instance as written."""
    uow.apply(instance_id, command)
    uow.flush()
    return uow.view(instance_id)


class Runtime:
    """Stead running on one database. Thread-safe: every call is its own transaction."""

    def __init__(
        self,
        database: Database,
        *,
        tenant: str = DEFAULT_TENANT,
        clock: Callable[[], dt.datetime] = _utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.tenant = tenant
        self.clock = clock
        self.rng = rng or random.Random()
        self.wakeup = WakeUp()
        self.definitions = DefinitionCache()
        self.transactions = TransactionRunner(
            database, self.definitions, tenant=tenant, clock=clock, wakeup=self.wakeup, rng=self.rng
        )

    @classmethod
    def open(cls, url: str | None = None, **options: Any) -> Runtime:
        """Open (creating and migrating if needed) the database at ``url``; None: the default
        from ``STEAD_DATABASE_URL`` or ``STEAD_DATA_DIR`` (``stead.store.default_database_url``).
        """
        return cls(open_database(url), **options)

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, work: Callable[[UnitOfWork], T]) -> T:
        return self.transactions.run(work)

    # -- definitions -------------------------------------------------------------------------

    def deploy(self, paths: Iterable[str | os.PathLike[str]]) -> list[DeployedProcess]:
        """Deploy BPMN files (folders: every ``.bpmn`` inside). All or nothing: a model error
        (``stead.model.ModelError``) in any file deploys none."""
        parsed = [
            deployment.parse_resource(str(path), path.read_bytes())
            for path in deployment.collect_files(paths)
        ]
        return self._run(lambda uow: deployment.deploy_parsed(uow, parsed))

    def deploy_bytes(self, resource_name: str, content: bytes) -> list[DeployedProcess]:
        parsed = [deployment.parse_resource(resource_name, content)]
        return self._run(lambda uow: deployment.deploy_parsed(uow, parsed))

    def list_definitions(self) -> list[DeployedProcess]:
        """The newest version of every deployed process."""
        with self.database.read() as conn:
            rows = definition_rows.latest_versions(conn, self.tenant)
        return [DeployedProcess.from_row(row, created=False) for row in rows]

    # -- instances ---------------------------------------------------------------------------

    def start(
        self,
        process_id: str,
        variables: JsonObject | None = None,
        *,
        business_key: str | None = None,
        idempotency_key: str | None = None,
        version: int | None = None,
        actor: str = "user",
    ) -> Instance:
        """Start the newest version (or ``version``). With an idempotency key already used,
        return that instance instead of starting another."""

        def work(uow: UnitOfWork) -> Instance:
            if idempotency_key is not None:
                existing = instances.find_by_idempotency_key(uow.conn, self.tenant, idempotency_key)
                if existing is not None:
                    return read_instance(uow.conn, self.tenant, existing.id)
            if version is None:
                definition = definition_rows.latest_head(uow.conn, self.tenant, process_id)
            else:
                definition = definition_rows.by_version(uow.conn, self.tenant, process_id, version)
            if definition is None:
                named = process_id if version is None else f"{process_id} version {version}"
                raise NotFoundError(f"no deployed process {named}")
            instance_id = uow.start(
                definition,
                dict(variables or {}),
                business_key=business_key,
                idempotency_key=idempotency_key,
                actor=actor,
            )
            uow.flush()
            return uow.view(instance_id)

        return self._run(work)

    def get_instance(self, instance_id: str) -> Instance:
        """An instance with where its tokens wait and its open incidents."""
        with self.database.read() as conn:
            return read_instance(conn, self.tenant, instance_id)

    def list_instances(
        self,
        *,
        process_id: str | None = None,
        state: str | None = None,
        business_key: str | None = None,
        started_after: dt.datetime | None = None,
        started_before: dt.datetime | None = None,
        has_incident: bool | None = None,
        variable_equals: tuple[str, Any] | None = None,
        parent_instance_id: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> InstancePage:
        """Instances newest first, ``limit`` per page; pass ``next_cursor`` back for more."""
        where = instances.InstanceFilter(
            process_id=process_id,
            status=state,
            business_key=business_key,
            started_after=started_after,
            started_before=started_before,
            has_incident=has_incident,
            variable_equals=variable_equals,
            parent_instance_id=parent_instance_id,
        )
        after = _decode_cursor(cursor) if cursor else None
        with self.database.read() as conn:
            rows = instances.list_page(conn, self.tenant, where, after=after, limit=limit + 1)
        items = [Instance.from_row(row) for row in rows[:limit]]
        more = len(rows) > limit
        return InstancePage(items, _encode_cursor(items[-1]) if more and items else None)

    def waiting_summary(self, *, process_id: str | None = None) -> list[WaitingSummary]:
        """Where active instances wait (element, kind), how many, and the oldest since when."""
        with self.database.read() as conn:
            rows = instances.waiting_summary(conn, self.tenant, process_id)
        return [
            WaitingSummary(
                r.process_id, r.element_id, r.kind, r.waiting_count, _as_utc(r.oldest_since)
            )
            for r in rows
        ]

    def history(
        self, instance_id: str, *, after_seq: int = 0, limit: int = 1000
    ) -> list[HistoryEntry]:
        with self.database.read() as conn:
            rows = history.for_instance(conn, instance_id, after_seq=after_seq, limit=limit)
        return [HistoryEntry.from_row(row) for row in rows]

    def set_variables(
        self,
        instance_id: str,
        variables: JsonObject,
        *,
        element_instance_key: int | None = None,
        local: bool = False,
        actor: str = "operator",
    ) -> Instance:
        command = c.SetVariables(dict(variables), element_instance_key, local, actor)
        return self._run(lambda uow: _applied(uow, instance_id, command))

    def cancel(self, instance_id: str, *, actor: str = "operator") -> Instance:
        """Terminate the instance and the instances its call activities started."""
        return self._run(lambda uow: _applied(uow, instance_id, c.CancelInstance(actor)))

    # -- messages ----------------------------------------------------------------------------

    def publish_message(
        self,
        name: str,
        correlation_key: str | None = None,
        variables: JsonObject | None = None,
        *,
        message_id: str | None = None,
        ttl: dt.timedelta = dt.timedelta(0),
        actor: str = "user",
    ) -> PublishResult:
        """Correlate to every instance waiting for ``name`` with this correlation key (once per
        instance), start processes with a matching message start event; when nothing took it,
        keep it for ``ttl``. A message id seen before makes this a no-op."""
        return self._run(
            lambda uow: messaging.publish(
                uow,
                name,
                correlation_key or "",
                dict(variables or {}),
                message_id=message_id,
                ttl=ttl,
                actor=actor,
            )
        )

    # -- user tasks --------------------------------------------------------------------------

    def list_tasks(
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
    ) -> list[UserTask]:
        where = tasks.TaskFilter(
            state, assignee, candidate_group, candidate_user, process_id, instance_id, due_before
        )
        with self.database.read() as conn:
            rows = tasks.list_tasks(conn, self.tenant, where, after_key=after_id, limit=limit)
        return [UserTask.from_row(row) for row in rows]

    def get_task(self, task_id: int) -> UserTask:
        with self.database.read() as conn:
            row = tasks.by_key(conn, task_id)
        if row is None or row.tenant_id != self.tenant:
            raise NotFoundError(f"no user task {task_id}")
        return UserTask.from_row(row)

    def claim_task(self, task_id: int, user: str) -> UserTask:
        """Take the task; refused when someone else holds it."""
        return self._run(
            lambda uow: task_ops.assign(uow, task_id, user, actor=user, only_if_free=True)
        )

    def unclaim_task(self, task_id: int, *, actor: str = "user") -> UserTask:
        return self._run(
            lambda uow: task_ops.assign(uow, task_id, None, actor=actor, only_if_free=False)
        )

    def assign_task(
        self, task_id: int, assignee: str | None, *, actor: str = "operator"
    ) -> UserTask:
        return self._run(
            lambda uow: task_ops.assign(uow, task_id, assignee, actor=actor, only_if_free=False)
        )

    def complete_task(
        self, task_id: int, variables: JsonObject | None = None, *, actor: str = "user"
    ) -> UserTask:
        return self._run(lambda uow: task_ops.complete(uow, task_id, dict(variables or {}), actor))

    # -- jobs --------------------------------------------------------------------------------

    def activate_jobs(
        self,
        job_type: str,
        *,
        worker: str,
        max_jobs: int = 10,
        lock_duration: dt.timedelta = dt.timedelta(minutes=5),
    ) -> list[ActivatedJob]:
        """Lease up to ``max_jobs`` due jobs of this type (also ones whose lease expired)."""
        return self._run(
            lambda uow: job_ops.activate(
                uow, job_type, worker=worker, max_jobs=max_jobs, lock_duration=lock_duration
            )
        )

    def complete_job(
        self, job_id: int, variables: JsonObject | None = None, *, worker: str = "worker"
    ) -> None:
        self._run(lambda uow: job_ops.complete(uow, job_id, dict(variables or {}), worker))

    def complete_job_and_activate(
        self,
        job_id: int,
        variables: JsonObject | None = None,
        *,
        worker: str,
        job_type: str,
        max_jobs: int = 10,
        lock_duration: dt.timedelta = dt.timedelta(minutes=5),
    ) -> list[ActivatedJob]:
        """Complete a job and, in the same transaction, lease up to ``max_jobs`` due jobs of
        ``job_type`` (the next step of the same instance among them): a busy worker pays one
        transaction per job instead of two."""

        def work(uow: UnitOfWork) -> list[ActivatedJob]:
            # A refused completion raises here and rolls back: nothing is leased to a caller
            # that gets an error instead of the jobs.
            job_ops.complete(uow, job_id, dict(variables or {}), worker)
            return job_ops.activate(
                uow, job_type, worker=worker, max_jobs=max_jobs, lock_duration=lock_duration
            )

        return self._run(work)

    def complete_jobs(
        self,
        completions: Sequence[tuple[int, JsonObject]],
        *,
        worker: str,
        then_activate: str | None = None,
        max_jobs: int = 10,
        lock_duration: dt.timedelta = dt.timedelta(minutes=5),
    ) -> CompletedBatch:
        """Complete several jobs in one transaction (one commit, one sync to disk, for all of
        them) and, with ``then_activate``, lease up to ``max_jobs`` due jobs of that type in
        it too (handed back in ``activated``, whatever was refused). A completion refused for
        its own reason (the job was cancelled meanwhile) is reported in ``refused`` and leaves
        the others unharmed: every refusal happens before that completion writes anything."""

        def work(uow: UnitOfWork) -> CompletedBatch:
            refused: dict[int, Exception] = {}
            for job_id, variables in completions:
                try:
                    job_ops.complete(uow, job_id, dict(variables), worker)
                except SteadError as error:
                    refused[job_id] = error
            activated: list[ActivatedJob] = []
            if then_activate is not None:
                activated = job_ops.activate(
                    uow,
                    then_activate,
                    worker=worker,
                    max_jobs=max_jobs,
                    lock_duration=lock_duration,
                )
            return CompletedBatch(refused, activated)

        return self._run(work)

    def fail_job(
        self,
        job_id: int,
        *,
        error_message: str = "",
        retries: int | None = None,
        retry_backoff: dt.timedelta | None = None,
        worker: str = "worker",
        min_backoff: dt.timedelta | None = None,
    ) -> None:
        """A failed attempt. ``retries``: how many are left (default: one fewer than before);
        ``retry_backoff``: when to try again (default: the job's retry policy with jitter),
        never sooner than ``min_backoff``. With no retries left an incident is raised."""
        self._run(
            lambda uow: job_ops.fail(
                uow,
                job_id,
                error_message=error_message,
                retries=retries,
                retry_backoff=retry_backoff,
                actor=worker,
                rng=self.rng,
                min_backoff=min_backoff,
            )
        )

    def throw_error(
        self,
        job_id: int,
        error_code: str,
        *,
        error_message: str = "",
        variables: JsonObject | None = None,
        worker: str = "worker",
    ) -> None:
        """Throw a BPMN error from the job's task (caught by an error event, else an incident)."""
        self._run(
            lambda uow: job_ops.throw_error(
                uow, job_id, error_code, error_message, dict(variables or {}), worker
            )
        )

    def extend_job_lock(self, job_id: int, lock_duration: dt.timedelta) -> dt.datetime:
        """Keep the lease for ``lock_duration`` from now; returns the new deadline."""
        return self._run(lambda uow: job_ops.extend_lock(uow, job_id, lock_duration))

    def list_jobs(
        self,
        *,
        instance_id: str | None = None,
        state: str | None = None,
        job_type: str | None = None,
        limit: int = 100,
    ) -> list[Job]:
        with self.database.read() as conn:
            rows = jobs.list_jobs(
                conn,
                self.tenant,
                instance_id=instance_id,
                state=state,
                job_type=job_type,
                limit=limit,
            )
        return [Job.from_row(row) for row in rows]

    # -- incidents ---------------------------------------------------------------------------

    def list_incidents(
        self,
        *,
        instance_id: str | None = None,
        state: str | None = "open",
        after_id: int = 0,
        limit: int = 100,
    ) -> list[Incident]:
        with self.database.read() as conn:
            rows = incidents.list_incidents(
                conn,
                self.tenant,
                instance_id=instance_id,
                state=state,
                after_key=after_id,
                limit=limit,
            )
        return [Incident.from_row(row) for row in rows]

    def resolve_incident(
        self, incident_id: int, *, retries: int | None = None, actor: str = "operator"
    ) -> Incident:
        """Retry what failed; a job's incident gives the job ``retries`` (default 1) again."""
        return self._run(
            lambda uow: incident_ops.resolve(uow, incident_id, retries=retries, actor=actor)
        )

    # -- background work ---------------------------------------------------------------------

    def fire_due_timers(self, *, limit: int = 100, per_transaction: int = 50) -> int:
        """Fire up to ``limit`` due timers, ``per_transaction`` at a time (group commit);
        returns how many fired. A batch that fails is retried timer by timer, and a timer
        that still fails alone is postponed (and logged) so it cannot block the others."""
        fired = 0
        while fired < limit:
            size = min(per_transaction, limit - fired)
            try:
                keys = self._run(functools.partial(timer_ops.fire_batch, limit=size))
            except SteadError:
                raise
            except Exception:
                _log.exception("firing a batch of timers failed; firing them one by one")
                return fired + self._fire_one_by_one(size)
            fired += len(keys)
            if len(keys) < size:
                break
        return fired

    def _fire_one_by_one(self, limit: int) -> int:
        with self.database.read() as conn:
            keys = timers.due_keys(conn, self.clock(), limit)
        fired = 0
        for key in keys:
            try:
                if self._run(functools.partial(timer_ops.fire, timer_key=key)):
                    fired += 1
            except Exception:
                _log.exception("timer %s failed to fire; postponed by %s", key, TIMER_RETRY_DELAY)
                self._run(functools.partial(_postpone_timer, timer_key=key))
        return fired

    def next_timer_due(self) -> dt.datetime | None:
        with self.database.read() as conn:
            return timers.next_due_at(conn)

    def release_expired_leases(self) -> int:
        """Make jobs whose worker stopped (lease expired) activatable again."""
        released = self._run(lambda uow: jobs.release_expired_leases(uow.conn, uow.now))
        if released:
            self.wakeup.notify()
        return released

    def purge_expired_messages(self) -> int:
        return self._run(
            lambda uow: messages.delete_expired(uow.conn, uow.now - messaging.MESSAGE_ID_RETENTION)
        )
