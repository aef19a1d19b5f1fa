"""Call activities: the child instance starts with the parent's variables and its completion
(or cancellation) reaches the parent."""

from __future__ import annotations

from integration import bpmn_models as models
from stead.runtime import Runtime


def _deploy(runtime: Runtime) -> None:
    runtime.deploy_bytes("parent.bpmn", models.caller("parent", "child"))
    runtime.deploy_bytes("child.bpmn", models.one_job("child", "child-work"))


def test_the_child_completes_and_the_parent_continues(runtime: Runtime) -> None:
    _deploy(runtime)
    parent = runtime.start("parent", {"orderId": 7})
    (child,) = runtime.list_instances(parent_instance_id=parent.id).items
    assert child.process_id == "child"
    assert child.variables["orderId"] == 7
    assert [w.kind for w in runtime.get_instance(parent.id).waiting] == ["call-activity"]

    (job,) = runtime.activate_jobs("child-work", worker="w")
    runtime.complete_job(job.id, {"shipped": True})

    assert runtime.get_instance(child.id).state == "completed"
    done = runtime.get_instance(parent.id)
    assert done.state == "completed"
    assert done.variables["shipped"] is True


def test_cancelling_the_parent_cancels_the_child(runtime: Runtime) -> None:
    _deploy(runtime)
    parent = runtime.start("parent")
    (child,) = runtime.list_instances(parent_instance_id=parent.id).items
    runtime.cancel(parent.id)
    assert runtime.get_instance(child.id).state == "terminated"
    assert runtime.activate_jobs("child-work", worker="w") == []


def test_cancelling_the_child_is_an_incident_on_the_parent(runtime: Runtime) -> None:
    _deploy(runtime)
    parent = runtime.start("parent")
    (child,) = runtime.list_instances(parent_instance_id=parent.id).items
    runtime.cancel(child.id)
    (incident,) = runtime.list_incidents(instance_id=parent.id)
    assert (incident.kind, incident.element_id) == ("called-process", "call")

    runtime.resolve_incident(incident.id)
    children = runtime.list_instances(parent_instance_id=parent.id, state="active").items
    assert len(children) == 1
    assert children[0].id != child.id


def test_a_missing_called_process_is_an_incident_until_deployed(runtime: Runtime) -> None:
    runtime.deploy_bytes("parent.bpmn", models.caller("parent", "child"))
    parent = runtime.start("parent")
    (incident,) = runtime.list_incidents(instance_id=parent.id)
    assert incident.kind == "called-process"

    runtime.deploy_bytes("child.bpmn", models.one_job("child", "child-work"))
    runtime.resolve_incident(incident.id)
    (job,) = runtime.activate_jobs("child-work", worker="w")
    runtime.complete_job(job.id)
    assert runtime.get_instance(parent.id).state == "completed"


def test_an_error_the_child_does_not_catch_is_caught_at_the_call_activity(
    runtime: Runtime,
) -> None:
    runtime.deploy_bytes("parent.bpmn", models.caller_catching_errors("parent", "child"))
    runtime.deploy_bytes("child.bpmn", models.one_job("child", "child-work"))
    parent = runtime.start("parent")
    (child,) = runtime.list_instances(parent_instance_id=parent.id).items
    (job,) = runtime.activate_jobs("child-work", worker="w")
    runtime.throw_error(job.id, "refused", error_message="no stock")

    assert runtime.get_instance(child.id).state == "terminated"
    done = runtime.get_instance(parent.id)
    assert done.state == "completed"
    ended = [e.element_id for e in runtime.history(parent.id) if e.event == "element.completed"]
    assert "refused-end" in ended
    assert runtime.list_incidents() == []
