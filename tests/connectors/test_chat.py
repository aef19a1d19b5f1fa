"""The chat notification connector against a real local HTTP server standing in for Slack and
Teams incoming webhooks: the bodies they receive and how their answers are classified."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connectors.harness import call_with, deploy_and_start, ended, runner_for, running, settle
from connectors.recording_server import RecordingServer, Reply, http_task_model, recording_server
from stead.connectors.api import ConnectorCall, InputError, PermanentError, TransientError
from stead.connectors.chat import ChatWebhookConnector
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.secrets import SecretResolver
from stead.runtime import Runtime

SECRET_PATH = "/services/T0001/B0002/s3cretToken"


@pytest.fixture
def hook() -> Iterator[RecordingServer]:
    """A webhook receiver on a free port: answers "ok" unless a test scripts otherwise."""
    with recording_server(lambda request: Reply(200, "ok")) as server:
        yield server


def _slowly(reply: Reply, seconds: float) -> Reply:
    time.sleep(seconds)
    return reply


def _url(hook: RecordingServer, path: str) -> str:
    return hook.url + path


def _call(inputs: dict[str, Any]) -> ConnectorCall:
    return call_with(
        ChatWebhookConnector.contract, inputs, element_id="tellTheTeam", key="instance-1:12"
    )


def test_the_contract_marks_secrets_and_names_its_type() -> None:
    contract = ChatWebhookConnector.contract
    assert contract.job_type == "stead:chat-webhook:1"
    # (test_templates checks every built-in contract's schemas, labels and groups)
    assert contract.input_schema["properties"]["webhookUrl"]["x-secret"] is True


def test_slack_gets_text_and_a_header_block(hook: RecordingServer) -> None:
    output = ChatWebhookConnector().run(
        _call(
            {
                "flavour": "slack",
                "webhookUrl": _url(hook, SECRET_PATH),
                "title": "Order 42 failed",
                "text": "Payment was *declined*.",
            }
        )
    )
    assert output == {"status": 200, "body": "ok"}
    [request] = hook.requests
    assert request.path == SECRET_PATH
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == "instance-1:12"
    assert request.json() == {
        "text": "Order 42 failed\nPayment was *declined*.",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Order 42 failed"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "Payment was *declined*."}},
        ],
    }


def test_slack_without_a_title_is_plain_text(hook: RecordingServer) -> None:
    ChatWebhookConnector().run(_call({"webhookUrl": _url(hook, "/slack"), "text": "Deployed."}))
    assert hook.requests[0].json() == {"text": "Deployed."}


def test_teams_gets_an_adaptive_card(hook: RecordingServer) -> None:
    hook.answer(lambda request: Reply(202, None))
    output = ChatWebhookConnector().run(
        _call(
            {
                "flavour": "teams",
                "webhookUrl": _url(hook, "/teams"),
                "title": "Order 42 failed",
                "text": "Payment was declined.",
            }
        )
    )
    assert output == {"status": 202, "body": None}
    [attachment] = hook.requests[0].json()["attachments"]
    assert hook.requests[0].json()["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert [(block["type"], block["text"]) for block in card["body"]] == [
        ("TextBlock", "Order 42 failed"),
        ("TextBlock", "Payment was declined."),
    ]


def test_a_raw_payload_replaces_the_generated_body(hook: RecordingServer) -> None:
    hook.answer(lambda request: Reply(200, {"accepted": True}))
    payload = {"channel": "#ops", "blocks": [{"type": "divider"}], "text": "custom"}
    output = ChatWebhookConnector().run(
        _call(
            {
                "flavour": "generic",
                "webhookUrl": _url(hook, "/generic"),
                "text": "ignored",
                "payload": payload,
            }
        )
    )
    assert hook.requests[0].json() == payload
    assert output == {"status": 200, "body": {"accepted": True}}


def test_generic_sends_text_and_title(hook: RecordingServer) -> None:
    ChatWebhookConnector().run(
        _call(
            {"flavour": "generic", "webhookUrl": _url(hook, "/generic"), "title": "T", "text": "x"}
        )
    )
    assert hook.requests[0].json() == {"text": "x", "title": "T"}


def test_too_many_requests_is_retried_no_sooner_than_retry_after(hook: RecordingServer) -> None:
    hook.answer(lambda request: Reply(429, "rate_limited", {"Retry-After": "7"}))
    with pytest.raises(TransientError, match="answered 429: rate_limited") as caught:
        ChatWebhookConnector().run(_call({"webhookUrl": _url(hook, "/slack"), "text": "hi"}))
    assert caught.value.retry_after == 7.0
    assert caught.value.output == {"status": 429, "body": "rate_limited"}


def test_a_server_error_is_transient(hook: RecordingServer) -> None:
    hook.answer(lambda request: Reply(503, "try later"))
    with pytest.raises(TransientError, match="503") as caught:
        ChatWebhookConnector().run(_call({"webhookUrl": _url(hook, "/slack"), "text": "hi"}))
    assert caught.value.retry_after is None


def test_a_client_error_is_permanent_and_hides_the_webhook_token(hook: RecordingServer) -> None:
    hook.answer(lambda request: Reply(400, "invalid_payload"))
    with pytest.raises(PermanentError, match="answered 400: invalid_payload") as caught:
        ChatWebhookConnector().run(_call({"webhookUrl": _url(hook, SECRET_PATH), "text": "hi"}))
    assert not isinstance(caught.value, TransientError)
    assert "s3cretToken" not in caught.value.message
    assert "127.0.0.1" in caught.value.message


def test_a_slow_webhook_times_out_as_transient(hook: RecordingServer) -> None:
    hook.answer(lambda request: _slowly(Reply(), 3))
    started = time.monotonic()
    with pytest.raises(TransientError, match="did not answer within 1 s"):
        ChatWebhookConnector().run(
            _call({"webhookUrl": _url(hook, "/slow"), "text": "hi", "timeout": 1})
        )
    assert time.monotonic() - started < 2.5


def test_an_unreachable_webhook_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientError, match="cannot reach"):
        ChatWebhookConnector().run(
            _call({"webhookUrl": f"http://127.0.0.1:{port}/x", "text": "hi"})
        )


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"webhookUrl": "ftp://example.com/hook", "text": "hi"}, "webhookUrl"),
        ({"webhookUrl": "not a url", "text": "hi"}, "webhookUrl"),
        ({"webhookUrl": "https://hooks.example/x", "text": "  "}, "text"),
        ({"webhookUrl": "https://hooks.example/x"}, "text"),
    ],
)
def test_bad_inputs_name_their_field(inputs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        ChatWebhookConnector().run(_call(inputs))
    assert caught.value.field_name == field


def test_a_service_task_posts_through_the_runner_with_the_url_from_a_secret(
    hook: RecordingServer, tmp_path: Path
) -> None:
    secrets = SecretResolver(environ={"STEAD_SECRET_TEAM_HOOK": _url(hook, SECRET_PATH)})
    model = http_task_model(
        "announce",
        {
            "flavour": "slack",
            "webhookUrl": "{{secrets.TEAM_HOOK}}",
            "title": "Order shipped",
            "text": '="Order " + orderId + " left the warehouse."',
        },
        {"resultVariable": "posted"},
        job_type="stead:chat-webhook:1",
    )
    runtime = Runtime.open(f"sqlite:///{tmp_path / 'stead.db'}")
    try:
        runner = runner_for(
            runtime, registry=ConnectorRegistry([ChatWebhookConnector()]), secrets=secrets
        )
        with running(runner):
            instance = deploy_and_start(runtime, model, {"orderId": "42"})
            done = settle(runtime, instance.id, ended)
        history = json.dumps([event.data for event in runtime.history(instance.id)], default=str)
    finally:
        runtime.close()
    assert done.state == "completed"
    assert done.variables == {"orderId": "42", "posted": {"status": 200, "body": "ok"}}
    [request] = hook.requests
    assert request.json()["text"] == "Order shipped\nOrder 42 left the warehouse."
    assert "s3cretToken" not in history
