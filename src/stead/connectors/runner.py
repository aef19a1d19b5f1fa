"""Stead's own job executor for connectors: activates jobs of every registered connector type,
runs each call in a small thread pool, and reports the classified outcome to the runtime."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jsonschema

from stead.connectors.api import (
    AwaitingOutcome,
    BusinessError,
    Connector,
    ConnectorCall,
    ConnectorError,
    InputError,
    JsonObject,
    PermanentError,
    TransientError,
)
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.results import ThrownError, error_outcome, result_variables
from stead.connectors.secrets import SecretResolver, redact, substitute
from stead.runtime import Runtime
from stead.runtime.errors import SteadError
from stead.runtime.views import ActivatedJob

__all__ = ["ConnectorRunner", "idempotency_key"]

_log = logging.getLogger("stead.connectors.runner")


def idempotency_key(job: ActivatedJob) -> str:
    """The same for every attempt of one step of one instance, different for the next step."""
    return f"{job.instance_id}:{job.element_instance_key}"


def _field(error: jsonschema.ValidationError) -> str:
    """The dotted path of the value a schema error is about (for "required": the missing one)."""
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, dict):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [p for p in required if p not in error.instance]
        if missing:
            path.append(str(missing[0]))
    return ".".join(path) or "(the whole value)"


def schema_problem(schema: JsonObject, value: Any) -> tuple[str, str] | None:
    """The first (field, reason) by which ``value`` breaks ``schema``, or None."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(value), key=lambda e: (len(e.absolute_path), e.message))
    if not errors:
        return None
    # "allOf"/"if" errors wrap the real one; its deepest context is the useful message.
    error = errors[0]
    while error.context:
        error = sorted(error.context, key=lambda e: len(e.absolute_path))[0]
    return _field(error), error.message


def _bound(registry: ConnectorRegistry, runtime: Runtime) -> ConnectorRegistry:
    """The registry with each connector that needs the runtime (it has ``bind(runtime)``, like
    the callback connector, whose tokens live in the database) bound to this one."""
    connectors: list[Connector] = []
    for job_type in registry.job_types():
        connector = registry.get(job_type)
        assert connector is not None
        bind = getattr(connector, "bind", None)
        connectors.append(bind(runtime) if callable(bind) else connector)
    return ConnectorRegistry(connectors, registry.problems)


class _Outcome:
    """How one attempt ended, ready to report (already redacted)."""

    def __init__(self, report: Callable[[], None], summary: str) -> None:
        self.report = report
        self.summary = summary


class ConnectorRunner:
    """Runs connector jobs until told to stop; ``threads`` calls at a time."""

    def __init__(
        self,
        runtime: Runtime,
        registry: ConnectorRegistry | None = None,
        secrets: SecretResolver | None = None,
        *,
        name: str | None = None,
        threads: int = 8,
        lock_duration: dt.timedelta = dt.timedelta(minutes=5),
        poll_interval: float = 1.0,
    ) -> None:
        self.runtime = runtime
        self.registry = _bound(registry or ConnectorRegistry.default(), runtime)
        self.secrets = secrets if secrets is not None else SecretResolver()
        self.name = name or f"connectors@{socket.gethostname()}:{os.getpid()}"
        self.threads = threads
        self.lock_duration = lock_duration
        self.poll_interval = poll_interval
        self._busy = 0
        self._lock = threading.Lock()

    # -- the loop ----------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Activate and run connector jobs until ``stop`` is set."""
        with ThreadPoolExecutor(self.threads, thread_name_prefix="stead-connector") as pool:
            while not stop.is_set():
                seen = self.runtime.wakeup.generation
                try:
                    started = self._activate(pool.submit)
                except Exception:
                    # The database may be briefly unavailable; keep the loop alive.
                    _log.exception("activating connector jobs failed")
                    started = 0
                if started == 0 and not stop.is_set():
                    self.runtime.wakeup.wait(seen, self.poll_interval)
        # Every call has finished (the pool waited for them): release pooled connections.
        self.registry.close()

    def run_once(self) -> int:
        """Activate one batch and run it in this thread; returns how many jobs ran."""
        return self._activate(lambda function, job, connector: function(job, connector))

    def _activate(self, submit: Callable[..., Any]) -> int:
        started = 0
        for job_type in self.registry.job_types():
            with self._lock:
                free = self.threads - self._busy
            if free <= 0:
                break
            connector = self.registry.get(job_type)
            assert connector is not None
            batch = self.runtime.activate_jobs(
                job_type, worker=self.name, max_jobs=free, lock_duration=self.lock_duration
            )
            for job in batch:
                with self._lock:
                    self._busy += 1
                submit(self._run_job, job, connector)
            started += len(batch)
        return started

    def _run_job(self, job: ActivatedJob, connector: Connector) -> None:
        try:
            self.handle(job, connector)
        except Exception:
            _log.exception("job %s of type %s: running the connector failed", job.id, job.type)
        finally:
            with self._lock:
                was_full = self._busy >= self.threads
                self._busy -= 1
            if was_full:  # the loop may be waiting for a free thread
                self.runtime.wakeup.notify()

    # -- one job -----------------------------------------------------------------------------

    def handle(self, job: ActivatedJob, connector: Connector) -> None:
        """Run one activated job and report its outcome."""
        used: frozenset[str] = frozenset()
        contract = connector.contract
        output: JsonObject | None = None
        try:
            declared = contract.input_schema.get("properties", {})
            raw = {name: job.variables[name] for name in declared if name in job.variables}
            inputs, used = substitute(raw, self.secrets)
            problem = schema_problem(contract.input_schema, inputs)
            if problem is not None:
                raise InputError(*problem)
            call = ConnectorCall(
                inputs=inputs,
                instance_id=job.instance_id,
                process_id=job.process_id,
                element_id=job.element_id,
                job_id=job.id,
                attempt=job.attempt,
                retries=job.retries,
                idempotency_key=idempotency_key(job),
                deadline=job.deadline,
                headers=dict(job.headers),
            )
            output = redact(connector.run(call), used)
            problem = schema_problem(contract.output_schema, output)
            if problem is not None:
                raise PermanentError(
                    f"{contract.job_type} gave an output that breaks its contract: "
                    f"output {problem[0]!r}: {problem[1]}"
                )
            thrown = error_outcome(job.headers, output)
            variables = None if thrown is not None else result_variables(job.headers, output)
        except AwaitingOutcome as waiting:
            self._await(job, waiting.until)
            return
        except ConnectorError as error:
            outcome = self._failed(job, error, used)
        except Exception as error:
            # A bug in a connector: retried like any failed attempt, and logged with its trace
            # (redacted: a secret may sit in a local variable's repr or the message).
            trace = "".join(traceback.format_exception(error))
            _log.error(
                "job %s: connector %s raised\n%s", job.id, contract.job_type, redact(trace, used)
            )
            message = redact(f"{contract.job_type} failed: {type(error).__name__}: {error}", used)
            outcome = self._fail(job, message, retries=None)
        else:
            if thrown is not None:
                outcome = self._throw(job, thrown, used)
            else:
                assert variables is not None
                outcome = _Outcome(
                    lambda: self.runtime.complete_job(job.id, variables, worker=self.name),
                    "completed",
                )
        self._report(job, outcome)

    def _failed(self, job: ActivatedJob, error: ConnectorError, used: Iterable[str]) -> _Outcome:
        message = redact(error.message, used)
        if isinstance(error, BusinessError):
            business = ThrownError(error.code, message, redact(error.variables, used))
            return self._throw(job, business, ())
        # The model may turn a failure into a BPMN error: errorExpression sees what the other
        # system answered (if it did) and the error.
        kind = "transient" if isinstance(error, TransientError) else "permanent"
        context: JsonObject = dict(redact(error.output or {}, used))
        context["error"] = {"type": kind, "message": message}
        try:
            thrown = error_outcome(job.headers, context)
        except PermanentError as broken:
            return self._fail(job, redact(broken.message, used), retries=0)
        if thrown is not None:
            return self._throw(job, thrown, used)
        if isinstance(error, TransientError):
            minimum = None
            if error.retry_after is not None:
                minimum = dt.timedelta(seconds=error.retry_after)
            return self._fail(job, message, retries=None, min_backoff=minimum)
        return self._fail(job, message, retries=0)

    def _fail(
        self,
        job: ActivatedJob,
        message: str,
        *,
        retries: int | None,
        min_backoff: dt.timedelta | None = None,
    ) -> _Outcome:
        def report() -> None:
            self.runtime.fail_job(
                job.id,
                error_message=message,
                retries=retries,
                min_backoff=min_backoff,
                worker=self.name,
            )

        return _Outcome(report, f"failed: {message}")

    def _throw(self, job: ActivatedJob, thrown: ThrownError, used: Iterable[str]) -> _Outcome:
        message = redact(thrown.message, used)
        variables = redact(thrown.variables, used)

        def report() -> None:
            self.runtime.throw_error(
                job.id, thrown.code, error_message=message, variables=variables, worker=self.name
            )

        return _Outcome(report, f"threw {thrown.code}")

    def _await(self, job: ActivatedJob, until: dt.datetime) -> None:
        remaining = until - self.runtime.clock()
        try:
            self.runtime.extend_job_lock(job.id, max(remaining, dt.timedelta(0)))
        except SteadError as error:
            _log.warning("job %s: keeping it waiting failed: %s", job.id, error)

    def _report(self, job: ActivatedJob, outcome: _Outcome) -> None:
        _log.debug("job %s of type %s %s", job.id, job.type, outcome.summary)
        try:
            outcome.report()
        except SteadError as error:
            # Cancelled or completed elsewhere meanwhile (the lease had expired).
            _log.warning("job %s of type %s: %s", job.id, job.type, error)
        except Exception:
            _log.exception("job %s of type %s: reporting its outcome failed", job.id, job.type)
