"""One-time callback tokens: issued for a waiting job (stored only as a hash), and redeemed by
the external system to complete, fail or throw on that job, or to send a heartbeat."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from stead.commands import Commands
from stead.runtime import Runtime, job_ops
from stead.runtime.errors import ConflictError, InvalidRequestError, NotFoundError
from stead.runtime.unit_of_work import UnitOfWork
from stead.store import callbacks, history, jobs

__all__ = ["CallbackGoneError", "CallbackService", "IssuedToken", "Outcome", "PendingToken"]

Outcome = Literal["complete", "fail", "error"]
Row = sa.Row[Any]
_ACTOR = "callback"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CallbackGoneError(ConflictError):
    """The token was used already or its deadline passed (HTTP 410)."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    key: int
    token: str  # the only copy: handed to the external system, never stored
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PendingToken:
    """The newest token of a job, as the connector sees it when the job runs again."""

    key: int
    expires_at: dt.datetime
    used: bool


class CallbackService:
    """Callback tokens on one runtime's database."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        # Settling a job is a user-visible operation: through the command layer.
        self.commands = Commands(runtime)

    def issue(
        self,
        job_id: int,
        timeout: dt.timedelta,
        heartbeat: dt.timedelta | None,
        *,
        notified: bool,
    ) -> IssuedToken:
        """A new token for the job, expiring after ``timeout``; history notes the wait."""
        token = secrets.token_urlsafe(32)
        now = self.runtime.clock()
        expires_at = now + timeout
        with self.runtime.database.transaction() as conn:
            job = jobs.by_key(conn, job_id)
            if job is None or job.tenant_id != self.runtime.tenant:
                raise NotFoundError(f"no job {job_id}")
            key = callbacks.insert(
                conn,
                {
                    "tenant_id": self.runtime.tenant,
                    "token_hash": _hash(token),
                    "job_key": job_id,
                    "instance_id": job.instance_id,
                    "element_id": job.element_id,
                    "created_at": now,
                    "expires_at": expires_at,
                    "heartbeat_seconds": heartbeat.total_seconds() if heartbeat else None,
                },
            )
            data: dict[str, Any] = {"jobId": job_id, "expiresAt": expires_at.isoformat()}
            if notified:
                data["notified"] = True
            _record(conn, self.runtime.tenant, job, "callback.awaiting", now, data)
        return IssuedToken(key, token, expires_at)

    def pending(self, job_id: int) -> PendingToken | None:
        with self.runtime.database.read() as conn:
            row = callbacks.latest_for_job(conn, job_id)
        if row is None:
            return None
        return PendingToken(row.key, row.expires_at, row.used_at is not None)

    def close(self, key: int, outcome: str) -> bool:
        """Settle a token without a callback (it timed out, or its notification failed)."""
        with self.runtime.database.transaction() as conn:
            return callbacks.mark_used(conn, key, outcome, self.runtime.clock())

    def settle(
        self,
        token: str,
        outcome: Outcome,
        *,
        variables: dict[str, Any],
        error_code: str | None,
        error_message: str,
    ) -> None:
        """Complete, fail or throw on the token's job; the token works once. Using the token
        up and settling the job share one transaction: a refusal or a crash in between leaves
        the token usable and the job waiting, never one without the other."""
        if outcome == "error" and not error_code:
            raise InvalidRequestError('errorCode is required with outcome "error"')
        rng = self.runtime.rng

        def work(uow: UnitOfWork) -> None:
            row = self._usable(uow.conn, token, uow.now)
            if not callbacks.mark_used(uow.conn, row.key, outcome, uow.now):
                raise CallbackGoneError("this callback was already used")
            if outcome == "complete":
                job_ops.complete(uow, row.job_key, variables, _ACTOR)
            elif outcome == "fail":
                # The external system's failure is final: an incident an operator resolves.
                job_ops.fail(
                    uow,
                    row.job_key,
                    error_message=error_message or "the external system reported a failure",
                    retries=0,
                    retry_backoff=None,
                    actor=_ACTOR,
                    rng=rng,
                )
            else:
                job_ops.throw_error(
                    uow, row.job_key, error_code or "", error_message, variables, _ACTOR
                )

        self.runtime.transactions.run(work)

    def heartbeat(self, token: str) -> dt.datetime:
        """Move the deadline to at least ``heartbeat timeout`` past now; returns it."""
        now = self.runtime.clock()
        with self.runtime.database.transaction() as conn:
            row = self._usable(conn, token, now)
            if row.heartbeat_seconds is None:
                raise InvalidRequestError("this callback task takes no heartbeats")
            # A heartbeat extends the wait; it never brings the deadline closer.
            current: dt.datetime = row.expires_at
            expires_at = max(current, now + dt.timedelta(seconds=row.heartbeat_seconds))
            callbacks.extend(conn, row.key, expires_at)
        try:
            self.commands.extend_job_lock(row.job_key, expires_at - now)
        except ConflictError as error:
            raise CallbackGoneError("the callback task is no longer waiting") from error
        return expires_at

    def _usable(self, conn: sa.Connection, token: str, now: dt.datetime) -> Row:
        row = callbacks.by_hash(conn, _hash(token), for_update=True)
        if row is None or row.tenant_id != self.runtime.tenant:
            raise NotFoundError("no such callback")
        if row.used_at is not None:
            raise CallbackGoneError("this callback was already used")
        if row.expires_at <= now:
            raise CallbackGoneError("this callback expired")
        return row


def _record(
    conn: sa.Connection, tenant: str, job: Row, event: str, at: dt.datetime, data: dict[str, Any]
) -> None:
    history.append(
        conn,
        [
            {
                "tenant_id": tenant,
                "instance_id": job.instance_id,
                "at": at,
                "event": event,
                "element_id": job.element_id,
                "element_instance_key": job.element_instance_key,
                "actor": _ACTOR,
                "data": data,
            }
        ],
    )
