"""Deploying a model checks its connector tasks against the contracts: a missing required input
or an unknown connector version is a deploy error naming the element; nothing is deployed."""

from __future__ import annotations

import pytest

from connectors.recording_server import http_task_model
from stead.model import ModelError
from stead.runtime import Runtime


def test_a_missing_required_input_is_a_deploy_error_on_the_element(runtime: Runtime) -> None:
    model = http_task_model("no-url", {"method": "GET"})
    with pytest.raises(ModelError) as raised:
        runtime.deploy_bytes("crm.bpmn", model)
    assert str(raised.value) == (
        "crm.bpmn: call: connector stead:http-json:1 needs input 'url' "
        "(a zeebe:input with target 'url')"
    )
    assert raised.value.problems[0].element_id == "call"
    assert runtime.list_definitions() == []


def test_an_unknown_version_of_a_known_connector_lists_the_known_ones(runtime: Runtime) -> None:
    model = http_task_model("v9", {"url": "http://x"}, job_type="stead:http-json:9")
    with pytest.raises(ModelError, match=r"call: connector stead:http-json has no version 9 "):
        runtime.deploy_bytes("v9.bpmn", model)
    with pytest.raises(ModelError, match=r"\(known: stead:http-json:1\)"):
        runtime.deploy_bytes("v9.bpmn", model)


def test_a_nested_input_target_maps_its_input(runtime: Runtime) -> None:
    model = http_task_model(
        "nested",
        {"method": "GET", "url": "http://x", "authentication.type": "none"},
    )
    [deployed] = runtime.deploy_bytes("nested.bpmn", model)
    assert deployed.process_id == "nested"


def test_job_types_of_external_workers_are_left_alone(runtime: Runtime) -> None:
    model = http_task_model("worker", {}, job_type="charge-card")
    assert runtime.deploy_bytes("worker.bpmn", model)[0].created
    model = http_task_model("versioned-worker", {}, job_type="acme:billing:2")
    assert runtime.deploy_bytes("versioned.bpmn", model)[0].created


def test_an_input_left_empty_in_the_modeler_is_missing(runtime: Runtime) -> None:
    # The modeler writes an empty field as a zeebe:input without source.
    model = http_task_model("empty-url", {"method": "GET", "url": ""}).replace(
        b'source="" target="url"', b'target="url"'
    )
    assert b'<zeebe:input target="url"/>' in model
    with pytest.raises(ModelError, match="call: connector stead:http-json:1 needs input 'url'"):
        runtime.deploy_bytes("empty.bpmn", model)
