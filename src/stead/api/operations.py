"""Operations the HTTP API needs that the command layer does not offer yet: deploying BPMN and
form files together, definition versions with instance counts, model sources, task forms,
task visibility by user and group, the event feed and readiness. They wrap
:class:`~stead.commands.Commands` and belong there in time."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

import stead.store
from stead.api import models as m
from stead.auth import Principal
from stead.commands import (
    Commands,
    InvalidRequestError,
    ModelInvalidError,
    NotFoundError,
    StoreUnavailableError,
)
from stead.commands.resources import Deployment, UserTask
from stead.model import ModelError, parse_bpmn
from stead.model.bpmn import EMBEDDED_FORM_PREFIX
from stead.runtime import deployment
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import DeployedProcess
from stead.store import definitions as definition_rows
from stead.store import forms as form_rows
from stead.store import jobs as job_rows
from stead.store.schema import definitions, history, instances

__all__ = ["ApiOperations", "TaskQuery"]


P = ParamSpec("P")
T = TypeVar("T")
_MIGRATIONS = Path(stead.store.__file__).with_name("migrations")
BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")
TaskQuery = dict[str, Any]  # filters of a task list, named as Commands.tasks names them
FORM_SUFFIX = ".form"


def _reported(operation: Callable[P, T]) -> Callable[P, T]:
    """Failures below the command layer become SteadErrors, as in the command layer."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return operation(*args, **kwargs)
        except ModelError as error:
            raise ModelInvalidError(error) from error
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
            reason = str(error.orig or error).strip().splitlines()[0]
            raise StoreUnavailableError(f"the database is unavailable: {reason}") from error

    return run


def _parse_form(resource_name: str, content: bytes) -> tuple[str, str, str]:
    """(form id, source text, content hash) of a form-js JSON schema."""
    try:
        source = content.decode("utf-8")
        schema = json.loads(source)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidRequestError(f"{resource_name}: not a JSON form ({error})") from error
    form_id = schema.get("id") if isinstance(schema, dict) else None
    if not isinstance(form_id, str) or not form_id.strip() or len(form_id) > 255:
        raise InvalidRequestError(f'{resource_name}: a form needs a string "id"')
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"))
    return form_id, source, hashlib.sha256(canonical.encode()).hexdigest()


class ApiOperations:
    """The API's operations on top of one :class:`Commands`."""

    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self.runtime = commands.runtime
        self.database = commands.runtime.database
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        self.schema_head = str(ScriptDirectory.from_config(config).get_current_head())

    # -- deployments -----------------------------------------------------------------------

    @_reported
    def deploy(self, files: list[tuple[str, bytes]]) -> m.DeploymentResult:
        """Deploy BPMN models and forms together: all of them or, on any error, none."""
        if not files:
            raise InvalidRequestError("files: send at least one .bpmn or .form file")
        models: list[deployment.Parsed] = []
        forms: list[tuple[str, str, str, str]] = []
        for name, content in files:
            lowered = name.lower()
            if lowered.endswith(BPMN_SUFFIXES):
                models.append(deployment.parse_resource(name, content))
            elif lowered.endswith(FORM_SUFFIX):
                forms.append((name, *_parse_form(name, content)))
            else:
                raise InvalidRequestError(f"{name}: only .bpmn and .form files can be deployed")

        def work(uow: UnitOfWork) -> tuple[list[DeployedProcess], list[m.FormDeployment]]:
            deployed_forms = [self._deploy_form(uow, *form) for form in forms]
            return deployment.deploy_parsed(uow, models), deployed_forms

        processes, deployed_forms = self.runtime.transactions.run(work)
        return m.DeploymentResult(
            processes=[Deployment.of(p) for p in processes], forms=deployed_forms
        )

    def _deploy_form(
        self, uow: UnitOfWork, resource_name: str, form_id: str, source: str, content_hash: str
    ) -> m.FormDeployment:
        row = form_rows.latest(uow.conn, uow.tenant, form_id)
        created = row is None or row.content_hash != content_hash
        if created:
            row = form_rows.insert_version(
                uow.conn,
                tenant=uow.tenant,
                form_id=form_id,
                version=row.version + 1 if row is not None else 1,
                content_hash=content_hash,
                resource_name=resource_name,
                source=source,
                now=uow.now,
            )
        assert row is not None
        return m.FormDeployment(
            form_id=row.form_id,
            version=row.version,
            resource_name=row.resource_name,
            deployed_at=row.deployed_at,
            created=created,
        )

    @_reported
    def deployments(self) -> list[Deployment]:
        """Every deployed version of every process, newest first."""
        query = (
            sa.select(definitions)
            .where(definitions.c.tenant_id == self.runtime.tenant)
            .order_by(definitions.c.deployed_at.desc(), definitions.c.key.desc())
        )
        with self.database.read() as conn:
            rows = list(conn.execute(query))
        return [Deployment.of(DeployedProcess.from_row(row, created=False)) for row in rows]

    @_reported
    def process_definitions(
        self, process_id: str | None = None
    ) -> list[m.ProcessDefinitionSummary]:
        tenant = self.runtime.tenant
        query = sa.select(definitions).where(definitions.c.tenant_id == tenant)
        counts_query = (
            sa.select(instances.c.definition_key, instances.c.status, sa.func.count())
            .where(instances.c.tenant_id == tenant)
            .group_by(instances.c.definition_key, instances.c.status)
        )
        if process_id is not None:
            query = query.where(definitions.c.process_id == process_id)
            counts_query = counts_query.where(instances.c.process_id == process_id)
        query = query.order_by(definitions.c.process_id, definitions.c.version.desc())
        with self.database.read() as conn:
            rows = list(conn.execute(query))
            counts: dict[int, dict[str, int]] = {}
            for key, status, count in conn.execute(counts_query):
                counts.setdefault(key, {})[status] = int(count)
        summaries: dict[str, m.ProcessDefinitionSummary] = {}
        for row in rows:
            version = m.DefinitionVersion(
                version=row.version,
                name=row.name,
                resource_name=row.resource_name,
                deployed_at=row.deployed_at,
                instance_counts=_with_every_state(counts.get(row.key, {})),
            )
            summary = summaries.get(row.process_id)
            if summary is None:
                summaries[row.process_id] = m.ProcessDefinitionSummary(
                    process_id=row.process_id,
                    name=row.name,
                    latest_version=row.version,
                    versions=[version],
                    instance_counts=dict(version.instance_counts),
                )
            else:
                summary.versions.append(version)
                for state, count in version.instance_counts.items():
                    summary.instance_counts[state] += count
        if process_id is not None and not summaries:
            raise NotFoundError(f"no deployed process {process_id}")
        return list(summaries.values())

    @_reported
    def definition_source(self, process_id: str, version: int) -> str:
        with self.database.read() as conn:
            row = definition_rows.by_version(conn, self.runtime.tenant, process_id, version)
        if row is None:
            raise NotFoundError(f"no deployed process {process_id} version {version}")
        return str(row.source)

    # -- forms -----------------------------------------------------------------------------

    @_reported
    def form(self, form_id: str) -> tuple[int, dict[str, Any]]:
        """The newest version of a deployed form and its schema."""
        with self.database.read() as conn:
            row = form_rows.latest(conn, self.runtime.tenant, form_id)
        if row is None:
            raise NotFoundError(f"no deployed form {form_id}")
        return int(row.version), json.loads(row.source)

    @_reported
    def task_form(self, task: UserTask) -> m.TaskForm:
        """The form a task shows: embedded in its process (``camunda-forms:bpmn:<id>``) or a
        deployed form named by its form id (the newest version)."""
        key = task.form_key
        if not key:
            raise NotFoundError(f"user task {task.id} has no form")
        if key.startswith(EMBEDDED_FORM_PREFIX):
            form_id = key.removeprefix(EMBEDDED_FORM_PREFIX)
            schema = self._embedded_form(task, form_id)
            return m.TaskForm(
                task_id=task.id, form_key=key, form_id=form_id, version=None, schema=schema
            )
        version, schema = self.form(key)
        return m.TaskForm(
            task_id=task.id, form_key=key, form_id=key, version=version, schema=schema
        )

    def _embedded_form(self, task: UserTask, form_id: str) -> dict[str, Any]:
        instance = self.commands.instance(task.process_instance_id)
        source = self.definition_source(instance.process_id, instance.version)
        for process in parse_bpmn(source.encode(), source=instance.process_id):
            text = process.extras.get(f"form:{form_id}")
            if process.process_id == instance.process_id and text is not None:
                try:
                    schema = json.loads(text)
                except json.JSONDecodeError as error:
                    raise InvalidRequestError(f"form {form_id}: not valid JSON") from error
                if isinstance(schema, dict):
                    return schema
        raise NotFoundError(f"no form {form_id} in process {instance.process_id}")

    # -- user tasks as a user may see them ---------------------------------------------------

    @staticmethod
    def may_see(principal: Principal, task: UserTask) -> bool:
        """Tasks assigned to the caller, offered to the caller or to one of its groups; with
        the ``tasks:all`` permission every task."""
        return (
            principal.may("tasks:all")
            or task.assignee == principal.name
            or principal.name in task.candidate_users
            or any(group in task.candidate_groups for group in principal.groups)
        )

    def visible_task(self, principal: Principal, task_id: int) -> UserTask:
        task = self.commands.task(task_id)
        if not self.may_see(principal, task):
            raise NotFoundError(f"no user task {task_id}")  # do not reveal that it exists
        return task

    def visible_tasks(self, principal: Principal, query: TaskQuery, limit: int) -> list[UserTask]:
        if principal.may("tasks:all"):
            return self.commands.tasks(**query, limit=limit)
        # One query per way a task can reach the caller, merged by id.
        ways: list[tuple[str, str]] = [("assignee", principal.name)]
        ways.append(("candidate_user", principal.name))
        ways += [("candidate_group", group) for group in principal.groups]
        found: dict[int, UserTask] = {}
        for name, value in ways:
            if query.get(name) not in (None, value):
                continue  # the caller's own filter excludes this way
            for task in self.commands.tasks(**{**query, name: value}, limit=limit):
                found[task.id] = task
        return [found[key] for key in sorted(found)][:limit]

    # -- the event feed ----------------------------------------------------------------------

    @_reported
    def events_after(
        self, seq: int, *, instance_id: str | None = None, limit: int = 500
    ) -> list[m.Event]:
        query = (
            sa.select(history)
            .where(history.c.tenant_id == self.runtime.tenant, history.c.seq > seq)
            .order_by(history.c.seq)
            .limit(limit)
        )
        if instance_id is not None:
            query = query.where(history.c.instance_id == instance_id)
        with self.database.read() as conn:
            rows = list(conn.execute(query))
        return [
            m.Event(
                seq=row.seq,
                time=row.at,
                event=row.event,
                process_instance_id=row.instance_id,
                element_id=row.element_id,
                actor=row.actor,
                data=row.data,
            )
            for row in rows
        ]

    @_reported
    def last_event_seq(self) -> int:
        query = sa.select(sa.func.max(history.c.seq)).where(
            history.c.tenant_id == self.runtime.tenant
        )
        with self.database.read() as conn:
            return int(conn.execute(query).scalar() or 0)

    # -- jobs ----------------------------------------------------------------------------------

    @_reported
    def extend_job_lock(self, job_id: int, lock_duration: dt.timedelta) -> dt.datetime:
        """As the command layer's, but an unknown job is "not found", not a conflict."""
        with self.database.read() as conn:
            row = job_rows.by_key(conn, job_id)
        if row is None or row.tenant_id != self.runtime.tenant:
            raise NotFoundError(f"no job {job_id}")
        return self.commands.extend_job_lock(job_id, lock_duration)

    # -- waiting for work ----------------------------------------------------------------------

    @property
    def work_generation(self) -> int:
        """Moves whenever new work (jobs, timers) was committed, here or, on PostgreSQL, by
        another Stead process: waiting requests look again when it changes."""
        return self.runtime.wakeup.generation

    # -- readiness ---------------------------------------------------------------------------

    def readiness(self) -> m.Readiness:
        try:
            with self.database.read() as conn:
                versions = conn.execute(sa.text("SELECT version_num FROM alembic_version"))
                current = [str(v) for v in versions.scalars()]
        except sa.exc.SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            return m.Readiness(
                ready=False,
                database=f"unreachable: {reason}",
                schema_version=None,
                expected_schema_version=self.schema_head,
            )
        version = current[0] if len(current) == 1 else None
        return m.Readiness(
            ready=version == self.schema_head,
            database="reachable",
            schema_version=version,
            expected_schema_version=self.schema_head,
        )


def _with_every_state(counts: dict[str, int]) -> dict[str, int]:
    every = dict.fromkeys(("active", "completed", "terminated"), 0)
    return every | counts
