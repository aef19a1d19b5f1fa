"""What a connector is: its versioned contract, the call it receives, and the outcomes it reports.

A connector is a class with a :class:`ConnectorContract` and a ``run`` method::

    class Greeter(Connector):
        contract = ConnectorContract(
            id="acme:greet",
            version=1,
            name="Greet",
            description="Says hello.",
            input_schema={
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string", "title": "Name"}},
            },
            output_schema={"type": "object", "properties": {"greeting": {"type": "string"}}},
        )

        def run(self, call: ConnectorCall) -> JsonObject:
            return {"greeting": f"hello {call.inputs['name']}"}

A service task runs it when its job type is the contract's :attr:`ConnectorContract.job_type`
(``acme:greet:1``): the version in the type pins the model to that contract, so a new version
never changes running instances. Its inputs are the task's ``zeebe:input`` mappings (one per
input property); ``{{secrets.NAME}}`` in any string input is replaced just before ``run`` and
never stored. Outcomes other than a result are raised: :class:`TransientError` (retried with the
activity's backoff), :class:`BusinessError` (a BPMN error the model can catch) and
:class:`PermanentError` (an incident at once).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "AwaitingOutcome",
    "BusinessError",
    "Connector",
    "ConnectorCall",
    "ConnectorContract",
    "ConnectorError",
    "InputError",
    "JsonObject",
    "PermanentError",
    "TransientError",
]

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ConnectorContract:
    """A connector's declaration: identity, version, and the JSON Schemas of what it takes and
    gives. Element templates for the modeler are generated from this, so they never drift.

    Input properties carry presentation hints as JSON Schema annotations: ``title`` (label),
    ``description``, ``default``, ``enum`` (a dropdown), and Stead's ``x-group`` (the template
    group id), ``x-feel`` (``"optional"`` or ``"required"``: whether the field takes FEEL),
    ``x-multiline`` (a text area), ``x-secret`` (suggest a ``{{secrets.NAME}}`` reference) and
    ``x-condition`` (``{"property": name, "equals": value}`` or ``{"oneOf": [...]}``: shown only
    then).
    """

    id: str  # "stead:http-json"; a custom connector uses its own prefix
    version: int
    name: str
    description: str
    input_schema: JsonObject
    output_schema: JsonObject
    groups: tuple[tuple[str, str], ...] = ()  # (group id, label) in display order
    documentation_url: str | None = None

    @property
    def job_type(self) -> str:
        """The job type a service task uses to run this version: ``id:version``."""
        return f"{self.id}:{self.version}"

    @property
    def required_inputs(self) -> tuple[str, ...]:
        return tuple(self.input_schema.get("required", ()))


@dataclass(frozen=True, slots=True)
class ConnectorCall:
    """One run of a connector for one activated job."""

    inputs: JsonObject  # validated against the input schema, secrets resolved
    instance_id: str
    process_id: str
    element_id: str
    job_id: int
    attempt: int  # 1 for the first attempt
    retries: int  # retries left, this attempt included
    idempotency_key: str  # the same across every attempt of this step
    deadline: dt.datetime  # the job's lease ends then
    headers: dict[str, str] = field(default_factory=dict)  # the task's zeebe:taskHeaders


class ConnectorError(Exception):
    """Base of the outcomes a connector raises instead of returning a result. ``output`` is
    what the other system answered, when it answered (an HTTP status, headers and body): the
    model's ``errorExpression`` sees its fields and may turn the failure into a BPMN error."""

    def __init__(self, message: str, *, output: JsonObject | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.output = output


class TransientError(ConnectorError):
    """Worth retrying (a timeout, a refused connection, 429, 5xx): the attempt fails and is
    retried with the activity's backoff, not sooner than ``retry_after`` seconds."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        output: JsonObject | None = None,
    ) -> None:
        super().__init__(message, output=output)
        self.retry_after = retry_after


class BusinessError(ConnectorError):
    """An outcome the process handles: thrown as the BPMN error ``code``."""

    def __init__(
        self, code: str, message: str = "", *, variables: JsonObject | None = None
    ) -> None:
        super().__init__(message or code)
        self.code = code
        self.variables = dict(variables or {})


class PermanentError(ConnectorError):
    """Retrying cannot help (a 400, a bad credential, an unknown host name): an incident at
    once."""


class InputError(PermanentError):
    """An input that breaks the contract; names the field."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"input {field_name!r}: {reason}")
        self.field_name = field_name
        self.reason = reason


class AwaitingOutcome(Exception):
    """Raised by a connector whose job completes later, from outside (a callback): the runner
    reports nothing and the job stays activated until ``until`` (its lease is extended to then).
    """

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"awaiting an outcome until {until.isoformat()}")
        self.until = until


class Connector(ABC):
    """A connector: a contract and what to do with one call. Instances are created once per
    runtime and may be called from several threads at once."""

    contract: ClassVar[ConnectorContract]

    @abstractmethod
    def run(self, call: ConnectorCall) -> JsonObject:
        """Do the work; return the output (checked against the output schema)."""

    def close(self) -> None:  # noqa: B027 - most connectors hold nothing to release
        """Release what the connector holds between calls (pooled connections, say); the
        runner calls it once it has stopped. It may be used again afterwards."""
