"""The chat notification connector: post a message to a Slack- or Teams-style incoming webhook
(or any endpoint taking a small JSON body)."""

from __future__ import annotations

from typing import Any

import httpx

from stead.connectors.api import (
    Connector,
    ConnectorCall,
    ConnectorContract,
    InputError,
    JsonObject,
    TransientError,
)
from stead.connectors.http import IDEMPOTENCY_HEADER, raise_for_outcome, response_body

__all__ = ["ChatWebhookConnector", "message_body"]


class _TransientStatuses:
    """429 (rate limited) and every 5xx: worth another attempt."""

    def __contains__(self, status: object) -> bool:
        return status == 429 or (isinstance(status, int) and status >= 500)


_TRANSIENT = _TransientStatuses()
_SLACK_HEADER_LIMIT = 150  # Slack refuses a header block longer than this
_SLACK_SECTION_LIMIT = 3000  # ... and a section text longer than this
_ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"

_INPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["webhookUrl"],
    "properties": {
        "flavour": {
            "type": "string",
            "enum": ["slack", "teams", "generic"],
            "default": "slack",
            "title": "Chat service",
            "description": "slack: a Slack incoming webhook; teams: a Microsoft Teams "
            "workflow or incoming webhook (an Adaptive Card); generic: {text, title} as JSON.",
            "x-group": "destination",
        },
        "webhookUrl": {
            "type": "string",
            "title": "Webhook URL",
            "description": "The incoming webhook's address. Anyone who has it can post, so "
            "keep it in the secret store.",
            "x-group": "destination",
            "x-secret": True,
        },
        "title": {
            "type": ["string", "null"],
            "title": "Title",
            "description": "Optional heading shown above the text.",
            "x-group": "message",
            "x-feel": "optional",
        },
        "text": {
            "type": ["string", "null"],
            "title": "Text",
            "description": 'The message; FEEL builds it, e.g. ="Order " + orderId + " failed".',
            "x-group": "message",
            "x-feel": "optional",
            "x-multiline": True,
        },
        "payload": {
            "type": ["object", "null"],
            "title": "Raw payload",
            "description": "A context sent as the whole JSON body instead of the one built "
            "from title and text (for Slack blocks or a custom card).",
            "x-group": "message",
            "x-feel": "required",
            "x-multiline": True,
        },
        "timeout": {
            "type": "integer",
            "minimum": 1,
            "maximum": 300,
            "default": 30,
            "title": "Timeout (seconds)",
            "x-group": "destination",
        },
    },
}

_OUTPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["status", "body"],
    "properties": {
        "status": {"type": "integer", "description": "The webhook's HTTP status."},
        "body": {"description": "Its answer: parsed JSON, text, or null when empty."},
    },
}


class ChatWebhookConnector(Connector):
    """Posts one message per call; 429, 5xx and network failures are retried."""

    contract = ConnectorContract(
        id="stead:chat-webhook",
        version=1,
        name="Chat notification",
        description="Post a message to a Slack or Microsoft Teams channel through an "
        "incoming webhook.",
        input_schema=_INPUT_SCHEMA,
        output_schema=_OUTPUT_SCHEMA,
        groups=(("destination", "Destination"), ("message", "Message")),
    )

    def run(self, call: ConnectorCall) -> JsonObject:
        inputs = call.inputs
        url = _webhook_url(inputs["webhookUrl"])
        body = message_body(inputs)
        service = f"the {inputs.get('flavour', 'slack')} webhook at {url.host}"
        timeout = float(inputs.get("timeout", 30))
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False) as client:
                response = client.post(
                    url, json=body, headers={IDEMPOTENCY_HEADER: call.idempotency_key}
                )
        except httpx.TimeoutException:
            raise TransientError(f"{service} did not answer within {timeout:g} s") from None
        except httpx.TransportError as error:
            raise TransientError(f"cannot reach {service}: {error}") from None
        output = {"status": response.status_code, "body": response_body(response)}
        raise_for_outcome(
            response,
            output,
            describe=lambda status: f"{service} answered {status}",
            transient=_TRANSIENT,
            permanent_from=300,
        )
        return output


def message_body(inputs: JsonObject) -> JsonObject:
    """The JSON body the webhook receives: the raw payload, or one built for the flavour."""
    payload = inputs.get("payload")
    if payload is not None:
        return dict(payload)
    text = inputs.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("text", "give the message text (or a raw payload)")
    title = inputs.get("title") or None
    flavour = inputs.get("flavour", "slack")
    if flavour == "teams":
        return _teams(title, text)
    if flavour == "slack":
        return _slack(title, text)
    return {"text": text, **({"title": title} if title else {})}


def _slack(title: str | None, text: str) -> JsonObject:
    if title is None:
        return {"text": text}
    heading = title if len(title) <= _SLACK_HEADER_LIMIT else title[: _SLACK_HEADER_LIMIT - 1] + "…"
    sections = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": text[start : start + _SLACK_SECTION_LIMIT]},
        }
        for start in range(0, len(text), _SLACK_SECTION_LIMIT)
    ]
    # The top-level text is what notifications and screen readers show next to the blocks.
    return {
        "text": f"{title}\n{text}",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": heading}}, *sections],
    }


def _teams(title: str | None, text: str) -> JsonObject:
    blocks: list[JsonObject] = []
    if title is not None:
        blocks.append(
            {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True}
        )
    blocks.append({"type": "TextBlock", "text": text, "wrap": True})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": blocks,
    }
    return {
        "type": "message",
        "attachments": [{"contentType": _ADAPTIVE_CARD, "contentUrl": None, "content": card}],
    }


def _webhook_url(value: Any) -> httpx.URL:
    # The URL itself is a credential: messages name its host, never the whole of it.
    try:
        url = httpx.URL(str(value))
    except httpx.InvalidURL:
        raise InputError("webhookUrl", "is not a valid URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InputError("webhookUrl", "must be an http:// or https:// address")
    return url
