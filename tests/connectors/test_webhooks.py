"""Inbound webhooks over real HTTP against a real ``stead serve``: HMAC signatures (valid and
forged), tokens, activation conditions, starting and correlating, variable mapping, the FEEL
response, and the deploy errors that keep the webhook table unambiguous."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

import httpx
import pytest
from api.server import (
    SteadServer,
    server_on,
)
from integration.bpmn_models import chain, document

from stead.model import parse_bpmn

HMAC_SECRET = "hmac-shared-secret"
TOKEN = "a-token-only-the-sender-knows"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SteadServer]:
    # The HMAC secret comes from the environment through {{secrets.HOOK_HMAC}}.
    env = {"STEAD_SECRET_HOOK_HMAC": HMAC_SECRET}
    with server_on(request.param, tmp_path_factory.mktemp("webhooks"), extra_env=env) as running:
        yield running


@pytest.fixture(scope="module")
def caller(server: SteadServer) -> Iterator[httpx.Client]:
    """A client with no Stead credentials at all, like an outside system."""
    with server.client() as client:
        yield client


def properties(**settings: str) -> str:
    rows = "".join(
        f"<zeebe:property name={quoteattr('inbound.' + name)} value={quoteattr(value)}/>"
        for name, value in {"type": "stead:webhook:1", **settings}.items()
    )
    properties = f"<zeebe:properties>{rows}</zeebe:properties>"
    return f"<bpmn:extensionElements>{properties}</bpmn:extensionElements>"


def webhook_start(process_id: str, **settings: str) -> bytes:
    """A process started by a webhook, waiting in a user task so its variables can be read."""
    task = "userTask review|<bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>"
    start = f"startEvent hook|{properties(**settings)}"
    return document(process_id, chain(start, task, "endEvent end"))


def webhook_catch(process_id: str, message: str, **settings: str) -> bytes:
    """A process waiting at a webhook catch event for ``message`` correlated by ``orderId``."""
    messages = (
        f'<bpmn:message id="Message_1" name="{message}"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>'
        "</bpmn:message>\n"
    )
    extensions = properties(**settings)
    catch = (
        f"intermediateCatchEvent paid|{extensions}"
        '<bpmn:messageEventDefinition id="MED_1" messageRef="Message_1"/>'
    )
    task = "userTask review|<bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>"
    body = chain("startEvent start", catch, task, "endEvent end")
    return document(process_id, body, messages=messages)


def deploy(server: SteadServer, name: str, content: bytes) -> httpx.Response:
    return server.admin.post("/api/deployments", files=[("files", (name, content))])


def deployed(server: SteadServer, name: str, content: bytes) -> None:
    response = deploy(server, name, content)
    assert response.status_code == 200, response.text


def instances_of(server: SteadServer, process_id: str) -> list[dict[str, Any]]:
    response = server.admin.get("/api/process-instances", params={"processId": process_id})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def instance(server: SteadServer, instance_id: str) -> dict[str, Any]:
    response = server.admin.get(f"/api/process-instances/{instance_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def signed(body: bytes, secret: str = HMAC_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return dict(response.json())


def test_zeebe_properties_are_kept_on_start_and_catch_events() -> None:
    [start_process] = parse_bpmn(webhook_start("parsed-start", path="p1"))
    assert ("inbound.path", "p1") in start_process.element("hook").properties
    [catch_process] = parse_bpmn(webhook_catch("parsed-catch", "m", path="p2"))
    assert dict(catch_process.element("paid").properties)["inbound.type"] == "stead:webhook:1"


def test_a_valid_hmac_signature_starts_an_instance_with_the_mapped_variables(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "orders.bpmn",
        webhook_start(
            "hmac-orders",
            path="orders/new",
            verification="hmac-sha256",
            secret="{{secrets.HOOK_HMAC}}",
            variables="={orderId: request.body.id, total: request.body.amount * 2, "
            'source: get value(request.headers, "x-source")}',
        ),
    )
    body = json.dumps({"id": "A-17", "amount": 21, "ignored": "not mapped"}).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Signature-256": signed(body),
        "X-Source": "shop",
    }
    response = caller.post("/hooks/orders/new", content=body, headers=headers)
    assert response.status_code == 200, response.text
    started = response.json()
    assert started["status"] == "started"
    variables = instance(server, started["instanceId"])["variables"]
    assert variables == {"orderId": "A-17", "total": 42, "source": "shop"}


def test_a_forged_or_missing_signature_is_refused_and_starts_nothing(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "forged.bpmn",
        webhook_start("hmac-forged", path="forged", verification="hmac-sha256", secret=HMAC_SECRET),
    )
    body = b'{"id": 1}'
    forged = caller.post(
        "/hooks/forged", content=body, headers={"X-Signature-256": signed(body, "guessed")}
    )
    assert "signature" in assert_problem(forged, 401)["detail"]
    tampered = caller.post(
        "/hooks/forged", content=b'{"id": 2}', headers={"X-Signature-256": signed(body)}
    )
    assert_problem(tampered, 401)
    assert_problem(caller.post("/hooks/forged", content=body), 401)
    assert instances_of(server, "hmac-forged") == []
    accepted = caller.post("/hooks/forged", content=body, headers={"X-Signature-256": signed(body)})
    assert accepted.status_code == 200, accepted.text
    assert len(instances_of(server, "hmac-forged")) == 1


def test_a_secret_that_is_not_set_makes_the_webhook_unavailable_without_naming_it(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "unset.bpmn",
        webhook_start(
            "unset-secret", path="unset", verification="token", secret="{{secrets.NOT_SET}}"
        ),
    )
    answer = caller.post("/hooks/unset", json={}, headers={"X-Stead-Token": "anything"})
    assert "NOT_SET" not in assert_problem(answer, 503)["detail"]
    assert instances_of(server, "unset-secret") == []


def test_a_token_is_accepted_as_bearer_or_header_and_a_wrong_one_refused(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "token.bpmn",
        webhook_start(
            "token-hook",
            path="token",
            verification="token",
            secret=TOKEN,
            variables="={headers: request.headers}",
        ),
    )
    wrong = caller.post("/hooks/token", json={}, headers={"Authorization": "Bearer nope"})
    assert_problem(wrong, 401)
    assert_problem(caller.post("/hooks/token", json={}), 401)
    bearer = caller.post("/hooks/token", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert bearer.status_code == 200, bearer.text
    header = caller.post("/hooks/token", json={}, headers={"X-Stead-Token": TOKEN})
    assert header.status_code == 200, header.text
    started = instances_of(server, "token-hook")
    assert len(started) == 2
    # The token never reaches the variables, even when the model copies every header.
    assert TOKEN not in json.dumps([instance(server, i["id"])["variables"] for i in started])


def test_a_false_activation_condition_is_acknowledged_and_starts_nothing(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "activation.bpmn",
        webhook_start(
            "activated-hook",
            path="events",
            activationCondition='=request.body.kind = "order.created"',
        ),
    )
    ignored = caller.post("/hooks/events", json={"kind": "order.deleted"})
    assert ignored.status_code == 202, ignored.text
    assert ignored.json()["status"] == "ignored"
    assert instances_of(server, "activated-hook") == []
    taken = caller.post("/hooks/events", json={"kind": "order.created"})
    assert taken.status_code == 200, taken.text
    assert len(instances_of(server, "activated-hook")) == 1


def test_a_catch_event_correlates_the_message_by_the_key_from_the_request(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "payments.bpmn",
        webhook_catch(
            "await-payment",
            "payment-received",
            path="payments",
            correlationKey="=request.body.order",
            variables="={paidAmount: request.body.amount}",
        ),
    )
    waiting = server.admin.post(
        "/api/process-instances",
        json={"processId": "await-payment", "variables": {"orderId": "O-9"}},
    ).json()
    other = server.admin.post(
        "/api/process-instances",
        json={"processId": "await-payment", "variables": {"orderId": "O-10"}},
    ).json()
    response = caller.post("/hooks/payments", json={"order": "O-9", "amount": 12.5})
    assert response.status_code == 200, response.text
    assert response.json()["correlated"] == [waiting["id"]]
    after = instance(server, waiting["id"])
    assert after["variables"] == {"orderId": "O-9", "paidAmount": 12.5}
    assert [w["elementId"] for w in after["waiting"]] == ["review"]
    assert [w["elementId"] for w in instance(server, other["id"])["waiting"]] == ["paid"]
    nobody = caller.post("/hooks/payments", json={"order": "O-404", "amount": 1})
    assert nobody.status_code == 200, nobody.text
    assert nobody.json()["status"] == "no-match"


def test_a_message_start_event_webhook_publishes_its_message(
    server: SteadServer, caller: httpx.Client
) -> None:
    messages = '<bpmn:message id="Message_1" name="ticket-opened"/>\n'
    start = (
        f"startEvent hook|{properties(path='tickets', variables='={ticket: request.body.id}')}"
        '<bpmn:messageEventDefinition id="MED_1" messageRef="Message_1"/>'
    )
    task = "userTask review|<bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>"
    body = chain(start, task, "endEvent end")
    deployed(server, "tickets.bpmn", document("ticket-hook", body, messages=messages))
    response = caller.post("/hooks/tickets", json={"id": "T-1"})
    assert response.status_code == 200, response.text
    [started] = response.json()["started"]
    assert instance(server, started)["variables"] == {"ticket": "T-1"}


def test_the_response_is_the_feel_response_over_request_and_instance(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(
        server,
        "response.bpmn",
        webhook_start(
            "answering-hook",
            path="answer",
            method="POST,PUT",
            response="={received: request.body.name, instance: processInstance.id, "
            "query: request.query.mode}",
        ),
    )
    response = caller.put("/hooks/answer?mode=test", json={"name": "Ada"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["received"], body["query"]) == ("Ada", "test")
    assert instance(server, body["instance"])["processId"] == "answering-hook"
    refused = caller.get("/hooks/answer")
    assert_problem(refused, 405)
    assert refused.headers["allow"] == "POST, PUT"


def test_an_idempotency_key_starts_one_instance_for_repeated_calls(
    server: SteadServer, caller: httpx.Client
) -> None:
    deployed(server, "idempotent.bpmn", webhook_start("idempotent-hook", path="idempotent"))
    headers = {"Idempotency-Key": "delivery-1"}
    first = caller.post("/hooks/idempotent", json={}, headers=headers).json()
    again = caller.post("/hooks/idempotent", json={}, headers=headers).json()
    assert first["instanceId"] == again["instanceId"]
    assert len(instances_of(server, "idempotent-hook")) == 1


def test_unknown_paths_and_bad_bodies_are_problems(
    server: SteadServer, caller: httpx.Client
) -> None:
    assert (
        "no webhook" in assert_problem(caller.post("/hooks/nothing/here", json={}), 404)["detail"]
    )
    deployed(server, "json.bpmn", webhook_start("json-hook", path="json"))
    broken = caller.post(
        "/hooks/json", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert "not valid JSON" in assert_problem(broken, 400)["detail"]


def test_settings_that_cannot_work_are_deploy_errors_naming_the_element(
    server: SteadServer,
) -> None:
    no_path = assert_problem(deploy(server, "a.bpmn", webhook_start("no-path")), 422)
    assert any(e["field"] == "hook" and "inbound.path" in e["reason"] for e in no_path["errors"])
    bad_feel = webhook_start("bad-feel", path="bad", variables="={a: }")
    problem = assert_problem(deploy(server, "b.bpmn", bad_feel), 422)
    assert any(
        e["field"] == "hook" and "inbound.variables is not valid FEEL" in e["reason"]
        for e in problem["errors"]
    )
    no_secret = webhook_start("no-secret", path="s", verification="hmac-sha256")
    problem = assert_problem(deploy(server, "c.bpmn", no_secret), 422)
    assert "needs inbound.secret" in problem["detail"]
    no_key = webhook_catch("no-key", "m", path="k")
    assert (
        "inbound.correlationKey" in assert_problem(deploy(server, "d.bpmn", no_key), 422)["detail"]
    )


def test_two_processes_cannot_claim_one_path(server: SteadServer) -> None:
    deployed(server, "first.bpmn", webhook_start("first-owner", path="shared"))
    # The same process may be redeployed with the path.
    deployed(server, "first.bpmn", webhook_start("first-owner", path="/shared/", method="any"))
    problem = assert_problem(
        deploy(server, "second.bpmn", webhook_start("second-owner", path="shared")), 422
    )
    assert "'second-owner'" in problem["detail"]
    assert "'first-owner'" in problem["detail"]
    assert instances_of(server, "second-owner") == []
    assert server.admin.get("/api/process-definitions/second-owner").status_code == 404
