"""Shared by the connector tests: running a connector runner on a real runtime and waiting
for instances to settle."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import jsonschema

from stead.connectors.api import ConnectorCall, ConnectorContract, JsonObject
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.runner import ConnectorRunner
from stead.connectors.secrets import SecretResolver
from stead.runtime import Runtime
from stead.runtime.views import Instance

WAIT = 15.0  # seconds a test waits for an instance to settle


@contextmanager
def running(runner: ConnectorRunner) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        yield
    finally:
        stop.set()
        runner.runtime.wakeup.notify()
        thread.join(10)


def settle(runtime: Runtime, instance_id: str, done: Callable[[Instance], bool]) -> Instance:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        instance = runtime.get_instance(instance_id)
        if done(instance):
            return instance
        time.sleep(0.05)
    raise AssertionError(f"instance did not settle: {runtime.get_instance(instance_id)}")


def ended(instance: Instance) -> bool:
    return instance.state != "active"


def has_incident(instance: Instance) -> bool:
    return bool(instance.incidents)


def runner_for(runtime: Runtime, **options: object) -> ConnectorRunner:
    return ConnectorRunner(
        runtime,
        options.pop("registry", ConnectorRegistry.built_in()),  # type: ignore[arg-type]
        options.pop("secrets", SecretResolver(environ={})),  # type: ignore[arg-type]
        poll_interval=0.05,
        **options,  # type: ignore[arg-type]
    )


def deploy_and_start(
    runtime: Runtime, model: bytes, variables: JsonObject | None = None
) -> Instance:
    [deployed] = runtime.deploy_bytes("model.bpmn", model)
    return runtime.start(deployed.process_id, variables or {})


def call_with(
    contract: ConnectorContract,
    inputs: dict[str, Any],
    *,
    element_id: str = "task",
    key: str = "instance-1:7",
) -> ConnectorCall:
    """A call as the runner makes it: inputs checked against the contract first."""
    jsonschema.validate(inputs, contract.input_schema)
    return ConnectorCall(
        inputs=inputs,
        instance_id="instance-1",
        process_id="orders",
        element_id=element_id,
        job_id=1,
        attempt=1,
        retries=3,
        idempotency_key=key,
        deadline=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5),
    )
