"""Deploy-time check of connector tasks against their contracts: a known connector's version
must exist and every required input must be mapped."""

from __future__ import annotations

from collections.abc import Iterable

from stead.connectors.registry import ConnectorRegistry
from stead.model.errors import Problem
from stead.model.graph import Element, ProcessDefinition, VariableMapping

__all__ = ["check_processes"]


def _split(job_type: str) -> tuple[str, int] | None:
    connector_id, _, version = job_type.rpartition(":")
    if not connector_id or not version.isdigit():
        return None
    return connector_id, int(version)


def _gives_a_value(mapping: VariableMapping) -> bool:
    # The modeler writes a field left empty as an input without source, read as null.
    return mapping.source.source.strip() not in ("", "=null")


def _mapped_inputs(element: Element) -> set[str]:
    # A target "authentication.type" maps (part of) the input "authentication".
    return {
        mapping.target.split(".")[0]
        for mapping in element.input_mappings
        if _gives_a_value(mapping)
    }


def _check(element: Element, registry: ConnectorRegistry) -> list[str]:
    if element.task is None or not element.task.job_type.is_static:
        return []
    job_type = element.task.job_type.source.strip()
    connector = registry.get(job_type)
    if connector is None:
        split = _split(job_type)
        if split is None:
            return []
        versions = registry.versions(split[0])
        if not versions:
            return []  # not a connector: a job for an external worker
        known = ", ".join(f"{split[0]}:{v}" for v in versions)
        return [f"connector {split[0]} has no version {split[1]} (known: {known})"]
    mapped = _mapped_inputs(element)
    return [
        f"connector {job_type} needs input {name!r} (a zeebe:input with target {name!r})"
        for name in connector.contract.required_inputs
        if name not in mapped
    ]


def check_processes(
    processes: Iterable[ProcessDefinition], registry: ConnectorRegistry
) -> list[Problem]:
    """Every problem of every connector task, each naming its element."""
    return [
        Problem(element.id, message)
        for process in processes
        for element in process.elements.values()
        for message in _check(element, registry)
    ]
