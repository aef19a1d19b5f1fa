"""Forms for user tasks: checking and storing deployed form-js schemas, and finding the form a
task shows (embedded in its process or deployed on its own)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from stead.commands.definitions import definition_source
from stead.commands.resources import FormDeployment, TaskForm, UserTask
from stead.model import parse_bpmn
from stead.model.bpmn import EMBEDDED_FORM_PREFIX
from stead.runtime import Runtime
from stead.runtime.errors import InvalidRequestError, NotFoundError
from stead.runtime.unit_of_work import UnitOfWork
from stead.store import forms as form_rows

__all__ = ["FORM_SUFFIX", "ParsedForm", "deploy_form", "latest_form", "parse_form", "task_form"]

FORM_SUFFIX = ".form"
ParsedForm = tuple[str, str, str, str]  # resource name, form id, source text, content hash


def parse_form(resource_name: str, content: bytes) -> ParsedForm:
    """Check a form-js JSON schema; its content hash ignores key order and whitespace."""
    try:
        source = content.decode("utf-8")
        schema = json.loads(source)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidRequestError(f"{resource_name}: not a JSON form ({error})") from error
    form_id = schema.get("id") if isinstance(schema, dict) else None
    if not isinstance(form_id, str) or not form_id.strip() or len(form_id) > 255:
        raise InvalidRequestError(f'{resource_name}: a form needs a string "id"')
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":"))
    return resource_name, form_id, source, hashlib.sha256(canonical.encode()).hexdigest()


def deploy_form(uow: UnitOfWork, form: ParsedForm) -> FormDeployment:
    """A new version when the content changed; else the newest version, ``created`` False."""
    resource_name, form_id, source, content_hash = form
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
    return FormDeployment(
        form_id=row.form_id,
        version=row.version,
        resource_name=row.resource_name,
        deployed_at=row.deployed_at,
        created=created,
    )


def latest_form(runtime: Runtime, form_id: str) -> tuple[int, dict[str, Any]]:
    """The newest version of a deployed form and its schema."""
    with runtime.database.read() as conn:
        row = form_rows.latest(conn, runtime.tenant, form_id)
    if row is None:
        raise NotFoundError(f"no deployed form {form_id}")
    return int(row.version), json.loads(row.source)


def task_form(runtime: Runtime, task: UserTask) -> TaskForm:
    """The form a task shows: embedded in its process (``camunda-forms:bpmn:<id>``) or a
    deployed form named by its form id (the newest version)."""
    key = task.form_key
    if not key:
        raise NotFoundError(f"user task {task.id} has no form")
    if key.startswith(EMBEDDED_FORM_PREFIX):
        form_id = key.removeprefix(EMBEDDED_FORM_PREFIX)
        schema = _embedded_form(runtime, task, form_id)
        return TaskForm(task_id=task.id, form_key=key, form_id=form_id, version=None, schema=schema)
    version, schema = latest_form(runtime, key)
    return TaskForm(task_id=task.id, form_key=key, form_id=key, version=version, schema=schema)


def _embedded_form(runtime: Runtime, task: UserTask, form_id: str) -> dict[str, Any]:
    instance = runtime.get_instance(task.process_instance_id)
    source = definition_source(runtime, instance.process_id, instance.version)
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
