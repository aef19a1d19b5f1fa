"""Deployed process definitions as users browse them: every version with its instance counts
by state, every deployed version newest first, and the BPMN source of one version."""

from __future__ import annotations

import sqlalchemy as sa

from stead.commands.resources import DefinitionVersion, Deployment, ProcessDefinitionSummary
from stead.runtime import Runtime
from stead.runtime.errors import NotFoundError
from stead.runtime.views import DeployedProcess
from stead.store import definitions as definition_rows
from stead.store.schema import definitions, instances

__all__ = ["INSTANCE_STATES", "definition_source", "definition_summaries", "deployed_versions"]

INSTANCE_STATES = ("active", "completed", "terminated")


def deployed_versions(runtime: Runtime) -> list[Deployment]:
    """Every deployed version of every process, newest first."""
    query = (
        sa.select(definitions)
        .where(definitions.c.tenant_id == runtime.tenant)
        .order_by(definitions.c.deployed_at.desc(), definitions.c.key.desc())
    )
    with runtime.database.read() as conn:
        rows = list(conn.execute(query))
    return [Deployment.of(DeployedProcess.from_row(row, created=False)) for row in rows]


def definition_summaries(
    runtime: Runtime, process_id: str | None = None
) -> list[ProcessDefinitionSummary]:
    """Every deployed process (or the one named) with its versions, newest first, and how many
    instances each version has in each state."""
    tenant = runtime.tenant
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
    with runtime.database.read() as conn:
        rows = list(conn.execute(query))
        counts: dict[int, dict[str, int]] = {}
        for key, status, count in conn.execute(counts_query):
            counts.setdefault(key, {})[status] = int(count)
    summaries: dict[str, ProcessDefinitionSummary] = {}
    for row in rows:
        version = DefinitionVersion(
            version=row.version,
            name=row.name,
            resource_name=row.resource_name,
            deployed_at=row.deployed_at,
            instance_counts=dict.fromkeys(INSTANCE_STATES, 0) | counts.get(row.key, {}),
        )
        summary = summaries.get(row.process_id)
        if summary is None:
            summaries[row.process_id] = ProcessDefinitionSummary(
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


def definition_source(runtime: Runtime, process_id: str, version: int | None = None) -> str:
    """The BPMN XML of one version (default: the newest), as it was deployed."""
    with runtime.database.read() as conn:
        if version is None:
            row = definition_rows.latest(conn, runtime.tenant, process_id)
        else:
            row = definition_rows.by_version(conn, runtime.tenant, process_id, version)
    if row is None:
        which = "" if version is None else f" version {version}"
        raise NotFoundError(f"no deployed process {process_id}{which}")
    return str(row.source)
