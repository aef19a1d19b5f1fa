"""The CLI's operations over a running ``stead serve``: each call is one request to the HTTP
API, each answer becomes the same resource :class:`~stead.commands.Commands` returns, and
each problem+json answer becomes the same error it would raise on a database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError

from stead.commands import resources as r
from stead.commands.errors import (
    AccessDeniedError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    ServerFailedError,
    ServerUnreachableError,
    SteadError,
    StoreUnavailableError,
)

__all__ = ["RemoteCommands"]

T = TypeVar("T")
Query = dict[str, str | int | bool]
_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_BY_STATUS: dict[int, type[SteadError]] = {
    400: InvalidRequestError,
    404: NotFoundError,
    409: ConflictError,
    413: InvalidRequestError,
    415: InvalidRequestError,
    422: InvalidRequestError,
    503: StoreUnavailableError,
}


def _error(response: httpx.Response, server: str) -> SteadError:
    """The error a problem+json answer stands for, with the server's own message."""
    detail = ""
    if "json" in response.headers.get("content-type", ""):
        try:
            body = response.json()
        except json.JSONDecodeError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("detail"), str):
            detail = body["detail"]
    status = response.status_code
    if not detail:
        where = f"{response.request.method} {response.request.url.path}"
        return ServerFailedError(
            f"{server} answered {where} with HTTP {status} and no Stead problem document: "
            "is it a Stead server?"
        )
    if status == 401:
        return AccessDeniedError(
            f"{server}: {detail}; give an API token with --token or STEAD_TOKEN "
            "(stead token create NAME, where the database is)"
        )
    if status == 403:
        return AccessDeniedError(f"{server}: {detail}")
    error_class = _BY_STATUS.get(status)
    if error_class is None:
        return ServerFailedError(f"{server} failed (HTTP {status}): {detail}")
    return error_class(detail)


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


class RemoteCommands:
    """:class:`~stead.commands.interface.CommandInterface` over HTTP, authenticated with an
    API token (or anonymous, when none is given: the server then refuses with a message)."""

    def __init__(self, server: str, token: str | None = None) -> None:
        self.server = server.rstrip("/")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(base_url=self.server, headers=headers, timeout=_TIMEOUT)
        self._me: str | None = None

    def close(self) -> None:
        self.http.close()

    # -- one request -------------------------------------------------------------------------

    def _request(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **options)
        except httpx.TransportError as error:
            reason = str(error).strip() or type(error).__name__
            raise ServerUnreachableError(
                f"cannot reach the Stead server at {self.server}: {reason}"
            ) from None
        if response.status_code >= 400:
            raise _error(response, self.server)
        return response

    def _get(self, kind: type[T], path: str, query: Query | None = None) -> T:
        return self._parsed(kind, self._request("GET", path, params=query))

    def _post(self, kind: type[T], path: str, body: dict[str, Any] | None = None) -> T:
        return self._parsed(kind, self._request("POST", path, json=body))

    def _parsed(self, kind: type[T], response: httpx.Response) -> T:
        try:
            return TypeAdapter(kind).validate_json(response.content)
        except ValidationError as error:
            raise ServerFailedError(
                f"{self.server} answered {response.request.url.path} with something that is "
                f"not a Stead resource ({error.error_count()} problems): is it a Stead server?"
            ) from None

    # -- definitions -------------------------------------------------------------------------

    def deploy_files(self, files: Sequence[tuple[str, bytes]]) -> r.DeploymentResult:
        if not files:
            raise InvalidRequestError("files: give at least one .bpmn or .form file")
        uploads = [("files", (name, content)) for name, content in files]
        response = self._request("POST", "/api/deployments", files=uploads)
        return self._parsed(r.DeploymentResult, response)

    def process_definitions(
        self, process_id: str | None = None
    ) -> list[r.ProcessDefinitionSummary]:
        if process_id is None:
            return self._get(list[r.ProcessDefinitionSummary], "/api/process-definitions")
        path = f"/api/process-definitions/{_segment(process_id)}"
        return [self._get(r.ProcessDefinitionSummary, path)]

    def definition_source(self, process_id: str, version: int | None = None) -> str:
        if version is None:
            version = self.process_definitions(process_id)[0].latest_version
        path = f"/api/process-definitions/{_segment(process_id)}/versions/{version}/xml"
        return self._request("GET", path).text

    # -- instances ---------------------------------------------------------------------------

    def start(
        self,
        process_id: str,
        variables: dict[str, Any] | None = None,
        *,
        business_key: str | None = None,
        idempotency_key: str | None = None,
        version: int | None = None,
    ) -> r.Instance:
        body = {
            "processId": process_id,
            "variables": variables or {},
            "businessKey": business_key,
            "idempotencyKey": idempotency_key,
            "version": version,
        }
        return self._post(r.Instance, "/api/process-instances", body)

    def instance(self, instance_id: str) -> r.Instance:
        return self._get(r.Instance, f"/api/process-instances/{_segment(instance_id)}")

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
    ) -> r.InstancePage:
        query = _query(
            processId=process_id,
            state=state,
            businessKey=business_key,
            startedAfter=started_after,
            startedBefore=started_before,
            endedAfter=ended_after,
            endedBefore=ended_before,
            hasIncident=has_incident,
            cursor=cursor,
            limit=limit,
        )
        if variable_equals is not None:
            name, value = variable_equals
            query["variable"] = f"{name}={json.dumps(value)}"
        return self._get(r.InstancePage, "/api/process-instances", query)

    def history(self, instance_id: str) -> list[r.HistoryEntry]:
        path = f"/api/process-instances/{_segment(instance_id)}/history"
        return self._get(list[r.HistoryEntry], path)

    def set_variables(self, instance_id: str, variables: dict[str, Any]) -> r.Instance:
        path = f"/api/process-instances/{_segment(instance_id)}/variables"
        return self._post(r.Instance, path, {"variables": variables})

    def cancel(self, instance_id: str) -> r.Instance:
        path = f"/api/process-instances/{_segment(instance_id)}/cancellation"
        return self._post(r.Instance, path)

    # -- messages ----------------------------------------------------------------------------

    def publish_message(
        self,
        name: str,
        *,
        correlation_key: str | None = None,
        variables: dict[str, Any] | None = None,
        message_id: str | None = None,
        ttl: dt.timedelta = dt.timedelta(0),
    ) -> r.PublishResult:
        body = {
            "name": name,
            "correlationKey": correlation_key,
            "variables": variables or {},
            "messageId": message_id,
            "timeToLiveMs": round(ttl.total_seconds() * 1000),
        }
        return self._post(r.PublishResult, "/api/messages", body)

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
    ) -> list[r.UserTask]:
        query = _query(
            assignee=assignee,
            candidateGroup=candidate_group,
            candidateUser=candidate_user,
            processId=process_id,
            processInstanceId=instance_id,
            state=state or "all",
            limit=limit,
        )
        return self._get(list[r.UserTask], "/api/user-tasks", query)

    def task(self, task_id: int) -> r.UserTask:
        return self._get(r.UserTask, f"/api/user-tasks/{task_id}")

    def task_form(self, task: r.UserTask) -> r.TaskForm:
        return self._get(r.TaskForm, f"/api/user-tasks/{task.id}/form")

    def claim_task(self, task_id: int, user: str) -> r.UserTask:
        # The server lets the signed-in user claim for themselves only.
        me = self._signed_in_user()
        if user != me:
            raise InvalidRequestError(
                f"user: over --server a task is claimed by the signed-in user ({me}), "
                f"not {user}; use `stead task assign {task_id} {user}` to give it to them"
            )
        return self._post(r.UserTask, f"/api/user-tasks/{task_id}/claim")

    def unclaim_task(self, task_id: int) -> r.UserTask:
        return self._post(r.UserTask, f"/api/user-tasks/{task_id}/unclaim")

    def assign_task(self, task_id: int, assignee: str | None) -> r.UserTask:
        path = f"/api/user-tasks/{task_id}/assignment"
        return self._post(r.UserTask, path, {"assignee": assignee})

    def complete_task(
        self, task_id: int, variables: dict[str, Any] | None = None, *, actor: str = "user"
    ) -> r.UserTask:
        # The server records the signed-in user as who completed it, whatever ``actor`` says.
        path = f"/api/user-tasks/{task_id}/completion"
        return self._post(r.UserTask, path, {"variables": variables or {}})

    def _signed_in_user(self) -> str:
        if self._me is None:
            self._me = self._get(_Me, "/api/me").name
        return self._me

    # -- incidents ---------------------------------------------------------------------------

    def incidents(
        self, *, instance_id: str | None = None, state: str | None = "open"
    ) -> list[r.Incident]:
        if state is None:  # the server lists one state at a time
            found = [
                *self.incidents(instance_id=instance_id, state="open"),
                *self.incidents(instance_id=instance_id, state="resolved"),
            ]
            return sorted(found, key=lambda incident: incident.id)
        query = _query(processInstanceId=instance_id, state=state)
        return self._get(list[r.Incident], "/api/incidents", query)

    def resolve_incident(self, incident_id: int, *, retries: int | None = None) -> r.Incident:
        path = f"/api/incidents/{incident_id}/resolution"
        return self._post(r.Incident, path, {"retries": retries})


class _Me(r.Resource):
    name: str


def _segment(value: str) -> str:
    """A path segment: ids are sent as they are, but a slash or such cannot change the path."""
    return quote(value, safe="")


def _query(**values: str | int | bool | dt.datetime | None) -> Query:
    """Query parameters, leaving out those not given."""
    query: Query = {}
    for name, value in values.items():
        if value is None:
            continue
        query[name] = _iso(value) if isinstance(value, dt.datetime) else value
    return query
