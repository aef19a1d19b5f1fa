"""The callback connector (``stead:callback:1``): a task that waits for an external system.

When the task runs, Stead issues a one-time callback URL (``/hooks/callbacks/{token}``, like a
task token), optionally tells the external system about it with a POST to ``notifyUrl``, and
leaves the job waiting. The external system then completes it, fails it or throws a BPMN
error through that URL, and may send heartbeats to ``/hooks/callbacks/{token}/heartbeat``.
When the deadline passes without a callback, the job's lease expires, the task runs again,
and reports ``timeoutOutcome``. The URL itself is never written to process variables.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import httpx

from stead.connectors.api import (
    AwaitingOutcome,
    BusinessError,
    Connector,
    ConnectorCall,
    ConnectorContract,
    InputError,
    JsonObject,
    PermanentError,
    TransientError,
)
from stead.connectors.callback_tokens import CallbackService
from stead.model import timers
from stead.runtime import Runtime

__all__ = ["CALLBACK_PATH", "CallbackConnector", "public_base_url"]

CALLBACK_PATH = "/hooks/callbacks"
PUBLIC_URL_VARIABLE = "STEAD_PUBLIC_URL"
URL_PLACEHOLDER = "{{callback.url}}"
_NOTIFY_TIMEOUT = 30.0  # seconds

_DURATION = {"type": "string", "pattern": r"^\s*-?P"}

_INPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["timeout"],
    "properties": {
        "timeout": {
            **_DURATION,
            "title": "Timeout",
            "description": "How long to wait for the callback (ISO 8601 duration, e.g. PT1H).",
            "default": "PT1H",
            "x-group": "waiting",
        },
        "heartbeatTimeout": {
            **_DURATION,
            "title": "Heartbeat timeout",
            "description": "Each heartbeat moves the deadline this far from now (optional).",
            "x-group": "waiting",
        },
        "timeoutOutcome": {
            "type": "string",
            "title": "When the deadline passes",
            "description": "retry, incident, or error:<code> (a BPMN error with that code).",
            "pattern": "^(retry|incident|error:.+)$",
            "default": "incident",
            "x-group": "waiting",
        },
        "urlVariable": {
            "type": "string",
            "title": "Variable for the callback URL",
            "description": "Also store the callback URL in this process variable (optional; "
            "by default the URL is given only to the notification URL).",
            "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
            "x-group": "notification",
        },
        "notifyUrl": {
            "type": "string",
            "title": "Notification URL",
            "description": "Receives a POST with {callbackUrl, ...notification body} (optional).",
            "x-group": "notification",
        },
        "notifyBody": {
            "type": "object",
            "title": "Notification body",
            "description": "More JSON fields; {{callback.url}} in a text becomes the URL.",
            "x-feel": "required",
            "x-group": "notification",
        },
        "notifyHeaders": {
            "type": "object",
            "title": "Notification headers",
            "additionalProperties": {"type": "string"},
            "x-feel": "required",
            "x-group": "notification",
        },
    },
}


def public_base_url() -> str:
    """Where other systems reach this Stead: ``STEAD_PUBLIC_URL``, else the local default."""
    return (os.environ.get(PUBLIC_URL_VARIABLE) or "http://127.0.0.1:8080").rstrip("/")


def _duration(inputs: JsonObject, name: str, now: dt.datetime) -> dt.timedelta | None:
    text = inputs.get(name)
    if text is None:
        return None
    try:
        span = timers.parse_duration(str(text)).add_to(now) - now
    except (timers.TimerValueError, OverflowError) as error:
        raise InputError(name, str(error)) from None
    if span <= dt.timedelta(0):
        raise InputError(name, f"must be a positive duration, got {text!r}")
    return span


def _with_url(value: Any, url: str) -> Any:
    """``value`` with ``{{callback.url}}`` in every string replaced by ``url``."""
    if isinstance(value, str):
        return value.replace(URL_PLACEHOLDER, url)
    if isinstance(value, list):
        return [_with_url(item, url) for item in value]
    if isinstance(value, dict):
        return {key: _with_url(item, url) for key, item in value.items()}
    return value


class CallbackConnector(Connector):
    """Waits for an external system to call back. It needs the runtime (its tokens live in the
    database): the registry's instance is unbound, and :meth:`bind` gives the one that runs."""

    contract = ConnectorContract(
        id="stead:callback",
        version=1,
        name="Wait for a callback",
        description="Give an external system a one-time callback URL and wait until it "
        "completes, fails or throws a BPMN error through it.",
        input_schema=_INPUT_SCHEMA,
        output_schema={"type": "object"},
        groups=(("waiting", "Waiting"), ("notification", "Notification")),
    )

    def __init__(self, service: CallbackService | None = None, base_url: str | None = None):
        self.service = service
        self.base_url = base_url

    def bind(self, runtime: Runtime, base_url: str | None = None) -> CallbackConnector:
        """This connector working on ``runtime``'s database, with callback URLs under
        ``base_url`` (default: :func:`public_base_url`)."""
        return CallbackConnector(CallbackService(runtime), base_url)

    def run(self, call: ConnectorCall) -> JsonObject:
        service = self.service
        if service is None:
            raise PermanentError("the callback connector is not attached to a Stead runtime")
        inputs = call.inputs
        now = service.runtime.clock()
        timeout = _duration(inputs, "timeout", now)
        assert timeout is not None  # required by the input schema
        heartbeat = _duration(inputs, "heartbeatTimeout", now)
        pending = service.pending(call.job_id)
        if pending is not None and not pending.used:
            if pending.expires_at > now:
                # Activated again before the deadline (a lease released early): keep waiting.
                raise AwaitingOutcome(until=pending.expires_at)
            service.close(pending.key, "timeout")
            raise _timed_out(str(inputs.get("timeoutOutcome", "incident")), call)
        notify_url = inputs.get("notifyUrl") or None
        issued = service.issue(call.job_id, timeout, heartbeat, notified=notify_url is not None)
        base = (self.base_url or public_base_url()).rstrip("/")
        url = f"{base}{CALLBACK_PATH}/{issued.token}"
        variable = inputs.get("urlVariable") or None
        if variable is not None:
            # The model asked for the URL (say, to e-mail it from a parallel branch).
            service.commands.set_variables(call.instance_id, {str(variable): url}, actor="callback")
        if notify_url is not None:
            try:
                _notify(str(notify_url), url, heartbeat is not None, inputs)
            except Exception:
                # The URL never reached anyone: retire it, the next attempt issues another.
                service.close(issued.key, "unsent")
                raise
        raise AwaitingOutcome(until=issued.expires_at)


def _timed_out(outcome: str, call: ConnectorCall) -> Exception:
    message = f"{call.element_id}: no callback arrived before the deadline"
    if outcome == "retry":
        return TransientError(message)
    if outcome.startswith("error:"):
        return BusinessError(outcome.removeprefix("error:"), message)
    return PermanentError(message)


def _notify(notify_url: str, url: str, heartbeats: bool, inputs: JsonObject) -> None:
    body: JsonObject = {"callbackUrl": url}
    if heartbeats:
        body["heartbeatUrl"] = f"{url}/heartbeat"
    body.update(_with_url(inputs.get("notifyBody") or {}, url))
    headers = {str(k): str(v) for k, v in (inputs.get("notifyHeaders") or {}).items()}
    try:
        target = httpx.URL(notify_url)
    except httpx.InvalidURL as error:
        raise InputError("notifyUrl", str(error)) from None
    if target.scheme not in ("http", "https"):
        raise InputError("notifyUrl", f"must be an http or https URL, got {notify_url!r}")
    where = f"the notification endpoint {target.host}"
    try:
        with httpx.Client(timeout=_NOTIFY_TIMEOUT, follow_redirects=False) as client:
            response = client.post(target, json=body, headers=headers)
    except httpx.TimeoutException:
        raise TransientError(f"{where} did not answer within {_NOTIFY_TIMEOUT:g} s") from None
    except httpx.TransportError as error:
        raise TransientError(f"cannot reach {where}: {type(error).__name__}") from None
    status = response.status_code
    if status == 429 or status >= 500:
        raise TransientError(f"{where} answered {status}")
    if status >= 300:
        raise PermanentError(f"{where} answered {status}")
