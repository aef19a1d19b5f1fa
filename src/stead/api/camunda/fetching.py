"""Fetch and lock: lease due jobs of the requested topics to a worker and show them as Camunda
external tasks; when none is due, long-poll until one is or the request's timeout passes.

Waiting costs no database work while nothing happens: the fetch sleeps on the runtime's wake-up
signal (new jobs, retries made due, released locks in this process; on PostgreSQL also other
processes' via LISTEN/NOTIFY) and looks again at a modest interval for jobs that became due
without a signal (a retry timeout running out, another process on SQLite).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from stead.api.camunda.bodies import FetchAndLockBody, Topic
from stead.api.camunda.errors import bad_request
from stead.api.camunda.job_rows import JobRow, job_rows
from stead.api.camunda.variables import camunda_time, typed_variables
from stead.api.camunda.wakeup_bridge import bridge_for
from stead.api.settings import ApiSettings
from stead.commands import Commands
from stead.commands import resources as r
from stead.store import DEFAULT_TENANT

__all__ = ["RECHECK_SECONDS", "external_task", "fetch_and_lock"]

RECHECK_SECONDS = 1.0


def _check_topics(body: FetchAndLockBody) -> None:
    names = [topic.topic_name for topic in body.topics]
    if len(set(names)) != len(names):
        raise bad_request("topics: a topic name appears more than once")
    for topic in body.topics:
        unsupported = topic.unsupported()
        if unsupported:
            raise bad_request(
                f"topics.{topic.topic_name}: Stead cannot filter external tasks by "
                f"{', '.join(unsupported)}; fetch by topic name only"
            )


def _lock(commands: Commands, body: FetchAndLockBody) -> list[dict[str, Any]]:
    """One pass over the topics, in the order given, until ``maxTasks`` jobs are locked."""
    locked: list[tuple[Topic, r.Job]] = []
    for topic in body.topics:
        wanted = body.max_tasks - len(locked)
        if wanted <= 0:
            break
        jobs = commands.activate_jobs(
            topic.topic_name,
            worker=body.worker_id,
            max_jobs=wanted,
            lock_duration=dt.timedelta(milliseconds=topic.lock_duration),
        )
        locked.extend((topic, job) for job in jobs)
    if not locked:
        return []
    rows = job_rows(commands.runtime, (job.id for _, job in locked))
    return [_locked_task(job, topic, rows.get(job.id)) for topic, job in locked]


def _locked_task(job: r.Job, topic: Topic, row: JobRow | None) -> dict[str, Any]:
    task = external_task(
        job_id=job.id,
        topic=job.type,
        worker=job.worker,
        lock_expires=job.deadline,
        retries=job.retries,
        instance_id=job.process_instance_id,
        process_id=job.process_id,
        element_id=job.element_id,
        row=row,
    )
    task["variables"] = typed_variables(job.variables, topic.variables)
    task["extensionProperties"] = dict(job.custom_headers)
    return task


def external_task(
    *,
    job_id: int,
    topic: str,
    worker: str | None,
    lock_expires: dt.datetime | None,
    retries: int,
    instance_id: str,
    process_id: str,
    element_id: str,
    row: JobRow | None,
) -> dict[str, Any]:
    """The fields Camunda shows for an external task."""
    element_instance = row.element_instance_key if row else None
    tenant = row.tenant_id if row else DEFAULT_TENANT
    # A failure's message and details are kept as one text, the details after a line break.
    last_error = row.last_error if row else None
    message, _, details = (last_error or "").partition("\n")
    return {
        "id": str(job_id),
        "topicName": topic,
        "workerId": worker,
        "lockExpirationTime": camunda_time(lock_expires),
        "createTime": camunda_time(row.created_at) if row else None,
        "retries": retries,
        "errorMessage": message if last_error is not None else None,
        "errorDetails": details or None,
        "suspended": False,
        "processInstanceId": instance_id,
        "processDefinitionId": row.definition_id if row else None,
        "processDefinitionKey": process_id,
        "processDefinitionVersionTag": None,
        "activityId": element_id,
        "activityInstanceId": f"{element_id}:{element_instance}" if row else None,
        "executionId": str(element_instance) if row else None,
        "businessKey": row.business_key if row else None,
        "priority": 0,
        "tenantId": None if tenant == DEFAULT_TENANT else tenant,
    }


async def fetch_and_lock(
    commands: Commands,
    body: FetchAndLockBody,
    *,
    settings: ApiSettings,
    gone: Callable[[], Awaitable[bool]] | None = None,
) -> list[dict[str, Any]]:
    """Lock and return up to ``maxTasks`` tasks; wait up to ``asyncResponseTimeout`` ms (at
    most the server's long-poll limit, and not past its stop) for the first one when none is
    available. An empty list tells the worker to ask again. A worker that hung up while
    waiting (``gone``) gets nothing locked for it: the tasks would stay locked to nobody."""
    _check_topics(body)
    if body.max_tasks == 0 or not body.topics:
        return []
    timeout = min((body.async_response_timeout or 0) / 1000, settings.max_long_poll.total_seconds())
    stopping = settings.stopping
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    bridge = bridge_for(commands.runtime) if timeout > 0 else None
    while True:
        # Read the generation before looking, so work that arrives meanwhile is not missed.
        seen = bridge.generation if bridge else 0
        tasks = await run_in_threadpool(_lock, commands, body)
        remaining = deadline - loop.time()
        if tasks or bridge is None or remaining <= 0 or stopping.is_set():
            return tasks
        await bridge.wait(seen, min(RECHECK_SECONDS, remaining))
        if gone is not None and await gone():
            return []
