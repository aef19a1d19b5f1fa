"""User tasks: listing by candidate group and assignee, claiming, completing."""

from __future__ import annotations

import pytest

from integration import bpmn_models as models
from stead.runtime import ConflictError, NotFoundError, Runtime


def test_a_task_is_claimed_then_completed(runtime: Runtime) -> None:
    runtime.deploy_bytes("approve.bpmn", models.user_task(groups="managers, auditors"))
    instance = runtime.start("approve", {"amount": 300})

    (task,) = runtime.list_tasks(candidate_group="auditors")
    assert (task.element_id, task.instance_id, task.assignee) == ("review", instance.id, None)
    assert task.candidate_groups == ["managers", "auditors"]
    assert runtime.list_tasks(candidate_group="interns") == []

    runtime.claim_task(task.id, "ann")
    assert [t.id for t in runtime.list_tasks(assignee="ann")] == [task.id]
    with pytest.raises(ConflictError):
        runtime.claim_task(task.id, "bob")

    done = runtime.complete_task(task.id, {"approved": True}, actor="ann")
    assert (done.state, done.completed_by) == ("completed", "ann")
    finished = runtime.get_instance(instance.id)
    assert finished.state == "completed"
    assert finished.variables == {"amount": 300, "approved": True}
    assert runtime.list_tasks() == []
    assert [t.id for t in runtime.list_tasks(state="completed")] == [task.id]
    with pytest.raises(ConflictError):
        runtime.complete_task(task.id)


def test_unclaim_and_assign(runtime: Runtime) -> None:
    runtime.deploy_bytes("approve.bpmn", models.user_task(assignee="carl"))
    runtime.start("approve")
    (task,) = runtime.list_tasks(assignee="carl")
    assert runtime.unclaim_task(task.id, actor="carl").assignee is None
    assert runtime.assign_task(task.id, "dora").assignee == "dora"
    events = [(e.event, e.data.get("assignee")) for e in runtime.history(task.instance_id)]
    assert ("task.unassigned", None) in events
    assert ("task.assigned", "dora") in events


def test_cancelling_the_instance_cancels_its_task(runtime: Runtime) -> None:
    runtime.deploy_bytes("approve.bpmn", models.user_task())
    instance = runtime.start("approve")
    runtime.cancel(instance.id)
    assert runtime.list_tasks() == []
    (task,) = runtime.list_tasks(state="cancelled")
    with pytest.raises(ConflictError):
        runtime.complete_task(task.id)


def test_an_unknown_task_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError):
        runtime.get_task(99)
