"""Stead's runtime: the unit of work around the pure engine, the façade every surface calls,
job leasing and retries, timers, in-process workers and the ``serve`` loop."""

from stead.runtime.errors import ConflictError, InvalidRequestError, NotFoundError, SteadError
from stead.runtime.runtime import Runtime
from stead.runtime.serve import serve
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
    WaitingToken,
)
from stead.runtime.worker import BpmnError, Handler, Worker

__all__ = [
    "ActivatedJob",
    "BpmnError",
    "CompletedBatch",
    "ConflictError",
    "DeployedProcess",
    "Handler",
    "HistoryEntry",
    "Incident",
    "Instance",
    "InstancePage",
    "InvalidRequestError",
    "Job",
    "NotFoundError",
    "PublishResult",
    "Runtime",
    "SteadError",
    "UserTask",
    "WaitingSummary",
    "WaitingToken",
    "Worker",
    "serve",
]
