"""Scoped variables: input/output mappings, propagation, sub-process locals, expression
incidents."""

from __future__ import annotations

import pytest
from engine_harness import Driver, bpmn, chain, script_task, service_task

from stead.engine import CommandRejected, job_variables
from stead.engine.commands import SetVariables
from stead.engine.effects import RaiseIncident


def _io(inputs: str = "", outputs: str = "") -> str:
    return f"<zeebe:ioMapping>{inputs}{outputs}</zeebe:ioMapping>"


def _in(source: str, target: str) -> str:
    return f'<zeebe:input source="{source}" target="{target}"/>'


def _out(source: str, target: str) -> str:
    return f'<zeebe:output source="{source}" target="{target}"/>'


def _one_task(task: str) -> Driver:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        + task
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "t", "end")
    )
    return Driver(definition, {"order": {"id": "o-1", "total": 40}, "customer": "c-9"})


def test_input_mappings_give_the_job_local_variables_that_do_not_leak() -> None:
    driver = _one_task(
        service_task("t", inner=_io(_in("=order.total", "price") + _in("=order.id", "ref.id")))
    )
    job = driver.job("t")
    assert job.variables["price"] == 40
    assert job.variables["ref"] == {"id": "o-1"}
    [activated] = [e for e in driver.history("element.activated") if e.element_id == "t"]
    assert activated.data == {"input": {"price": 40, "ref": {"id": "o-1"}}}
    driver.complete_job("t", {"status": "paid"})
    assert driver.variables == {
        "order": {"id": "o-1", "total": 40},
        "customer": "c-9",
        "status": "paid",
    }


def test_output_mappings_replace_the_default_propagation() -> None:
    driver = _one_task(
        service_task("t", inner=_io(outputs=_out("=status", "paymentStatus") + _out("=1", "n.m")))
    )
    driver.complete_job("t", {"status": "paid", "noise": True})
    assert driver.variables["paymentStatus"] == "paid"
    assert driver.variables["n"] == {"m": 1}
    assert "status" not in driver.variables
    assert "noise" not in driver.variables
    [done] = [e for e in driver.history("element.completed") if e.element_id == "t"]
    assert done.data == {"output": {"paymentStatus": "paid", "n.m": 1}}


def test_output_mapping_to_a_nested_path_keeps_the_rest_of_the_context() -> None:
    driver = _one_task(service_task("t", inner=_io(outputs=_out("=state", "order.state"))))
    driver.complete_job("t", {"state": "shipped"})
    assert driver.variables["order"] == {"id": "o-1", "total": 40, "state": "shipped"}


def test_failing_input_mapping_raises_incident_that_a_retry_resolves() -> None:
    driver = _one_task(service_task("t", inner=_io(_in("=missing.value", "v"))))
    incident = driver.incident()
    assert incident.element_id == "t"
    assert incident.kind == "expression"
    assert "missing.value" in incident.message
    assert "input mapping 'v'" in incident.message
    assert driver.waiting == ["t"]
    assert driver.state.waiting[0].kind == "incident"
    assert driver.jobs == {}
    driver.apply(SetVariables({"missing": {"value": 5}}))
    driver.resolve()
    assert driver.incidents == {}
    assert driver.job("t").variables["v"] == 5


def test_sub_process_locals_stay_inside_and_other_variables_propagate_to_root() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:subProcess id="sub"><bpmn:extensionElements>'
        + _io(_in("=10", "limit"), _out("=limit * 2", "doubled"))
        + '</bpmn:extensionElements><bpmn:startEvent id="s_start"/>'
        + script_task("inner", "=limit + 1", "result")
        + '<bpmn:endEvent id="s_end"/>'
        + chain("s_start", "inner", "s_end", prefix="sf")
        + "</bpmn:subProcess>"
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "sub", "end")
    )
    driver = Driver(definition, {})
    assert driver.status == "completed"
    assert driver.variables == {"result": 11, "doubled": 20}
    assert driver.path() == ["start", "s_start", "inner", "s_end", "sub", "end", "p"]


def test_job_result_updates_the_variable_in_the_nearest_scope_defining_it() -> None:
    definition = bpmn(
        '<bpmn:startEvent id="start"/>'
        '<bpmn:subProcess id="sub"><bpmn:extensionElements>'
        + _io(_in("=0", "counter"), _out("=counter", "final"))
        + '</bpmn:extensionElements><bpmn:startEvent id="s_start"/>'
        + service_task("work")
        + '<bpmn:endEvent id="s_end"/>'
        + chain("s_start", "work", "s_end", prefix="sf")
        + "</bpmn:subProcess>"
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "sub", "end")
    )
    driver = Driver(definition, {"counter": 100})
    driver.complete_job("work", {"counter": 1, "other": "x"})
    assert driver.variables == {"counter": 100, "final": 1, "other": "x"}


def test_script_with_unknown_variable_raises_incident_naming_the_expression() -> None:
    driver = _one_task(script_task("t", "=price * 2", "twice"))
    [incident] = driver.last(RaiseIncident)
    assert incident.element_id == "t"
    assert "'=price * 2'" in incident.message
    assert "price" in incident.message
    driver.apply(SetVariables({"price": 4}))
    driver.resolve()
    assert driver.status == "completed"
    assert driver.variables["twice"] == 8


def test_set_local_variables_on_an_element_instance() -> None:
    driver = _one_task(service_task("t"))
    key = driver.job("t").element_instance_key
    driver.apply(SetVariables({"only_here": 1}, element_instance_key=key, local=True))
    assert "only_here" not in driver.variables
    driver.complete_job("t")
    assert "only_here" not in driver.variables


def test_a_job_sees_variables_set_after_it_was_created() -> None:
    driver = _one_task(service_task("t", inner=_io(_in("=order.total", "price"))))
    job = driver.job("t")
    driver.apply(SetVariables({"customer": "c-10", "price": 99}))
    current = job_variables(driver.state, job.job_key)
    assert current["customer"] == "c-10"
    # The task's own input mapping still shadows a root variable of the same name.
    assert current["price"] == 40


def test_job_variables_of_an_unknown_job_is_rejected() -> None:
    driver = _one_task(service_task("t"))
    with pytest.raises(CommandRejected) as rejected:
        job_variables(driver.state, 999)
    assert rejected.value.reason == "not-found"
