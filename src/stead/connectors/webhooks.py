"""The inbound webhook connector: a call to ``/hooks/{path}`` verified, checked against its
activation condition, and turned into a started instance or a published message, answered
with the model's FEEL response.

The HTTP layer (``stead.api.routes.hooks``) only translates requests and responses; everything
a webhook does is here, over the command layer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from stead.commands import Commands
from stead.connectors.api import PermanentError
from stead.connectors.inbound_config import WebhookEndpoint
from stead.connectors.inbound_table import AmbiguousPathError, WebhookTable
from stead.connectors.secrets import SecretResolver, substitute
from stead.feel import CompiledExpression, from_json, to_json
from stead.runtime.errors import SteadError

__all__ = ["InboundRequest", "InboundResponse", "WebhookReceiver"]

_ACTOR = "webhook"
_log = logging.getLogger("stead.connectors.webhooks")
_TOKEN_HEADERS = ("authorization", "x-stead-token")


@dataclass(frozen=True, slots=True)
class InboundRequest:
    """One HTTP call as a webhook sees it; header names are lower case."""

    method: str
    path: str
    headers: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class InboundResponse:
    """What to answer: a JSON body, or a problem (``problem`` set: ``body`` is unused)."""

    status: int
    body: Any = None
    problem: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _problem(status: int, detail: str, **headers: str) -> InboundResponse:
    return InboundResponse(status, problem=detail, headers=dict(headers))


class WebhookReceiver:
    """Answers webhook calls for one database."""

    def __init__(self, commands: Commands, resolver: SecretResolver) -> None:
        runtime = commands.runtime
        self.commands = commands
        self.resolver = resolver
        self.table = WebhookTable(runtime.database, runtime.tenant, runtime.definitions.get)

    def handle(self, request: InboundRequest) -> InboundResponse:
        try:
            endpoint = self.table.find(request.path)
        except AmbiguousPathError as error:
            return _problem(409, str(error))
        if endpoint is None:
            return _problem(404, f"no webhook at /hooks/{request.path}")
        if request.method not in endpoint.methods:
            allowed = ", ".join(sorted(endpoint.methods))
            return _problem(
                405, f"the webhook at /hooks/{request.path} accepts {allowed}", Allow=allowed
            )
        refused = self._verify(endpoint, request)
        if refused is not None:
            return refused
        try:
            body = _parse_body(request)
        except ValueError as error:
            return _problem(400, str(error))
        headers = dict(request.headers)
        if endpoint.verification == "token":
            # The token is a credential: no mapping may copy it into variables or a response.
            for name in _TOKEN_HEADERS:
                headers.pop(name, None)
        request_value = {
            "method": request.method,
            "path": request.path,
            "headers": headers,
            "query": dict(request.query),
            "body": body,
        }
        context = {"request": from_json(request_value)}
        condition = endpoint.activation_condition
        if condition is not None and condition.evaluate(context).value is not True:
            return InboundResponse(
                202, {"status": "ignored", "reason": "the activation condition is not met"}
            )
        return _Call(self.commands, endpoint, request, context).run()

    def _verify(self, endpoint: WebhookEndpoint, request: InboundRequest) -> InboundResponse | None:
        """None when the caller proved itself as the endpoint asks, else a 401 problem."""
        if endpoint.verification == "none":
            return None
        try:
            secret, _ = substitute(endpoint.secret, self.resolver)
        except (PermanentError, SteadError) as error:  # missing, malformed, undecryptable
            # The caller learns only that the webhook is unusable; the operator learns why.
            _log.error("webhook %s of %s: %s", request.path, endpoint.owner, error)
            return _problem(503, "the webhook cannot verify calls: its secret is not set")
        if endpoint.verification == "token":
            given = request.headers.get("x-stead-token", "")
            authorization = request.headers.get("authorization", "")
            if not given and authorization[:7].lower() == "bearer ":
                given = authorization[7:].strip()
            if given and hmac.compare_digest(given.encode(), secret.encode()):
                return None
            return _problem(
                401,
                "missing or wrong token (Authorization: Bearer <token> or X-Stead-Token)",
                **{"WWW-Authenticate": "Bearer"},
            )
        header = endpoint.signature_header
        signature = request.headers.get(header.lower(), "").strip()
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        given = signature.removeprefix("sha256=").strip().lower()
        if signature and hmac.compare_digest(given.encode(), expected.encode()):
            return None
        return _problem(
            401, f"missing or wrong signature ({header}: sha256=<HMAC-SHA256 of the body>)"
        )


class _Call:
    """One verified, activated call: start or correlate, then build the response."""

    def __init__(
        self,
        commands: Commands,
        endpoint: WebhookEndpoint,
        request: InboundRequest,
        context: dict[str, Any],
    ) -> None:
        self.commands = commands
        self.endpoint = endpoint
        self.request = request
        self.context = context
        self.idempotency_key = request.headers.get("idempotency-key") or None

    def run(self) -> InboundResponse:
        endpoint = self.endpoint
        variables, problem = self.evaluate_object(endpoint.variables, "variables")
        if problem is not None:
            return problem
        if endpoint.kind == "start":
            instance = self.commands.start(
                endpoint.process_id,
                variables,
                idempotency_key=self.idempotency_key,
                actor=_ACTOR,
            )
            # "instance" is a FEEL keyword, so the response expression sees "processInstance".
            outcome = {
                "processInstance": {
                    "id": instance.id,
                    "processId": instance.process_id,
                    "version": instance.version,
                    "state": instance.state,
                }
            }
            default: dict[str, Any] = {"status": "started", "instanceId": instance.id}
            return self.respond(200, outcome, default)
        key = ""
        if endpoint.kind == "catch":
            assert endpoint.correlation_key is not None
            found = endpoint.correlation_key.evaluate(self.context)
            value = to_json(found.value)
            if value is None or isinstance(value, dict | list | bool):
                return self.model_problem(
                    "correlationKey", f"must give a string or number, got {value!r}", found.warnings
                )
            key = str(value)
        assert endpoint.message_name is not None
        result = self.commands.publish_message(
            endpoint.message_name,
            correlation_key=key,
            variables=variables,
            message_id=self.idempotency_key,
            actor=_ACTOR,
        )
        correlation = {
            "messageName": endpoint.message_name,
            "correlationKey": key,
            "correlated": result.correlated,
            "started": result.started,
            "duplicate": result.duplicate,
        }
        consumed = bool(result.correlated or result.started or result.duplicate)
        status = "correlated" if consumed else "no-match"
        return self.respond(200, {"correlation": correlation}, {"status": status, **correlation})

    def evaluate_object(
        self, expression: CompiledExpression | None, name: str
    ) -> tuple[dict[str, Any], InboundResponse | None]:
        if expression is None:
            return {}, None
        found = expression.evaluate(self.context)
        value = to_json(found.value)
        if not isinstance(value, dict):
            problem = self.model_problem(
                name, f"must give a context, got {json.dumps(value)}", found.warnings
            )
            return {}, problem
        return value, None

    def respond(
        self, status: int, outcome: dict[str, Any], default: dict[str, Any]
    ) -> InboundResponse:
        if self.endpoint.response is None:
            return InboundResponse(status, default)
        context = {**self.context, **from_json(outcome)}
        value = to_json(self.endpoint.response.evaluate(context).value)
        # The work is done either way: a response that evaluates to nothing must not make the
        # caller retry (and start a second instance), so it falls back to the default.
        return InboundResponse(status, default if value is None else value)

    def model_problem(self, name: str, reason: str, warnings: tuple[str, ...]) -> InboundResponse:
        detail = f"{self.endpoint.element_id}: inbound.{name} {reason}"
        if warnings:
            detail += f" ({'; '.join(warnings)})"
        return _problem(422, detail)


def _parse_body(request: InboundRequest) -> Any:
    """The body as JSON, form fields or text, by its content type; None when empty."""
    if not request.body:
        return None
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            return json.loads(request.body)
        except ValueError as error:
            raise ValueError(f"the body is not valid JSON: {error}") from None
    text = request.body.decode("utf-8", errors="replace")
    if content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(text, keep_blank_values=True))
    return text
