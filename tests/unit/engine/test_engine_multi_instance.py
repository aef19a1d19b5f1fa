"""Multi-instance activities: parallel and sequential, output collection, completion
condition, empty collections, sub-processes and boundary events on the body."""

from __future__ import annotations

from engine_harness import Driver, bpmn, chain, script_task

from stead.engine.effects import CancelJob


def _loop(sequential: bool, completion: str = "", output: bool = True) -> str:
    seq = ' isSequential="true"' if sequential else ""
    out = ' outputCollection="results" outputElement="=result"' if output else ""
    condition = (
        f'<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">{completion}'
        "</bpmn:completionCondition>"
        if completion
        else ""
    )
    return (
        f"<bpmn:multiInstanceLoopCharacteristics{seq}><bpmn:extensionElements>"
        f'<zeebe:loopCharacteristics inputCollection="=items" inputElement="item"{out}/>'
        f"</bpmn:extensionElements>{condition}</bpmn:multiInstanceLoopCharacteristics>"
    )


def _mi_task(sequential: bool, completion: str = "", boundary: str = "") -> str:
    return (
        '<bpmn:startEvent id="start"/>'
        '<bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="work"/></bpmn:extensionElements>'
        + _loop(sequential, completion)
        + "</bpmn:serviceTask>"
        + boundary
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "t", "end")
    )


def _jobs_in_order(driver: Driver) -> list[int]:
    return sorted(driver.jobs)


def test_parallel_multi_instance_collects_outputs_in_input_order() -> None:
    driver = Driver(bpmn(_mi_task(sequential=False)), {"items": ["a", "b", "c"]})
    jobs = [driver.jobs[k] for k in _jobs_in_order(driver)]
    assert [j.variables["item"] for j in jobs] == ["a", "b", "c"]
    assert [j.variables["loopCounter"] for j in jobs] == [1, 2, 3]
    assert driver.waiting == ["t", "t", "t"]
    # Complete out of order: the collection keeps the input order.
    from stead.engine.commands import CompleteJob

    for job, value in ((jobs[2], "C"), (jobs[0], "A"), (jobs[1], "B")):
        del driver.jobs[job.job_key]
        driver.apply(CompleteJob(job.job_key, {"result": value}))
    assert driver.status == "completed"
    assert driver.variables["results"] == ["A", "B", "C"]
    assert "result" not in driver.variables
    assert "item" not in driver.variables
    assert "loopCounter" not in driver.variables


def test_sequential_multi_instance_runs_one_item_at_a_time() -> None:
    driver = Driver(bpmn(_mi_task(sequential=True)), {"items": [1, 2]})
    assert len(driver.jobs) == 1
    assert driver.job("t").variables["item"] == 1
    driver.complete_job("t", {"result": 10})
    assert driver.job("t").variables["item"] == 2
    driver.complete_job("t", {"result": 20})
    assert driver.status == "completed"
    assert driver.variables["results"] == [10, 20]


def test_completion_condition_ends_the_remaining_instances() -> None:
    driver = Driver(
        bpmn(_mi_task(sequential=False, completion="=numberOfCompletedInstances &gt;= 2")),
        {"items": [1, 2, 3]},
    )
    from stead.engine.commands import CompleteJob

    keys = _jobs_in_order(driver)
    for key in keys[:2]:
        del driver.jobs[key]
        driver.apply(CompleteJob(key, {"result": key}))
    assert driver.status == "completed"
    assert CancelJob(keys[2]) in driver.effects
    assert driver.variables["results"] == [keys[0], keys[1], None]


def test_empty_collection_completes_at_once() -> None:
    driver = Driver(bpmn(_mi_task(sequential=False)), {"items": []})
    assert driver.status == "completed"
    assert driver.variables["results"] == []


def test_input_collection_that_is_not_a_list_raises_incident() -> None:
    driver = Driver(bpmn(_mi_task(sequential=False)), {"items": "abc"})
    incident = driver.incident()
    assert incident.element_id == "t"
    assert "input collection" in incident.message


def test_multi_instance_sub_process_gives_each_iteration_its_own_scope() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/><bpmn:subProcess id="sub">'
        + _loop(sequential=False)
        + '<bpmn:startEvent id="s_start"/>'
        + script_task("double", "=item * 2", "result")
        + '<bpmn:endEvent id="s_end"/>'
        + chain("s_start", "double", "s_end", prefix="sf")
        + "</bpmn:subProcess>"
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "sub", "end")
    )
    driver = Driver(definition, {"items": [1, 2, 3]})
    assert driver.status == "completed"
    assert driver.variables["results"] == [2, 4, 6]


def test_boundary_event_on_multi_instance_interrupts_every_iteration() -> None:
    boundary = (
        '<bpmn:boundaryEvent id="late" attachedToRef="t"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:boundaryEvent><bpmn:endEvent id="timed_out"/>'
        + chain("late", "timed_out", prefix="b")
    )
    driver = Driver(bpmn(_mi_task(sequential=False, boundary=boundary)), {"items": [1, 2]})
    assert len(driver.timers) == 1
    keys = _jobs_in_order(driver)
    driver.fire("late")
    assert driver.status == "completed"
    assert all(CancelJob(k) in driver.effects for k in keys)
    assert driver.path()[-2:] == ["timed_out", "p"]
