"""In-process workers: handlers registered per job type, run outside any transaction.

    worker = Worker(runtime, name="billing")

    @worker.handler("charge-card")
    def charge(job: ActivatedJob) -> dict[str, Any]:
        if job.variables["amount"] > 1000:
            raise BpmnError("too-large", "needs approval")
        return {"charged": True}

A worker may be created without a runtime (in a file of handlers) and attached later; ``serve``
attaches the workers it is given.

A handler returns the variables to complete the job with (or None), raises :class:`BpmnError`
to throw a BPMN error, or raises anything else to fail the attempt (retried per the job's
retry policy; an incident once retries run out).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from stead.runtime.errors import SteadError
from stead.runtime.runtime import Runtime
from stead.runtime.views import ActivatedJob

__all__ = ["BpmnError", "Handler", "Worker"]

Handler = Callable[[ActivatedJob], dict[str, Any] | None]
_log = logging.getLogger("stead.runtime.worker")
_BATCHES_PER_TYPE = 20


class BpmnError(Exception):
    """Raised by a handler: a business error the process model can catch by ``code``."""

    def __init__(self, code: str, message: str = "", variables: dict[str, Any] | None = None):
        super().__init__(message or code)
        self.code = code
        self.message = message
        self.variables = dict(variables or {})


def _variables_of(result: object) -> dict[str, Any]:
    """A handler's result as job variables: None or a dict that JSON can hold; anything else
    fails the attempt with a message saying why."""
    if result is None:
        return {}
    if not isinstance(result, dict):
        raise TypeError(f"the handler returned {type(result).__name__}, not a dict of variables")
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TypeError(f"the handler's result is not JSON: {error}") from error
    return result


class Worker:
    """Runs registered handlers for jobs of their types until told to stop."""

    def __init__(
        self,
        runtime: Runtime | None = None,
        *,
        name: str | None = None,
        max_jobs: int = 10,
        lock_duration: dt.timedelta = dt.timedelta(minutes=5),
        poll_interval: float = 1.0,
        max_commit_delay: float = 0.05,
    ) -> None:
        self._runtime = runtime
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.max_jobs = max_jobs
        self.lock_duration = lock_duration
        self.poll_interval = poll_interval
        self.max_commit_delay = max_commit_delay  # seconds a result may wait for a group commit
        self.handlers: dict[str, Handler] = {}

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the worker is not attached to a runtime: call attach() first")
        return self._runtime

    @property
    def attached(self) -> bool:
        return self._runtime is not None

    def attach(self, runtime: Runtime) -> None:
        """Bind a worker defined without a runtime (say, in a handlers file loaded by the
        ``stead worker run`` command) to the runtime it works for."""
        self._runtime = runtime

    def handler(self, job_type: str) -> Callable[[Handler], Handler]:
        """Decorator registering a function as the handler of ``job_type``."""

        def register(function: Handler) -> Handler:
            self.register(job_type, function)
            return function

        return register

    def register(self, job_type: str, function: Handler) -> None:
        if job_type in self.handlers:
            raise ValueError(f"a handler for job type {job_type!r} is already registered")
        self.handlers[job_type] = function

    def run_once(self, stop: threading.Event | None = None) -> int:
        """Activate and handle batches of every registered type; returns how many jobs ran.
        Once ``stop`` is set, the jobs already leased are finished and no more are taken."""
        handled = 0
        for job_type, function in self.handlers.items():
            if stop is not None and stop.is_set():
                break
            batch = self.runtime.activate_jobs(
                job_type, worker=self.name, max_jobs=self.max_jobs, lock_duration=self.lock_duration
            )
            # A batch's completions lease the next batch in the same transaction; a
            # cap per type keeps one busy type from starving the others.
            for _ in range(_BATCHES_PER_TYPE):
                if not batch:
                    break
                handled += len(batch)
                if stop is not None and stop.is_set():
                    for job in batch:
                        self._handle(job, function)
                    batch = []
                else:
                    batch = self._handle_batch(job_type, batch, function)
            else:
                handled += len(batch)
                for job in batch:
                    self._handle(job, function)
        return handled

    def run(self, stop: threading.Event) -> None:
        """Handle jobs until ``stop`` is set; idle, sleep until new work is signalled."""
        while not stop.is_set():
            seen = self.runtime.wakeup.generation
            try:
                handled = self.run_once(stop)
            except Exception:
                # The database may be briefly unavailable; keep the worker alive.
                _log.exception("activating jobs failed")
                handled = 0
            if handled == 0 and not stop.is_set():
                self.runtime.wakeup.wait(seen, self.poll_interval)

    def _handle_batch(
        self, job_type: str, batch: list[ActivatedJob], function: Handler
    ) -> list[ActivatedJob]:
        """Handle a batch, committing the completions together (group commit: one sync to
        disk for many jobs); returns the next batch, leased in the last commit. A result
        waits at most ``max_commit_delay`` for the others before it is committed."""
        pending: list[tuple[ActivatedJob, dict[str, Any]]] = []
        waiting_since = 0.0
        for job in batch:
            outcome = self._outcome(job, function)
            if not isinstance(outcome, dict):
                self._report(outcome, job)
                continue
            if not pending:
                waiting_since = time.monotonic()
            pending.append((job, outcome))
            if time.monotonic() - waiting_since >= self.max_commit_delay:
                self._complete(pending, job_type=None)
                pending = []
        if not pending:
            return []
        return self._complete(pending, job_type=job_type)

    def _complete(
        self, pending: list[tuple[ActivatedJob, dict[str, Any]]], *, job_type: str | None
    ) -> list[ActivatedJob]:
        try:
            done = self.runtime.complete_jobs(
                [(job.id, variables) for job, variables in pending],
                worker=self.name,
                then_activate=job_type,
                max_jobs=self.max_jobs,
                lock_duration=self.lock_duration,
            )
        except Exception:
            # The shared transaction failed (the database went away, say): each completion on
            # its own, so one that can still be written is.
            _log.warning("completing %d jobs together failed; one by one", len(pending))
            for job, variables in pending:
                self._report(
                    functools.partial(
                        self.runtime.complete_job, job.id, variables, worker=self.name
                    ),
                    job,
                )
            return []
        for job, _ in pending:
            refusal = done.refused.get(job.id)
            if refusal is not None:
                # Cancelled or completed elsewhere meanwhile (its lease had expired).
                _log.warning("job %s of type %s: %s", job.id, job.type, refusal)
        return done.activated

    def _handle(self, job: ActivatedJob, function: Handler) -> None:
        outcome = self._outcome(job, function)
        if isinstance(outcome, dict):
            outcome = functools.partial(
                self.runtime.complete_job, job.id, outcome, worker=self.name
            )
        self._report(outcome, job)

    def _outcome(self, job: ActivatedJob, function: Handler) -> dict[str, Any] | Callable[[], None]:
        """Run the handler: the variables to complete the job with, or how to report the BPMN
        error or the failed attempt."""
        try:
            return _variables_of(function(job))
        except BpmnError as error:
            return functools.partial(
                self.runtime.throw_error,
                job.id,
                error.code,
                error_message=error.message,
                variables=error.variables,
                worker=self.name,
            )
        except Exception as error:
            return functools.partial(
                self.runtime.fail_job,
                job.id,
                error_message=f"{type(error).__name__}: {error}",
                worker=self.name,
            )

    def _report(self, action: Callable[[], None], job: ActivatedJob) -> None:
        try:
            action()
        except SteadError as error:
            # The job was cancelled or completed elsewhere meanwhile (its lease had expired).
            _log.warning("job %s of type %s: %s", job.id, job.type, error)
        except Exception:
            # E.g. the database went away: the rest of the batch still gets its turn, and this
            # job runs again once its lease expires.
            _log.exception("job %s of type %s: reporting its outcome failed", job.id, job.type)
