"""Deploying BPMN files: parse and validate, store a new version only when the content
changed, and point message and timer start events at the newest version."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stead.model import ModelError, parse_bpmn
from stead.model.graph import EventType, Expression, ProcessDefinition
from stead.runtime.errors import InvalidRequestError
from stead.runtime.timer_ops import start_timer_schedule
from stead.runtime.unit_of_work import UnitOfWork
from stead.runtime.views import DeployedProcess
from stead.store import definitions

__all__ = ["collect_files", "deploy_parsed", "parse_resource"]

Parsed = tuple[str, str, list[ProcessDefinition]]  # resource name, source text, processes


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files named, with folders expanded to the ``.bpmn`` files inside them."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.bpmn") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidRequestError(f"{path}: no such file or folder")
    return found


def parse_resource(resource_name: str, content: bytes) -> Parsed:
    """Parse one BPMN document (raises :class:`stead.model.ModelError` when it is invalid)."""
    try:
        source = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidRequestError(f"{resource_name}: not UTF-8 text ({error})") from error
    processes = parse_bpmn(content, source=resource_name)
    _check_connectors(resource_name, processes)
    return resource_name, source, processes


def _check_connectors(resource_name: str, processes: list[ProcessDefinition]) -> None:
    """A connector task must name a known version and map its required inputs."""
    # Imported here: the connectors package builds on the runtime, not the other way round.
    from stead.connectors.contracts_check import check_processes
    from stead.connectors.registry import ConnectorRegistry

    problems = check_processes(processes, ConnectorRegistry.default())
    if problems:
        raise ModelError(problems, source=resource_name)


def _static(expression: Expression) -> Any:
    if expression.compiled is None:
        return expression.source
    return expression.compiled.evaluate({}).value


def _check_webhooks(uow: UnitOfWork, parsed: list[Parsed]) -> None:
    """Webhook settings must work, and each webhook path must belong to one process."""
    # Imported here: the connectors package builds on the runtime, not the other way round.
    from stead.connectors.inbound_table import check_deployment

    deploying = [(name, process) for name, _, processes in parsed for process in processes]
    check_deployment(uow.conn, uow.tenant, uow.definitions.get, deploying)


def deploy_parsed(uow: UnitOfWork, parsed: list[Parsed]) -> list[DeployedProcess]:
    _check_webhooks(uow, parsed)
    result: list[DeployedProcess] = []
    for resource_name, source, processes in parsed:
        for process in processes:
            latest = definitions.latest(uow.conn, uow.tenant, process.process_id)
            # (Versions deployed before per-process hashes hold the whole document's hash.)
            unchanged = (process.content_hash, process.document_hash)
            if latest is not None and latest.content_hash in unchanged:
                result.append(DeployedProcess.from_row(latest, created=False))
                continue
            key = definitions.insert_version(
                uow.conn,
                tenant=uow.tenant,
                process_id=process.process_id,
                version=(latest.version + 1) if latest is not None else 1,
                name=process.name,
                content_hash=process.content_hash,
                resource_name=resource_name,
                source=source,
                now=uow.now,
            )
            uow.definitions.put(key, process)
            _open_start_events(uow, process, key)
            row = definitions.by_key(uow.conn, key)
            assert row is not None
            result.append(DeployedProcess.from_row(row, created=True))
    return result


def _open_start_events(uow: UnitOfWork, process: ProcessDefinition, key: int) -> None:
    message_starts: list[tuple[str, str]] = []
    timer_starts: list[tuple[str, dict[str, Any], Any]] = []
    for element_id in process.scopes[process.process_id].start_events:
        element = process.element(element_id)
        if element.event_type == EventType.MESSAGE and element.message is not None:
            message_starts.append((element_id, str(_static(element.message.name))))
        elif element.event_type == EventType.TIMER and element.timer is not None:
            value = _static(element.timer.value)
            if not isinstance(value, str):
                raise InvalidRequestError(
                    f"{element_id}: a timer start event needs an ISO 8601 or cron text, "
                    f"got {value!r}"
                )
            first = start_timer_schedule(element.timer.kind, value, uow.now)
            if first is not None:
                schedule, due = first
                timer_starts.append((element_id, schedule, due))
                uow.created_work = True
    definitions.replace_start_events(
        uow.conn,
        tenant=uow.tenant,
        process_id=process.process_id,
        definition_key=key,
        message_starts=message_starts,
        timer_starts=timer_starts,
        now=uow.now,
    )
