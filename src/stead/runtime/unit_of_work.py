"""One transaction per command: load the instances it touches (with their versions), run the
engine, write every effect to its table, write the new states under optimistic locks.

Commands an effect implies for another instance (a call activity's child starting, a child
reporting back to its parent, a buffered message reaching a new subscription) are applied in
the same transaction, so a crash can never lose them halfway.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from stead.engine import CommandRejected, InstanceState, Step, apply_command, start_instance
from stead.engine import commands as c
from stead.model.graph import ProcessDefinition
from stead.runtime.definitions import DefinitionCache
from stead.runtime.effect_writer import write_effect
from stead.runtime.errors import ConflictError, InvalidRequestError, NotFoundError
from stead.runtime.views import Incident, Instance, WaitingToken
from stead.store import definitions as definition_rows
from stead.store import history, incidents, instances, messages

__all__ = ["LoadedInstance", "UnitOfWork", "read_instance"]

# How many instances one ending instance may start in turn from buffered messages (each
# ending at once); a bound, so a model that ends instantly cannot loop forever.
_MAX_CHAINED_STARTS = 100


@dataclass(slots=True)
class LoadedInstance:
    """An instance as this transaction sees it; written back by :meth:`UnitOfWork.flush`."""

    id: str
    tenant: str
    process_id: str
    definition: ProcessDefinition
    version: int
    state: InstanceState
    parent_instance_id: str | None
    parent_element_instance_key: int | None
    definition_key: int
    definition_version: int
    business_key: str | None
    idempotency_key: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    start_correlation_key: str | None  # of the message that started it at a message start event
    # What the waiting_tokens table holds for the instance: rewritten only when it changes.
    waiting_written: list[dict[str, Any]]
    created: bool = False  # inserted by this transaction
    dirty: bool = False
    was_active: bool = True


@dataclass(slots=True)
class _Queued:
    instance_id: str
    command: c.Command
    internal: bool  # implied by another effect: a rejection is recorded, not raised
    buffered_message_key: int | None = None


@dataclass(slots=True)
class UnitOfWork:
    conn: sa.Connection
    tenant: str
    now: dt.datetime
    definitions: DefinitionCache
    # Called just before instance states are written; lets tests inject a concurrent change.
    before_write: Callable[[sa.Connection], None] | None = None
    created_work: bool = False  # new jobs or timers: wake idle executors after commit
    _loaded: dict[str, LoadedInstance] = field(default_factory=dict)
    _queue: deque[_Queued] = field(default_factory=deque)
    _history: list[dict[str, Any]] = field(default_factory=list)
    _cancelled_by_parent: set[str] = field(default_factory=set)
    _incident_owners: set[str] = field(default_factory=set)  # instances given incidents here

    # -- loading -----------------------------------------------------------------------------

    def preload(self, instance_ids: list[str]) -> None:
        """Load several instances with one query (those not loaded yet)."""
        wanted = [i for i in dict.fromkeys(instance_ids) if i not in self._loaded]
        if len(wanted) > 1:
            for row in instances.load_many(self.conn, wanted):
                if row.tenant_id == self.tenant:
                    self._loaded[row.id] = self._from_row(row)

    def already_loaded(self, instance_id: str) -> LoadedInstance | None:
        """The instance if this transaction loaded (or created) it, with its newest state."""
        return self._loaded.get(instance_id)

    def load(self, instance_id: str) -> LoadedInstance:
        found = self._loaded.get(instance_id)
        if found is not None:
            return found
        row = instances.load_for_command(self.conn, instance_id)
        if row is None or row.tenant_id != self.tenant:
            raise NotFoundError(f"no process instance {instance_id}")
        loaded = self._loaded[instance_id] = self._from_row(row)
        return loaded

    def _from_row(self, row: sa.Row[Any]) -> LoadedInstance:
        state = InstanceState.from_json(row.state)
        return LoadedInstance(
            id=row.id,
            tenant=row.tenant_id,
            process_id=row.process_id,
            definition=self.definitions.get(self.conn, row.definition_key),
            version=row.version,
            state=state,
            parent_instance_id=row.parent_instance_id,
            parent_element_instance_key=row.parent_element_instance_key,
            definition_key=row.definition_key,
            definition_version=row.definition_version,
            business_key=row.business_key,
            idempotency_key=row.idempotency_key,
            started_at=row.started_at,
            ended_at=row.ended_at,
            start_correlation_key=row.start_correlation_key,
            # Every write of a state rewrites its waiting tokens, so they match the state.
            waiting_written=_waiting_rows(state),
            was_active=row.status == "active",
        )

    # -- starting ----------------------------------------------------------------------------

    def start(
        self,
        definition_row: sa.Row[Any],
        variables: dict[str, Any],
        *,
        business_key: str | None = None,
        idempotency_key: str | None = None,
        start_event_id: str | None = None,
        trigger: str = "none",
        parent: tuple[str, int] | None = None,
        actor: str = "user",
        start_correlation_key: str | None = None,
    ) -> str:
        """Create an instance row and run it until its tokens wait; returns its id."""
        definition = self.definitions.get(self.conn, definition_row.key)
        try:
            step = start_instance(
                definition,
                variables=variables,
                now=self.now,
                start_event_id=start_event_id,
                trigger=trigger,
                actor=actor,
            )
        except CommandRejected as rejected:
            raise InvalidRequestError(str(rejected)) from rejected
        instance_id = str(uuid.uuid4())
        state = step.state
        ended = state.status != "active"
        # The row is written once, with the state the start step reached; effects written
        # next (jobs, timers, waiting tokens) refer to it.
        instances.insert(
            self.conn,
            {
                "id": instance_id,
                "tenant_id": self.tenant,
                "definition_key": definition_row.key,
                "process_id": definition_row.process_id,
                "definition_version": definition_row.version,
                "version": 1,
                "status": state.status,
                "state": state.to_json(),
                "variables": state.variables,
                "business_key": business_key,
                "idempotency_key": idempotency_key,
                "parent_instance_id": parent[0] if parent else None,
                "parent_element_instance_key": parent[1] if parent else None,
                "started_at": self.now,
                "updated_at": self.now,
                "ended_at": self.now if ended else None,
                "start_correlation_key": start_correlation_key,
            },
        )
        waiting = _waiting_rows(state)
        instances.insert_waiting(self.conn, self.tenant, instance_id, waiting)
        loaded = LoadedInstance(
            id=instance_id,
            tenant=self.tenant,
            process_id=definition_row.process_id,
            definition=definition,
            version=1,
            state=state,
            parent_instance_id=parent[0] if parent else None,
            parent_element_instance_key=parent[1] if parent else None,
            definition_key=definition_row.key,
            definition_version=definition_row.version,
            business_key=business_key,
            idempotency_key=idempotency_key,
            started_at=self.now,
            ended_at=self.now if ended else None,
            start_correlation_key=start_correlation_key,
            waiting_written=waiting,
            created=True,
        )
        self._loaded[instance_id] = loaded
        # Commands this implies for other instances are queued: they run at the next drain,
        # after every effect of the step that caused them is written.
        for effect in step.effects:
            write_effect(self, loaded, effect)
        if ended and not loaded.dirty:
            if instance_id in self._incident_owners:
                self._close_leftovers(instance_id)
            loaded.was_active = False
        return instance_id

    # -- commands ----------------------------------------------------------------------------

    def apply(self, instance_id: str, command: c.Command) -> LoadedInstance:
        """Apply a caller's command (rejections raise), then everything it implies."""
        self._run(_Queued(instance_id, command, internal=False))
        self.drain()
        return self.load(instance_id)

    def try_apply(self, instance_id: str, command: c.Command) -> bool:
        """Apply a command the runtime routes on its own; a rejection is recorded in the
        instance's history and reported as False."""
        accepted = self._run(_Queued(instance_id, command, internal=True))
        self.drain()
        return accepted

    def enqueue(
        self, instance_id: str, command: c.Command, *, buffered_message_key: int | None = None
    ) -> None:
        self._queue.append(_Queued(instance_id, command, True, buffered_message_key))

    def drain(self) -> None:
        while self._queue:
            self._run(self._queue.popleft())

    def _run(self, item: _Queued) -> bool:
        loaded = self.load(item.instance_id)
        try:
            step = apply_command(loaded.definition, loaded.state, item.command, now=self.now)
        except CommandRejected as rejected:
            if not item.internal:
                raise _as_runtime_error(rejected) from rejected
            if item.buffered_message_key is not None:
                # The subscription closed before its turn: the message stays buffered.
                messages.unmark_correlated(self.conn, item.buffered_message_key)
            self.record(
                loaded.id,
                "command.rejected",
                None,
                None,
                "engine",
                {"command": type(item.command).__name__, "reason": str(rejected)},
            )
            return False
        self._apply_effects(loaded, step)
        return True

    def _apply_effects(self, loaded: LoadedInstance, step: Step) -> None:
        loaded.state = step.state
        loaded.dirty = True
        for effect in step.effects:
            write_effect(self, loaded, effect)

    # -- helpers for effect writers --------------------------------------------------------

    def record(
        self,
        instance_id: str,
        event: str,
        element_id: str | None,
        element_instance_key: int | None,
        actor: str,
        data: dict[str, Any],
    ) -> None:
        self._history.append(
            {
                "tenant_id": self.tenant,
                "instance_id": instance_id,
                "at": self.now,
                "event": event,
                "element_id": element_id,
                "element_instance_key": element_instance_key,
                "actor": actor,
                "data": data,
            }
        )

    def incident_raised(self, instance_id: str) -> None:
        """Note that this transaction opened an incident of the instance."""
        self._incident_owners.add(instance_id)

    def mark_cancelled_by_parent(self, instance_id: str) -> None:
        self._cancelled_by_parent.add(instance_id)

    def cancelled_by_parent(self, instance_id: str) -> bool:
        return instance_id in self._cancelled_by_parent

    # -- writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every changed instance (optimistic lock) and the history rows."""
        self.drain()
        self._start_from_waiting_messages()
        self.drain()
        if self.before_write is not None:
            hook, self.before_write = self.before_write, None
            hook(self.conn)
        # One statement per kind of row for every changed instance (a batch of timers fires
        # in one transaction).
        changed = [loaded for loaded in self._loaded.values() if loaded.dirty]
        if changed:
            self._write_states(changed)
        history.append(self.conn, self._history)
        self._history = []

    def _start_from_waiting_messages(self) -> None:
        """An instance a message started ends here: the oldest message buffered meanwhile with
        the same correlation key starts the next one (one active instance per key)."""
        ending = [
            loaded
            for loaded in list(self._loaded.values())
            if loaded.start_correlation_key
            and loaded.dirty
            and loaded.was_active
            and loaded.state.status != "active"
        ]
        for loaded in ending:
            assert loaded.start_correlation_key is not None
            # An instance started here may end at once and pass the turn on.
            for _ in range(_MAX_CHAINED_STARTS):
                started = self._start_from_buffer(loaded.process_id, loaded.start_correlation_key)
                if started is None or self._loaded[started].state.status == "active":
                    break

    def _start_from_buffer(self, process_id: str, correlation_key: str) -> str | None:
        for subscription in messages.start_subscriptions(
            self.conn, self.tenant, process_id=process_id
        ):
            buffered = messages.take_buffered(
                self.conn, self.tenant, subscription.message_name, correlation_key, self.now
            )
            if buffered is None:
                continue
            messages.mark_correlated(self.conn, buffered.key, self.now)
            definition_row = definition_rows.by_key(self.conn, subscription.definition_key)
            assert definition_row is not None
            return self.start(
                definition_row,
                dict(buffered.variables),
                start_event_id=subscription.element_id,
                trigger="message",
                actor="engine",
                start_correlation_key=correlation_key,
            )
        return None

    def _write_states(self, changed: list[LoadedInstance]) -> None:
        instances.update_states(
            self.conn,
            [
                instances.StateUpdate(
                    loaded.id,
                    loaded.version,
                    loaded.state.to_json(),
                    loaded.state.status,
                    loaded.state.variables,
                )
                for loaded in changed
            ],
            now=self.now,
        )
        rewaited: dict[str, list[dict[str, Any]]] = {}
        ended: list[str] = []
        for loaded in changed:
            loaded.version += 1
            loaded.dirty = False
            active = loaded.state.status == "active"
            loaded.ended_at = None if active else self.now
            waiting = _waiting_rows(loaded.state)
            if waiting != loaded.waiting_written:
                rewaited[loaded.id] = loaded.waiting_written = waiting
            if not active and loaded.was_active:
                ended.append(loaded.id)
                loaded.was_active = False
        if rewaited:
            instances.replace_waiting_many(self.conn, self.tenant, rewaited)
        if ended:
            # The engine cancels the jobs, tasks, timers and subscriptions it knows of; the
            # runtime's own incidents (a job out of retries, a missing called process) end here.
            incidents.resolve_all_open_many(self.conn, ended, actor="engine", now=self.now)

    def view(self, instance_id: str) -> Instance:
        """The instance as this transaction wrote it (call after :meth:`flush`), with where its
        tokens wait and its open incidents; read from the database when not loaded here."""
        loaded = self._loaded.get(instance_id)
        if loaded is None:
            return read_instance(self.conn, self.tenant, instance_id)
        waiting = tuple(
            WaitingToken(
                w["element_id"], w["element_instance_key"], w["kind"], w["since"].astimezone(dt.UTC)
            )
            for w in loaded.waiting_written
        )
        open_incidents: tuple[Incident, ...] = ()
        if not loaded.created or instance_id in self._incident_owners:
            open_incidents = _open_incidents(self.conn, self.tenant, instance_id)
        return Instance(
            loaded.id,
            loaded.process_id,
            loaded.definition_version,
            loaded.definition_key,
            loaded.business_key,
            loaded.state.status,
            # A copy as the database holds it: the caller may keep or change it freely.
            json.loads(json.dumps(loaded.state.variables)),
            loaded.started_at,
            loaded.ended_at,
            loaded.parent_instance_id,
            loaded.parent_element_instance_key,
            loaded.idempotency_key,
            waiting,
            open_incidents,
        )

    def _close_leftovers(self, instance_id: str) -> None:
        # The engine cancels the jobs, tasks, timers and subscriptions it knows of; the
        # runtime's own incidents (a job out of retries, a missing called process) end here.
        incidents.resolve_all_open(self.conn, instance_id, actor="engine", now=self.now)


def _waiting_rows(state: InstanceState) -> list[dict[str, Any]]:
    return [
        {
            "element_id": w.element_id,
            "element_instance_key": w.element_instance_key,
            "kind": w.kind,
            "since": w.since,
        }
        for w in state.waiting
    ]


def _open_incidents(conn: sa.Connection, tenant: str, instance_id: str) -> tuple[Incident, ...]:
    rows = incidents.open_of_instance(conn, tenant, instance_id)
    return tuple(Incident.from_row(row) for row in rows)


def read_instance(conn: sa.Connection, tenant: str, instance_id: str) -> Instance:
    """An instance as stored, with where its tokens wait and its open incidents."""
    row = instances.load(conn, instance_id)
    if row is None or row.tenant_id != tenant:
        raise NotFoundError(f"no process instance {instance_id}")
    waiting = tuple(WaitingToken.from_row(w) for w in instances.waiting_of(conn, row.id))
    return Instance.from_row(row, waiting, _open_incidents(conn, tenant, row.id))


def _as_runtime_error(rejected: CommandRejected) -> Exception:
    reason = getattr(rejected, "reason", "invalid")
    if reason == "not-found":
        return NotFoundError(str(rejected))
    if reason == "conflict":
        return ConflictError(str(rejected))
    return InvalidRequestError(str(rejected))
