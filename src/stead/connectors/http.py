"""The HTTP/JSON connector (``stead:http-json:1``): one request with httpx, the response as
``{status, headers, body}``, and its outcome classified as success, transient or permanent."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import threading
import time
from collections.abc import Callable, Container, Mapping
from typing import Any

import httpx

from stead.connectors.api import (
    Connector,
    ConnectorCall,
    ConnectorContract,
    InputError,
    JsonObject,
    PermanentError,
    TransientError,
)

__all__ = [
    "HttpJsonConnector",
    "StatusClasses",
    "excerpt",
    "raise_for_outcome",
    "response_body",
    "retry_after_seconds",
]

IDEMPOTENCY_HEADER = "Idempotency-Key"
_EXCERPT = 200  # characters of a response body quoted in an incident message
_TOKEN_MARGIN = 30.0  # seconds: an OAuth2 token this close to expiry is fetched again

# httpx logs each request line at INFO; an API key sent in the query string would reach the
# logs with it, and no secret may.
logging.getLogger("httpx").setLevel(logging.WARNING)

_AUTH_TYPES = ["none", "basic", "bearer", "apiKey", "oauth2-client-credentials"]


def _when(auth_type: str | list[str]) -> JsonObject:
    if isinstance(auth_type, str):
        return {"property": "authentication.type", "equals": auth_type}
    return {"property": "authentication.type", "oneOf": auth_type}


_AUTHENTICATION: JsonObject = {
    "type": "object",
    "title": "Authentication",
    "required": ["type"],
    "properties": {
        "type": {
            "type": "string",
            "title": "Type",
            "enum": _AUTH_TYPES,
            "default": "none",
            "x-group": "authentication",
        },
        "username": {
            "type": "string",
            "title": "Username",
            "x-group": "authentication",
            "x-condition": _when("basic"),
        },
        "password": {
            "type": "string",
            "title": "Password",
            "x-group": "authentication",
            "x-secret": True,
            "x-condition": _when("basic"),
        },
        "token": {
            "type": "string",
            "title": "Bearer token",
            "x-group": "authentication",
            "x-secret": True,
            "x-condition": _when("bearer"),
        },
        "name": {
            "type": "string",
            "title": "API key name",
            "description": "The header or query parameter that carries the key.",
            "x-group": "authentication",
            "x-condition": _when("apiKey"),
        },
        "value": {
            "type": "string",
            "title": "API key",
            "x-group": "authentication",
            "x-secret": True,
            "x-condition": _when("apiKey"),
        },
        "in": {
            "type": "string",
            "title": "Send the API key in",
            "enum": ["header", "query"],
            "default": "header",
            "x-group": "authentication",
            "x-condition": _when("apiKey"),
        },
        "tokenUrl": {
            "type": "string",
            "title": "Token URL",
            "x-group": "authentication",
            "x-condition": _when("oauth2-client-credentials"),
        },
        "clientId": {
            "type": "string",
            "title": "Client id",
            "x-group": "authentication",
            "x-condition": _when("oauth2-client-credentials"),
        },
        "clientSecret": {
            "type": "string",
            "title": "Client secret",
            "x-group": "authentication",
            "x-secret": True,
            "x-condition": _when("oauth2-client-credentials"),
        },
        "scopes": {
            "type": "string",
            "title": "Scopes",
            "description": "Space-separated.",
            "x-group": "authentication",
            "x-condition": _when("oauth2-client-credentials"),
        },
        "audience": {
            "type": "string",
            "title": "Audience",
            "description": "Sent as the audience parameter, for servers that ask for one.",
            "x-group": "authentication",
            "x-condition": _when("oauth2-client-credentials"),
        },
        "clientAuthentication": {
            "type": "string",
            "title": "Send the client credentials",
            "description": "basicAuthHeader: HTTP basic authentication; credentialsBody: "
            "client_id and client_secret in the form body.",
            "enum": ["basicAuthHeader", "credentialsBody"],
            "default": "basicAuthHeader",
            "x-group": "authentication",
            "x-condition": _when("oauth2-client-credentials"),
        },
    },
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "basic"}}},
            "then": {"required": ["username", "password"]},
        },
        {"if": {"properties": {"type": {"const": "bearer"}}}, "then": {"required": ["token"]}},
        {
            "if": {"properties": {"type": {"const": "apiKey"}}},
            "then": {"required": ["name", "value"]},
        },
        {
            "if": {"properties": {"type": {"const": "oauth2-client-credentials"}}},
            "then": {"required": ["tokenUrl", "clientId", "clientSecret"]},
        },
    ],
}

CONTRACT = ConnectorContract(
    id="stead:http-json",
    version=1,
    name="HTTP/JSON request",
    description="Calls an HTTP endpoint and maps its JSON response into variables.",
    groups=(
        ("request", "Request"),
        ("authentication", "Authentication"),
        ("timeouts", "Timeouts"),
        ("failures", "Failures"),
        ("output", "Output mapping"),
        ("errors", "Error handling"),
    ),
    input_schema={
        "type": "object",
        "required": ["method", "url"],
        "properties": {
            "method": {
                "type": "string",
                "title": "Method",
                "enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
                "default": "GET",
                "x-group": "request",
            },
            "url": {
                "type": "string",
                "title": "URL",
                "pattern": "^https?://",
                "x-group": "request",
                "x-feel": "optional",
            },
            "query": {
                "type": ["object", "null"],
                "title": "Query parameters",
                "description": "A context, e.g. {page: 1}.",
                "additionalProperties": {"type": ["string", "number", "boolean"]},
                "x-group": "request",
                "x-feel": "required",
            },
            "headers": {
                "type": ["object", "null"],
                "title": "Headers",
                "description": 'A context, e.g. {"X-Trace": traceId}.',
                "additionalProperties": {"type": "string"},
                "x-group": "request",
                "x-feel": "required",
            },
            "body": {
                "title": "Body",
                "description": "Any JSON value, sent as application/json.",
                "x-group": "request",
                "x-feel": "required",
                "x-multiline": True,
                "x-condition": {"property": "method", "oneOf": ["POST", "PUT", "PATCH", "DELETE"]},
            },
            "authentication": _AUTHENTICATION,
            "connectTimeout": {
                "type": "number",
                "title": "Connect timeout (seconds)",
                "exclusiveMinimum": 0,
                "default": 10,
                "x-group": "timeouts",
            },
            "readTimeout": {
                "type": "number",
                "title": "Read timeout (seconds)",
                "exclusiveMinimum": 0,
                "default": 30,
                "x-group": "timeouts",
            },
            "retryStatuses": {
                "type": "array",
                "title": "Statuses to retry",
                "description": 'Codes or classes, e.g. ["429", "5xx"] (the default).',
                "items": {"type": "string", "pattern": "^[1-5]([0-9]{2}|xx)$"},
                "x-group": "failures",
                "x-feel": "required",
            },
        },
    },
    output_schema={
        "type": "object",
        "required": ["status", "headers", "body"],
        "properties": {
            "status": {"type": "integer"},
            "headers": {"type": "object", "additionalProperties": {"type": "string"}},
            "body": {},
        },
    },
)


class StatusClasses:
    """Which statuses a model calls transient: codes ("429") and classes ("5xx")."""

    DEFAULT = ("429", "5xx")

    def __init__(self, patterns: list[str] | tuple[str, ...] = DEFAULT) -> None:
        self.codes = {int(p) for p in patterns if p.isdigit()}
        self.classes = {int(p[0]) for p in patterns if p.endswith("xx")}

    def __contains__(self, status: object) -> bool:
        if not isinstance(status, int):
            return False
        return status in self.codes or status // 100 in self.classes


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """``Retry-After`` as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - now).total_seconds())


def response_body(response: httpx.Response) -> Any:
    """A response's body: parsed JSON when its content type says JSON, else text; None when
    empty."""
    if not response.content:
        return None
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        try:
            return json.loads(response.content)
        except ValueError:
            return response.text  # labelled JSON but is not: keep the text
    return response.text


def _output(response: httpx.Response) -> JsonObject:
    headers: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return {"status": response.status_code, "headers": headers, "body": response_body(response)}


def excerpt(body: Any) -> str:
    """The start of a body, on one line, for an incident message."""
    text = body if isinstance(body, str) else json.dumps(body)
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def raise_for_outcome(
    response: httpx.Response,
    output: JsonObject,
    *,
    describe: Callable[[int], str],
    transient: Container[int],
    permanent_from: int,
) -> None:
    """Raise the failure a response means: a status in ``transient`` is retried (honouring
    ``Retry-After``), any other from ``permanent_from`` up is permanent. ``describe`` says
    what answered that status, for the message."""
    status = response.status_code
    if status in transient:
        delay = retry_after_seconds(response.headers.get("retry-after"), dt.datetime.now(dt.UTC))
        raise TransientError(
            f"{describe(status)}: {excerpt(output['body'])}", retry_after=delay, output=output
        )
    if status >= permanent_from:
        raise PermanentError(f"{describe(status)}: {excerpt(output['body'])}", output=output)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _TokenCache:
    """OAuth2 client-credentials tokens per (token URL, client id, scopes, audience), until
    expiry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str, str, str], tuple[str, float]] = {}

    def get(self, key: tuple[str, str, str, str]) -> str | None:
        with self._lock:
            found = self._tokens.get(key)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def put(self, key: tuple[str, str, str, str], token: str, expires_in: float | None) -> None:
        # Without expires_in, keep it a minute: the server may expire it any time.
        lifetime = 60.0 if expires_in is None else max(0.0, expires_in - _TOKEN_MARGIN)
        with self._lock:
            self._tokens[key] = (token, time.monotonic() + lifetime)

    def drop(self, key: tuple[str, str, str, str]) -> None:
        with self._lock:
            self._tokens.pop(key, None)


class HttpJsonConnector(Connector):
    """``stead:http-json:1``."""

    contract = CONTRACT

    def __init__(self) -> None:
        self._tokens = _TokenCache()

    def run(self, call: ConnectorCall) -> JsonObject:
        inputs = call.inputs
        method = str(inputs.get("method") or "GET").upper()
        url = inputs["url"]
        transient = StatusClasses(tuple(inputs.get("retryStatuses") or StatusClasses.DEFAULT))
        timeout = httpx.Timeout(
            float(inputs.get("readTimeout") or 30),
            connect=float(inputs.get("connectTimeout") or 10),
        )
        query = {k: _scalar(v) for k, v in (inputs.get("query") or {}).items()}
        headers = {str(k): str(v) for k, v in (inputs.get("headers") or {}).items()}
        headers[IDEMPOTENCY_HEADER] = call.idempotency_key
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            self._authenticate(client, inputs.get("authentication") or {}, headers, query)
            options: dict[str, Any] = {"params": query, "headers": headers}
            if "body" in inputs and inputs["body"] is not None:
                options["json"] = inputs["body"]
            response = self._send(client, method, url, options)
        output = _output(response)
        raise_for_outcome(
            response,
            output,
            describe=lambda status: f"HTTP {status} from {method} {url}",
            transient=transient,
            permanent_from=400,
        )
        return output

    def _send(
        self, client: httpx.Client, method: str, url: str, options: Mapping[str, Any]
    ) -> httpx.Response:
        try:
            return client.request(method, url, **options)
        except httpx.TimeoutException as error:
            raise TransientError(f"{method} {url} timed out ({type(error).__name__})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise InputError("url", str(error)) from None
        except httpx.TransportError as error:
            raise TransientError(f"{method} {url} failed: {error}") from None

    def _authenticate(
        self,
        client: httpx.Client,
        auth: Mapping[str, Any],
        headers: dict[str, str],
        query: dict[str, str],
    ) -> None:
        kind = auth.get("type", "none")
        if kind == "basic":
            client.auth = httpx.BasicAuth(auth["username"], auth["password"])
        elif kind == "bearer":
            headers["Authorization"] = f"Bearer {auth['token']}"
        elif kind == "apiKey":
            target = query if auth.get("in") == "query" else headers
            target[auth["name"]] = auth["value"]
        elif kind == "oauth2-client-credentials":
            headers["Authorization"] = f"Bearer {self._oauth2_token(client, auth)}"

    def _oauth2_token(self, client: httpx.Client, auth: Mapping[str, Any]) -> str:
        scopes = " ".join(str(auth.get("scopes") or "").split())
        audience = str(auth.get("audience") or "")
        key = (auth["tokenUrl"], auth["clientId"], scopes, audience)
        cached = self._tokens.get(key)
        if cached is not None:
            return cached
        form = {"grant_type": "client_credentials"}
        if scopes:
            form["scope"] = scopes
        if audience:
            form["audience"] = audience
        request: dict[str, Any] = {"data": form, "headers": {"Accept": "application/json"}}
        if auth.get("clientAuthentication") == "credentialsBody":
            form["client_id"], form["client_secret"] = auth["clientId"], auth["clientSecret"]
        else:
            request["auth"] = httpx.BasicAuth(auth["clientId"], auth["clientSecret"])
        response = self._send(client, "POST", auth["tokenUrl"], request)
        where = f"OAuth2 token request to {auth['tokenUrl']}"
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"{where}: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(
                f"{where}: HTTP {response.status_code}: {excerpt(response_body(response))}"
            )
        try:
            answer = response.json()
            token = answer["access_token"]
        except (ValueError, KeyError, TypeError):
            raise PermanentError(f"{where}: the answer has no access_token") from None
        expires_in = answer.get("expires_in")
        self._tokens.put(
            key, str(token), float(expires_in) if isinstance(expires_in, int | float) else None
        )
        return str(token)
