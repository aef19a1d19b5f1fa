"""Element templates are generated from the contracts: every input becomes a field bound to
its zeebe:input, the job type is pinned, and the result headers are there."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from stead.connectors.api import ConnectorContract
from stead.connectors.http import HttpJsonConnector
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.templates import SCHEMA_URL, element_template, element_templates


def by_id(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p.get("id", p["binding"].get("property")): p for p in template["properties"]}


def test_the_http_template_pins_the_job_type_and_binds_every_input() -> None:
    template = element_template(HttpJsonConnector.contract)
    assert template["$schema"] == SCHEMA_URL
    assert template["id"] == "stead.connectors.http-json"
    assert template["version"] == 1
    assert template["appliesTo"] == ["bpmn:Task"]
    assert template["elementType"] == {"value": "bpmn:ServiceTask"}
    fields = by_id(template)
    assert fields["type"] == {
        "type": "Hidden",
        "value": "stead:http-json:1",
        "binding": {"type": "zeebe:taskDefinition", "property": "type"},
    }
    assert fields["url"]["binding"] == {"type": "zeebe:input", "name": "url"}
    assert fields["url"]["constraints"] == {"notEmpty": True}
    assert fields["method"]["type"] == "Dropdown"
    assert {c["value"] for c in fields["method"]["choices"]} >= {"GET", "POST"}
    assert fields["authentication.token"]["binding"] == {
        "type": "zeebe:input",
        "name": "authentication.token",
    }
    assert fields["authentication.token"]["condition"] == {
        "property": "authentication.type",
        "equals": "bearer",
    }
    assert fields["readTimeout"]["feel"] == "required"
    assert fields["resultExpression"]["binding"] == {
        "type": "zeebe:taskHeader",
        "key": "resultExpression",
    }
    groups = {g["id"] for g in template["groups"]}
    assert {p["group"] for p in template["properties"] if "group" in p} <= groups


def test_every_input_of_every_built_in_has_a_field() -> None:
    for template, contract in zip(
        element_templates(ConnectorRegistry.built_in().contracts()),
        ConnectorRegistry.built_in().contracts(),
        strict=True,
    ):
        bound = {
            p["binding"]["name"].split(".")[0]
            for p in template["properties"]
            if p["binding"]["type"] == "zeebe:input"
        }
        assert bound == set(contract.input_schema["properties"]), contract.job_type


def test_defaults_of_feel_fields_are_expressions_and_empty_fields_are_left_out() -> None:
    fields = by_id(element_template(HttpJsonConnector.contract))
    assert fields["readTimeout"]["value"] == "=30"
    assert fields["method"]["value"] == "GET"
    assert fields["headers"]["optional"] is True
    assert "optional" not in fields["url"]
    assert "optional" not in fields["method"]


def test_webhook_templates_write_exactly_the_properties_a_webhook_reads() -> None:
    from stead.connectors.inbound_config import _KNOWN
    from stead.connectors.inbound_templates import webhook_templates

    start, catch = webhook_templates()
    assert start["elementType"] == {"value": "bpmn:StartEvent"}
    assert catch["elementType"]["eventDefinition"] == "bpmn:MessageEventDefinition"
    for template in (start, catch):
        written = {
            p["binding"]["name"].removeprefix("inbound.")
            for p in template["properties"]
            if p["binding"]["type"] == "zeebe:property"
        }
        assert written <= _KNOWN, written - _KNOWN
        assert {"type", "path", "verification", "secret"} <= written
        groups = {g["id"] for g in template["groups"]}
        assert all(p.get("group", "endpoint") in groups for p in template["properties"])
    catch_written = {p["binding"]["name"] for p in catch["properties"]}
    assert "inbound.correlationKey" in catch_written


@pytest.mark.parametrize(
    "contract", ConnectorRegistry.built_in().contracts(), ids=lambda c: c.job_type
)
def test_every_built_in_contract_is_json_schema_with_labels_and_groups(
    contract: ConnectorContract,
) -> None:
    jsonschema.Draft202012Validator.check_schema(contract.input_schema)
    jsonschema.Draft202012Validator.check_schema(contract.output_schema)
    groups = {group for group, _ in contract.groups}
    for name, prop in contract.input_schema["properties"].items():
        assert prop.get("title"), name
        # A nested object (the HTTP connector's authentication) groups its own fields.
        fields = prop.get("properties", {name: prop}) if "x-group" not in prop else {name: prop}
        for field_name, field in fields.items():
            assert field.get("x-group") in groups, f"{name}.{field_name}"
