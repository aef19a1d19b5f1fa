"""The operations the ``stead`` command uses, as one interface with two implementations:
:class:`~stead.commands.Commands` on a database and
:class:`~stead.commands.remote.RemoteCommands` over a running server's HTTP API. Both return
the same resources and fail with the same errors, so the CLI prints the same either way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from stead.commands import resources as r

__all__ = ["CommandInterface"]


class CommandInterface(Protocol):
    def close(self) -> None: ...

    # -- definitions -------------------------------------------------------------------------

    def deploy_files(self, files: Sequence[tuple[str, bytes]]) -> r.DeploymentResult: ...

    def process_definitions(
        self, process_id: str | None = None
    ) -> list[r.ProcessDefinitionSummary]: ...

    def definition_source(self, process_id: str, version: int | None = None) -> str: ...

    # -- instances ---------------------------------------------------------------------------

    def start(
        self,
        process_id: str,
        variables: dict[str, Any] | None = None,
        *,
        business_key: str | None = None,
        idempotency_key: str | None = None,
        version: int | None = None,
    ) -> r.Instance: ...

    def instance(self, instance_id: str) -> r.Instance: ...

    def instances(
        self,
        *,
        process_id: str | None = None,
        state: str | None = None,
        business_key: str | None = None,
        started_after: dt.datetime | None = None,
        started_before: dt.datetime | None = None,
        ended_after: dt.datetime | None = None,
        ended_before: dt.datetime | None = None,
        has_incident: bool | None = None,
        variable_equals: tuple[str, Any] | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> r.InstancePage: ...

    def history(self, instance_id: str) -> list[r.HistoryEntry]: ...

    def set_variables(self, instance_id: str, variables: dict[str, Any]) -> r.Instance: ...

    def cancel(self, instance_id: str) -> r.Instance: ...

    # -- messages ----------------------------------------------------------------------------

    def publish_message(
        self,
        name: str,
        *,
        correlation_key: str | None = None,
        variables: dict[str, Any] | None = None,
        message_id: str | None = None,
        ttl: dt.timedelta = dt.timedelta(0),
    ) -> r.PublishResult: ...

    # -- user tasks --------------------------------------------------------------------------

    def tasks(
        self,
        *,
        assignee: str | None = None,
        candidate_group: str | None = None,
        candidate_user: str | None = None,
        process_id: str | None = None,
        instance_id: str | None = None,
        state: str | None = "created",
        limit: int = 100,
    ) -> list[r.UserTask]: ...

    def task(self, task_id: int) -> r.UserTask: ...

    def task_form(self, task: r.UserTask) -> r.TaskForm: ...

    def claim_task(self, task_id: int, user: str) -> r.UserTask: ...

    def unclaim_task(self, task_id: int) -> r.UserTask: ...

    def assign_task(self, task_id: int, assignee: str | None) -> r.UserTask: ...

    def complete_task(
        self, task_id: int, variables: dict[str, Any] | None = None, *, actor: str = "user"
    ) -> r.UserTask: ...

    # -- incidents ---------------------------------------------------------------------------

    def incidents(
        self, *, instance_id: str | None = None, state: str | None = "open"
    ) -> list[r.Incident]: ...

    def resolve_incident(self, incident_id: int, *, retries: int | None = None) -> r.Incident: ...
