"""Webhook endpoints read from a process definition's ``zeebe:properties``, with every problem
in them named by element (pure: no I/O).

An event becomes a webhook when its properties say ``inbound.type`` = ``stead:webhook:1``; see
docs/connectors.md for every property.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from stead.feel import CompiledExpression, FeelSyntaxError
from stead.feel import compile as compile_feel
from stead.model.errors import Problem
from stead.model.graph import Element, ElementType, EventType, ProcessDefinition

__all__ = [
    "CALLBACK_PREFIX",
    "DEFAULT_SIGNATURE_HEADER",
    "METHODS",
    "WEBHOOK_TYPE",
    "Verification",
    "WebhookEndpoint",
    "endpoints_of_versions",
    "normal_path",
    "read_endpoints",
]

WEBHOOK_TYPE = "stead:webhook:1"
DEFAULT_SIGNATURE_HEADER = "X-Signature-256"
# /hooks/callbacks/... belongs to callback tasks, so no webhook may live there.
CALLBACK_PREFIX = "callbacks"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

Verification = Literal["none", "token", "hmac-sha256"]
_Reporter = Callable[[str], None]
_VERIFICATIONS: tuple[Verification, ...] = ("none", "token", "hmac-sha256")
_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
_FEEL_PROPERTIES = ("activationCondition", "correlationKey", "variables", "response")
_KNOWN = frozenset(
    {"type", "path", "method", "verification", "secret", "signatureHeader", *_FEEL_PROPERTIES}
)


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """One webhook: where it listens, how a caller proves itself, and what a call does.

    ``kind`` is ``start`` (start an instance at a none start event), ``message-start`` (publish
    the start event's message) or ``catch`` (publish the catch event's message with the
    correlation key taken from the request).
    """

    path: str
    process_id: str
    version: int
    element_id: str
    kind: Literal["start", "message-start", "catch"]
    message_name: str | None
    methods: frozenset[str]
    verification: Verification
    secret: str  # may hold {{secrets.NAME}}, resolved per request
    signature_header: str
    activation_condition: CompiledExpression | None
    correlation_key: CompiledExpression | None
    variables: CompiledExpression | None
    response: CompiledExpression | None

    @property
    def owner(self) -> str:
        return f"process {self.process_id!r} (element {self.element_id!r})"


def normal_path(path: str) -> str:
    """A webhook path as stored and looked up: without surrounding slashes."""
    return path.strip().strip("/")


def read_endpoints(
    definition: ProcessDefinition, version: int
) -> tuple[list[WebhookEndpoint], list[Problem]]:
    """The webhooks ``definition`` declares, and the problems that keep others from working."""
    endpoints: list[WebhookEndpoint] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for element in definition.elements.values():
        settings = _inbound_settings(element)
        if settings is None:
            continue
        endpoint, found = _read_endpoint(definition, version, element, settings)
        problems.extend(found)
        if endpoint is None:
            continue
        if endpoint.path in seen:
            problems.append(
                Problem(
                    element.id,
                    f"webhook path {endpoint.path!r} is also used by element "
                    f"{seen[endpoint.path]!r} of this process",
                )
            )
            continue
        seen[endpoint.path] = element.id
        endpoints.append(endpoint)
    return endpoints, problems


def _inbound_settings(element: Element) -> dict[str, list[str]] | None:
    """The element's ``inbound.*`` properties (every value, to catch repeats), or None when it
    is not an inbound connector."""
    settings: dict[str, list[str]] = {}
    for name, value in element.properties:
        if name.startswith("inbound."):
            settings.setdefault(name.removeprefix("inbound."), []).append(value)
    return settings if settings.get("type") else None


def _read_endpoint(
    definition: ProcessDefinition,
    version: int,
    element: Element,
    settings: dict[str, list[str]],
) -> tuple[WebhookEndpoint | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(element.id, message))

    for name, values in settings.items():
        if len(values) > 1:
            problem(f"zeebe:property inbound.{name} appears more than once")
        if name not in _KNOWN:
            problem(f"zeebe:property inbound.{name} is not a webhook setting")
    one = {name: values[0].strip() for name, values in settings.items()}
    if one["type"] != WEBHOOK_TYPE:
        problem(f"inbound.type {one['type']!r} is not supported (supported: {WEBHOOK_TYPE})")
        return None, problems
    kind, message_name = _kind(definition, element, problem)
    path = normal_path(one.get("path", ""))
    if not path:
        problem("a webhook needs a path (zeebe:property inbound.path)")
    elif not _PATH.fullmatch(path):
        problem(
            f"inbound.path {path!r} may hold only letters, digits, '.', '_', '~', '-' and '/' "
            "between segments"
        )
    elif path.split("/", 1)[0] == CALLBACK_PREFIX:
        problem(f"inbound.path {path!r}: paths under '{CALLBACK_PREFIX}/' are reserved")
    methods = _methods(one.get("method", "POST"), problem)
    verification = one.get("verification", "none") or "none"
    if verification not in _VERIFICATIONS:
        problem(f"inbound.verification {verification!r} is not one of {', '.join(_VERIFICATIONS)}")
    secret = one.get("secret", "")
    if verification in ("token", "hmac-sha256") and not secret:
        problem(f"inbound.verification {verification} needs inbound.secret")
    compiled = {name: _feel(name, one.get(name, ""), problem) for name in _FEEL_PROPERTIES}
    if kind == "catch" and compiled["correlationKey"] is None and "correlationKey" not in one:
        problem("a webhook catch event needs inbound.correlationKey (FEEL over request)")
    if problems or kind is None:
        return None, problems
    endpoint = WebhookEndpoint(
        path=path,
        process_id=definition.process_id,
        version=version,
        element_id=element.id,
        kind=kind,
        message_name=message_name,
        methods=methods,
        verification=verification,  # type: ignore[arg-type]  # checked above
        secret=secret,
        signature_header=one.get("signatureHeader") or DEFAULT_SIGNATURE_HEADER,
        activation_condition=compiled["activationCondition"],
        correlation_key=compiled["correlationKey"],
        variables=compiled["variables"],
        response=compiled["response"],
    )
    return endpoint, problems


def _kind(
    definition: ProcessDefinition, element: Element, problem: _Reporter
) -> tuple[Literal["start", "message-start", "catch"] | None, str | None]:
    """What a call does for this element, and the message it publishes (if any)."""
    process_start = (
        element.type is ElementType.START_EVENT and element.parent_id == definition.process_id
    )
    if process_start and element.event_type is EventType.NONE:
        return "start", None
    message = element.message
    message_event = process_start or element.type is ElementType.INTERMEDIATE_CATCH_EVENT
    if not (message_event and element.event_type is EventType.MESSAGE and message is not None):
        problem(
            "a webhook must be a process start event (none or message) or an intermediate "
            "message catch event"
        )
        return None, None
    if not message.name.is_static:
        problem("a webhook event needs a static message name, not FEEL")
        return None, None
    return ("message-start" if process_start else "catch"), message.name.source


def _methods(text: str, problem: _Reporter) -> frozenset[str]:
    words = [word.strip().upper() for word in text.split(",") if word.strip()]
    if words == ["ANY"]:
        return frozenset(METHODS)
    unknown = [word for word in words if word not in METHODS]
    if unknown or not words:
        problem(
            f"inbound.method {text!r} must be 'any' or a comma-separated list of "
            f"{', '.join(METHODS)}"
        )
    return frozenset(words) - set(unknown)


def _feel(name: str, text: str, problem: _Reporter) -> CompiledExpression | None:
    """A FEEL property (a leading '=' is optional: every such property is FEEL)."""
    source = text.removeprefix("=").strip()
    if not source:
        if text:
            problem(f"inbound.{name} is an empty FEEL expression")
        return None
    try:
        return compile_feel(source)
    except FeelSyntaxError as error:
        reason = str(error).split("\n", 1)[0]
        problem(f"inbound.{name} is not valid FEEL: {reason}")
        return None


def endpoints_of_versions(
    versions: Iterable[tuple[ProcessDefinition, int, bool]],
) -> Iterator[WebhookEndpoint]:
    """Every endpoint the given (definition, version, is newest) triples claim: start events
    only of the newest version, catch events of every version (instances of older versions
    still wait for their messages)."""
    for definition, version, newest in versions:
        for endpoint in read_endpoints(definition, version)[0]:
            if newest or endpoint.kind == "catch":
                yield endpoint
