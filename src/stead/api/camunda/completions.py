"""Group commit for completions: the complete requests that arrive while one transaction is
being written are completed together in the next one, so that many workers completing tasks
at once share transactions instead of queueing for the database's write lock one by one.

Each completion keeps its own outcome: one refused for its own reason (another worker's lock,
a task that is gone) is answered with that error and leaves the others in the batch unharmed,
because every check and every engine rejection happens before that completion writes anything.
When the batch's transaction fails as a whole, each completion is retried in a transaction of
its own, so that a failure is answered to the request that caused it.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from stead.api.camunda import locks
from stead.api.camunda.bodies import CompleteBody
from stead.api.camunda.errors import CamundaError
from stead.api.camunda.variables import untyped_variables
from stead.commands import Commands, SteadError
from stead.runtime import Runtime, job_ops
from stead.runtime.unit_of_work import UnitOfWork

__all__ = ["MAX_BATCH", "complete_in_batch", "complete_task"]

MAX_BATCH = 64


@dataclass
class _Completion:
    task_id: str
    worker: str
    variables: dict[str, Any]
    done: asyncio.Future[None] = field(repr=False)


Outcome = BaseException | None


class _Batcher:
    """Collects completions on one event loop and commits them in turns."""

    def __init__(self, commands: Commands, loop: asyncio.AbstractEventLoop) -> None:
        self.commands = commands
        self.loop = loop
        self._waiting: list[_Completion] = []
        self._writer: asyncio.Task[None] | None = None

    async def complete(self, task_id: str, worker: str, variables: dict[str, Any]) -> None:
        done: asyncio.Future[None] = self.loop.create_future()
        self._waiting.append(_Completion(task_id, worker, variables, done))
        if self._writer is None:
            # Keep the task referenced: the loop holds only a weak reference to it.
            self._writer = self.loop.create_task(self._write_all())
        await done

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                try:
                    outcomes = await run_in_threadpool(self._commit, batch)
                except BaseException as error:  # answer every waiting request, then go on
                    outcomes = [error] * len(batch)
                for item, outcome in zip(batch, outcomes, strict=True):
                    if item.done.done():
                        continue  # the request was cancelled (the worker hung up)
                    if outcome is None:
                        item.done.set_result(None)
                    else:
                        item.done.set_exception(outcome)
        finally:
            self._writer = None

    def _commit(self, batch: list[_Completion]) -> list[Outcome]:
        if len(batch) == 1:
            return [self._alone(batch[0])]
        try:
            return self.commands.runtime.transactions.run(lambda uow: _complete_each(uow, batch))
        except Exception:
            # Something failed the whole transaction: find out whose it was, one by one.
            return [self._alone(item) for item in batch]

    def _alone(self, item: _Completion) -> Outcome:
        try:
            locks.complete(self.commands, item.task_id, item.worker, item.variables)
        except Exception as error:
            return error
        return None


def _complete_each(uow: UnitOfWork, batch: list[_Completion]) -> list[Outcome]:
    """Complete every item in this transaction; an item refused before it wrote anything
    keeps its error and the others go on."""
    outcomes: list[Outcome] = []
    for item in batch:
        try:
            row = locks.row_held_by(uow, item.task_id, item.worker, "completed")
            job_ops.complete_locked(uow, row, item.variables, item.worker)
        except (CamundaError, SteadError) as refused:
            outcomes.append(refused)
        else:
            outcomes.append(None)
    return outcomes


_batchers: weakref.WeakKeyDictionary[Runtime, _Batcher] = weakref.WeakKeyDictionary()
_batchers_lock = threading.Lock()


async def complete_in_batch(
    commands: Commands, task_id: str, worker: str, variables: dict[str, Any]
) -> None:
    """Complete the task for ``worker``, sharing a transaction with concurrent completions."""
    loop = asyncio.get_running_loop()
    with _batchers_lock:
        batcher = _batchers.get(commands.runtime)
        if batcher is None or batcher.loop is not loop:
            batcher = _batchers[commands.runtime] = _Batcher(commands, loop)
    await batcher.complete(task_id, worker, variables)


async def complete_task(commands: Commands, task_id: str, body: CompleteBody) -> None:
    """A complete request: ``variables`` (and ``localVariables``, which Stead treats as task
    results for the task's output mappings) are the result of the task ``body.worker_id``
    holds."""
    locks.job_key(task_id)
    variables = untyped_variables(body.local_variables, field="localVariables")
    variables.update(untyped_variables(body.variables))
    await complete_in_batch(commands, task_id, body.worker_id, variables)
