"""Camunda 8 element templates generated from connector contracts, so the modeler's properties
panel always matches what the runner checks."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from stead.connectors.api import ConnectorContract, JsonObject

__all__ = ["SCHEMA_URL", "contract_json", "element_template", "element_templates"]

SCHEMA_URL = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"
_OUTPUT_GROUP = ("output", "Output mapping")
_ERROR_GROUP = ("errors", "Error handling")


def template_id(contract: ConnectorContract) -> str:
    """``stead.connectors.<name>`` for Stead's ``stead:<name>``; a custom connector's id with
    dots for colons (``acme:greet`` -> ``acme.greet``)."""
    prefix, _, name = contract.id.partition(":")
    if prefix == "stead" and name:
        return f"stead.connectors.{name}"
    return contract.id.replace(":", ".")


def _field_type(schema: JsonObject) -> str:
    if "enum" in schema:
        return "Dropdown"
    if schema.get("x-multiline"):
        return "Text"
    return "String"


def _condition(schema: JsonObject, prefix: str) -> JsonObject | None:
    condition = schema.get("x-condition")
    if not isinstance(condition, dict):
        return None
    result: JsonObject = {"property": prefix + condition["property"]}
    if "equals" in condition:
        result["equals"] = condition["equals"]
    else:
        result["oneOf"] = list(condition["oneOf"])
    return result


def _property(name: str, schema: JsonObject, required: bool, prefix: str) -> JsonObject:
    prop: JsonObject = {
        "id": prefix + name,
        "label": schema.get("title", name),
        "type": _field_type(schema),
        "binding": {"type": "zeebe:input", "name": name},
    }
    if "description" in schema:
        prop["description"] = schema["description"]
    if "x-group" in schema:
        prop["group"] = schema["x-group"]
    if "enum" in schema:
        prop["choices"] = [{"name": str(v), "value": str(v)} for v in schema["enum"]]
    feel = schema.get("x-feel")
    if feel in ("optional", "required") and "enum" not in schema:
        prop["feel"] = feel
    elif "enum" not in schema and schema.get("type") in ("number", "integer", "boolean"):
        # Numbers and booleans must reach the connector typed, so they are FEEL.
        prop["feel"] = "required"
    if "default" in schema:
        default = schema["default"]
        # A FEEL field's value is an expression: "=10" is the number, "10" would be text.
        prop["value"] = (
            f"={json.dumps(default)}" if prop.get("feel") == "required" else str(default)
        )
    if required:
        prop["constraints"] = {"notEmpty": True}
    elif "enum" not in schema:
        # Left empty, the field writes no zeebe:input at all (not an empty expression).
        prop["optional"] = True
    if schema.get("x-secret"):
        hint = "Use {{secrets.NAME}} to take the value from the secret store."
        prop["description"] = f"{prop.get('description', '')} {hint}".strip()
    condition = _condition(schema, "")
    if condition is not None:
        prop["condition"] = condition
    return prop


def _input_properties(contract: ConnectorContract) -> list[JsonObject]:
    properties: list[JsonObject] = []
    required = set(contract.required_inputs)
    for name, schema in contract.input_schema.get("properties", {}).items():
        nested = schema.get("properties") if schema.get("type") == "object" else None
        if isinstance(nested, dict):
            # An object with declared fields: one field each, bound to "name.field".
            inner_required = set(schema.get("required", ()))
            for child, child_schema in nested.items():
                prop = _property(
                    f"{name}.{child}",
                    child_schema,
                    name in required and child in inner_required,
                    "",
                )
                properties.append(prop)
        else:
            properties.append(_property(name, schema, name in required, ""))
    return properties


def _header(key: str, label: str, group: str, description: str, feel: bool) -> JsonObject:
    prop: JsonObject = {
        "id": key,
        "label": label,
        "description": description,
        "group": group,
        "type": "String" if not feel else "Text",
        "optional": True,
        "binding": {"type": "zeebe:taskHeader", "key": key},
    }
    if feel:
        prop["feel"] = "required"
    return prop


def element_template(contract: ConnectorContract) -> JsonObject:
    """One element template: a hidden job type, a field per input, the result headers."""
    groups = [{"id": gid, "label": label} for gid, label in contract.groups]
    for gid, label in (_OUTPUT_GROUP, _ERROR_GROUP):
        if gid not in {g["id"] for g in groups}:
            groups.append({"id": gid, "label": label})
    properties: list[JsonObject] = [
        {
            "type": "Hidden",
            "value": contract.job_type,
            "binding": {"type": "zeebe:taskDefinition", "property": "type"},
        },
        *_input_properties(contract),
        _header(
            "resultVariable",
            "Result variable",
            "output",
            "Store the whole output in this variable.",
            feel=False,
        ),
        _header(
            "resultExpression",
            "Result expression",
            "output",
            "A FEEL context over the output's fields, merged into the variables.",
            feel=True,
        ),
        _header(
            "errorExpression",
            "Error expression",
            "errors",
            'FEEL over the output (and "error"); bpmnError(code, message) throws a BPMN error.',
            feel=True,
        ),
    ]
    template: JsonObject = {
        "$schema": SCHEMA_URL,
        "name": contract.name,
        "id": template_id(contract),
        "version": contract.version,
        "description": contract.description,
        "appliesTo": ["bpmn:Task"],
        "elementType": {"value": "bpmn:ServiceTask"},
        "groups": groups,
        "properties": properties,
    }
    if contract.documentation_url:
        template["documentationRef"] = contract.documentation_url
    return template


def element_templates(contracts: Iterable[ConnectorContract]) -> list[JsonObject]:
    return [element_template(contract) for contract in contracts]


def contract_json(contract: ConnectorContract) -> dict[str, Any]:
    """A contract as the API shows it."""
    return {
        "id": contract.id,
        "version": contract.version,
        "jobType": contract.job_type,
        "name": contract.name,
        "description": contract.description,
        "inputSchema": contract.input_schema,
        "outputSchema": contract.output_schema,
        "documentationUrl": contract.documentation_url,
    }
