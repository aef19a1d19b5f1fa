"""Element templates for inbound webhooks: a start event or a message catch event configured
through ``zeebe:properties`` (see :mod:`stead.connectors.inbound_config`), so the modeler
shows the webhook's fields instead of raw properties."""

from __future__ import annotations

from stead.connectors.api import JsonObject
from stead.connectors.inbound_config import DEFAULT_SIGNATURE_HEADER, WEBHOOK_TYPE
from stead.connectors.templates import SCHEMA_URL

__all__ = ["webhook_templates"]

_GROUPS = [
    {"id": "endpoint", "label": "Endpoint"},
    {"id": "verification", "label": "Verification"},
    {"id": "mapping", "label": "Activation and mapping"},
]
_PATH_PATTERN = r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$"


def _property(name: str, label: str, group: str, description: str, **extra: object) -> JsonObject:
    prop: JsonObject = {
        "id": f"inbound.{name}",
        "label": label,
        "description": description,
        "group": group,
        "type": "String",
        "binding": {"type": "zeebe:property", "name": f"inbound.{name}"},
    }
    prop.update(extra)
    return prop


def _feel(name: str, label: str, description: str, *, required: bool = False) -> JsonObject:
    extra: JsonObject = {"type": "Text", "feel": "required"}
    if required:
        extra["constraints"] = {"notEmpty": True}
    else:
        extra["optional"] = True
    return _property(name, label, "mapping", description, **extra)


def _common() -> list[JsonObject]:
    return [
        {
            "type": "Hidden",
            "value": WEBHOOK_TYPE,
            "binding": {"type": "zeebe:property", "name": "inbound.type"},
        },
        _property(
            "path",
            "Path",
            "endpoint",
            "The webhook answers at /hooks/<path>.",
            constraints={
                "notEmpty": True,
                "pattern": {
                    "value": _PATH_PATTERN,
                    "message": "letters, digits, . _ ~ - in segments separated by /",
                },
            },
        ),
        _property(
            "method",
            "Methods",
            "endpoint",
            "POST, a comma-separated list of GET POST PUT PATCH DELETE, or any.",
            value="POST",
        ),
        _property(
            "verification",
            "Verification",
            "verification",
            "How a caller proves itself.",
            type="Dropdown",
            value="none",
            choices=[
                {"name": "None", "value": "none"},
                {"name": "Bearer token", "value": "token"},
                {"name": "HMAC-SHA256 signature", "value": "hmac-sha256"},
            ],
        ),
        _property(
            "secret",
            "Token or signing key",
            "verification",
            "Reference a stored secret: {{secrets.NAME}}.",
            constraints={"notEmpty": True},
            condition={"property": "inbound.verification", "oneOf": ["token", "hmac-sha256"]},
        ),
        _property(
            "signatureHeader",
            "Signature header",
            "verification",
            "The header carrying sha256=<hex> of the body.",
            value=DEFAULT_SIGNATURE_HEADER,
            condition={"property": "inbound.verification", "equals": "hmac-sha256"},
        ),
        _feel(
            "activationCondition",
            "Activation condition",
            "FEEL over request (method, headers, query, body); only true acts on the call.",
        ),
        _feel(
            "variables",
            "Variables",
            "FEEL over request giving a context: the variables the call passes on.",
        ),
        _feel(
            "response",
            "Response",
            "FEEL over request and the outcome giving the response body.",
        ),
    ]


def webhook_templates() -> list[JsonObject]:
    """The webhook start event template and the webhook message catch event template."""
    base: JsonObject = {
        "$schema": SCHEMA_URL,
        "version": 1,
        "groups": _GROUPS,
    }
    start: JsonObject = {
        **base,
        "name": "Webhook start",
        "id": "stead.connectors.webhook-start",
        "description": "Start an instance when a system calls /hooks/<path>.",
        "appliesTo": ["bpmn:StartEvent"],
        "elementType": {"value": "bpmn:StartEvent"},
        "properties": _common(),
    }
    catch: JsonObject = {
        **base,
        "name": "Webhook message",
        "id": "stead.connectors.webhook-message",
        "description": "Wait until a system calls /hooks/<path> for this instance.",
        "appliesTo": ["bpmn:IntermediateCatchEvent", "bpmn:IntermediateThrowEvent"],
        "elementType": {
            "value": "bpmn:IntermediateCatchEvent",
            "eventDefinition": "bpmn:MessageEventDefinition",
        },
        "properties": [
            {
                "label": "Message name",
                "type": "String",
                "group": "endpoint",
                "binding": {"type": "bpmn:Message#property", "name": "name"},
                "constraints": {"notEmpty": True},
            },
            {
                "label": "Instance correlation key",
                "description": "FEEL over the instance's variables: the key this instance "
                "waits for, e.g. orderId.",
                "type": "String",
                "feel": "required",
                "group": "endpoint",
                "binding": {
                    "type": "bpmn:Message#zeebe:subscription#property",
                    "name": "correlationKey",
                },
                "constraints": {"notEmpty": True},
            },
            *_common(),
            _feel(
                "correlationKey",
                "Request correlation key",
                "FEEL over request giving the key of the instance to reach, e.g. "
                "request.body.orderId.",
                required=True,
            ),
        ],
    }
    return [start, catch]
