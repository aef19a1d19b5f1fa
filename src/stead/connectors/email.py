"""The email connector: send one message over SMTP (plain, STARTTLS or implicit TLS, with
optional password authentication)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from email.message import EmailMessage
from email.utils import formataddr, formatdate, getaddresses
from typing import Any

from stead.connectors.api import (
    Connector,
    ConnectorCall,
    ConnectorContract,
    InputError,
    JsonObject,
    PermanentError,
    TransientError,
)

__all__ = ["EmailConnector"]

_DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")
_ENCRYPTED = {"oneOf": ["starttls", "tls"]}

_RECIPIENTS_SCHEMA: JsonObject = {
    "type": ["string", "array"],
    "items": {"type": "string"},
    "x-group": "message",
    "x-feel": "optional",
}

_INPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["host", "from", "to", "subject", "body"],
    "properties": {
        "host": {
            "type": "string",
            "minLength": 1,
            "title": "SMTP host",
            "description": "Host name or address of the mail server.",
            "x-group": "server",
        },
        "port": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": 65535,
            "title": "Port",
            "description": "Leave empty for the usual port: 587 with STARTTLS, 465 with TLS, "
            "25 without encryption.",
            "x-group": "server",
        },
        "security": {
            "type": "string",
            "enum": ["starttls", "tls", "none"],
            "default": "starttls",
            "title": "Encryption",
            "description": "starttls: upgrade a plain connection (usually port 587); tls: "
            "encrypted from the start (usually port 465); none: no encryption.",
            "x-group": "server",
        },
        "caCertificate": {
            "type": ["string", "null"],
            "title": "Trusted CA certificate (PEM)",
            "description": "Trust a server certificate signed by this authority (for a "
            "private mail relay), besides the system's authorities.",
            "x-group": "server",
            "x-multiline": True,
            "x-condition": {"property": "security", **_ENCRYPTED},
        },
        "timeout": {
            "type": "integer",
            "minimum": 1,
            "maximum": 300,
            "default": 30,
            "title": "Timeout (seconds)",
            "description": "How long to wait for the server at each step.",
            "x-group": "server",
        },
        "authentication": {
            "type": "string",
            "enum": ["none", "password"],
            "default": "none",
            "title": "Authentication",
            "description": "password: log in with a user name and password (only over an "
            "encrypted connection).",
            "x-group": "authentication",
        },
        "username": {
            "type": ["string", "null"],
            "title": "User name",
            "x-group": "authentication",
            "x-condition": {"property": "authentication", "equals": "password"},
        },
        "password": {
            "type": ["string", "null"],
            "title": "Password",
            "x-group": "authentication",
            "x-secret": True,
            "x-condition": {"property": "authentication", "equals": "password"},
        },
        "from": {
            "type": "string",
            "minLength": 1,
            "title": "From",
            "description": 'Sender, e.g. "Orders <orders@example.com>".',
            "x-group": "message",
            "x-feel": "optional",
        },
        "to": {
            **_RECIPIENTS_SCHEMA,
            "title": "To",
            "description": "One address, several separated by commas, or a FEEL list.",
        },
        "cc": {**_RECIPIENTS_SCHEMA, "type": ["string", "array", "null"], "title": "Cc"},
        "bcc": {
            **_RECIPIENTS_SCHEMA,
            "type": ["string", "array", "null"],
            "title": "Bcc",
            "description": "Receive the message without appearing in its headers.",
        },
        "replyTo": {
            "type": ["string", "null"],
            "title": "Reply to",
            "x-group": "message",
            "x-feel": "optional",
        },
        "subject": {
            "type": "string",
            "title": "Subject",
            "description": 'Text, or FEEL such as ="Order " + orderId + " shipped".',
            "x-group": "message",
            "x-feel": "optional",
        },
        "body": {
            "type": "string",
            "title": "Body (text)",
            "description": "The plain-text body; FEEL builds it from process variables.",
            "x-group": "message",
            "x-feel": "optional",
            "x-multiline": True,
        },
        "html": {
            "type": ["string", "null"],
            "title": "Body (HTML)",
            "description": "Optional HTML alternative shown by mail programs that can.",
            "x-group": "message",
            "x-feel": "optional",
            "x-multiline": True,
        },
    },
}

_OUTPUT_SCHEMA: JsonObject = {
    "type": "object",
    "required": ["messageId", "accepted"],
    "properties": {
        "messageId": {
            "type": "string",
            "description": "The Message-ID header; the same on every retry of the step.",
        },
        "accepted": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Recipient addresses the server accepted.",
        },
        "rejected": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "address": {"type": "string"},
                    "code": {"type": "integer"},
                    "message": {"type": "string"},
                },
            },
            "description": "Recipient addresses the server refused (the others still got it).",
        },
    },
}


class EmailConnector(Connector):
    """Sends one email per call; classifies the server's answers for retries and incidents."""

    contract = ConnectorContract(
        id="stead:email-smtp",
        version=1,
        name="Email (SMTP)",
        description="Send an email through an SMTP server.",
        input_schema=_INPUT_SCHEMA,
        output_schema=_OUTPUT_SCHEMA,
        groups=(
            ("server", "SMTP server"),
            ("authentication", "Authentication"),
            ("message", "Message"),
        ),
    )

    def run(self, call: ConnectorCall) -> JsonObject:
        inputs = call.inputs
        security = str(inputs.get("security", "starttls"))
        credentials = _credentials(inputs, security)
        sender = _addresses(inputs["from"], "from")
        if len(sender) != 1:
            raise InputError("from", "give exactly one sender address")
        to = _addresses(inputs["to"], "to")
        if not to:
            raise InputError("to", "give at least one recipient address")
        cc = _addresses(inputs.get("cc"), "cc")
        bcc = _addresses(inputs.get("bcc"), "bcc")
        reply_to = _addresses(inputs.get("replyTo"), "replyTo")
        envelope_from = sender[0][1]
        message_id = _message_id(call.idempotency_key, envelope_from)
        message = _message(inputs, sender, to, cc, reply_to, message_id)
        recipients = list(dict.fromkeys(address for _, address in (*to, *cc, *bcc)))
        host = str(inputs["host"])
        port = int(inputs.get("port") or _DEFAULT_PORTS[security])
        timeout = _timeout(float(inputs.get("timeout", 30)), call.deadline)
        ca_certificate = inputs.get("caCertificate")
        with (
            _classified(host, port),
            _connect(host, port, security, timeout, ca_certificate) as smtp,
        ):
            if credentials is not None:
                smtp.login(*credentials)
            refused = smtp.send_message(message, envelope_from, recipients)
        return {
            "messageId": message_id,
            "accepted": [address for address in recipients if address not in refused],
            "rejected": [
                {"address": address, "code": code, "message": _text(reply)}
                for address, (code, reply) in refused.items()
            ],
        }


def _credentials(inputs: JsonObject, security: str) -> tuple[str, str] | None:
    if inputs.get("authentication", "none") != "password":
        return None
    for name in ("username", "password"):
        if not inputs.get(name):
            raise InputError(name, "is required when authentication is 'password'")
    if security == "none":
        # A password sent over a plain connection can be read by anyone on the way.
        raise InputError(
            "security", "a password is only sent over an encrypted connection: use starttls or tls"
        )
    return str(inputs["username"]), str(inputs["password"])


def _addresses(value: Any, field: str) -> list[tuple[str, str]]:
    """(display name, address) pairs from one string (commas separate addresses) or a list."""
    if value is None or value == "":
        return []
    items = [value] if isinstance(value, str) else list(value)
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, str):
            raise InputError(field, f"{item!r} is not an email address")
        if "\r" in item or "\n" in item:
            raise InputError(field, "an address cannot contain a line break")
        parts = getaddresses([item])
        if not isinstance(value, str) and len(parts) > 1:
            raise InputError(field, f"{item!r} holds several addresses; give one per list item")
        for name, address in parts:
            if not _ADDRESS.fullmatch(address):
                what = "is not an email address" if len(parts) == 1 else "has an invalid address"
                raise InputError(field, f"{item.strip()!r} {what}")
            pairs.append((name, address))
    return pairs


def _message_id(idempotency_key: str, sender: str) -> str:
    # Derived from the step's idempotency key: every retry of one step sends the same
    # Message-ID, so receiving systems can drop a duplicate after an ambiguous failure.
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}.stead@{sender.rpartition('@')[2]}>"


def _message(
    inputs: JsonObject,
    sender: list[tuple[str, str]],
    to: list[tuple[str, str]],
    cc: list[tuple[str, str]],
    reply_to: list[tuple[str, str]],
    message_id: str,
) -> EmailMessage:
    message = EmailMessage()
    headers = {
        "From": _header(sender),
        "To": _header(to),
        "Cc": _header(cc),
        "Reply-To": _header(reply_to),
        "Date": formatdate(usegmt=True),
        "Message-ID": message_id,
    }
    for name, text in headers.items():
        if text:
            message[name] = text
    try:
        message["Subject"] = str(inputs["subject"])
    except ValueError as error:  # a line break would start a new header
        raise InputError("subject", str(error)) from None
    message.set_content(str(inputs["body"]))
    if inputs.get("html"):
        message.add_alternative(str(inputs["html"]), subtype="html")
    return message


def _header(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(formataddr(pair) for pair in pairs)


def _timeout(seconds: float, deadline: dt.datetime) -> float:
    # Never wait past the job's lease: by then another executor may take the job over.
    remaining = (deadline - dt.datetime.now(dt.UTC)).total_seconds()
    return max(1.0, min(seconds, remaining))


def _tls_context(ca_certificate: Any) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_certificate:
        try:
            context.load_verify_locations(cadata=str(ca_certificate))
        except (ssl.SSLError, ValueError) as error:
            raise InputError("caCertificate", f"not a PEM certificate: {error}") from None
    return context


@contextmanager
def _connect(
    host: str, port: int, security: str, timeout: float, ca_certificate: Any
) -> Iterator[smtplib.SMTP]:
    smtp: smtplib.SMTP
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls_context(ca_certificate))
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise PermanentError(
                    f"the SMTP server {host}:{port} does not offer STARTTLS; "
                    "use security 'tls' or check the port"
                )
            smtp.starttls(context=_tls_context(ca_certificate))
        yield smtp
        # The message is already accepted: a failed goodbye must not make the step resend it.
        with suppress(smtplib.SMTPException, OSError):
            smtp.quit()
    finally:
        smtp.close()


@contextmanager
def _classified(host: str, port: int) -> Iterator[None]:
    """Turn what smtplib and the network raise into transient or permanent outcomes."""
    server = f"the SMTP server {host}:{port}"
    try:
        yield
    except smtplib.SMTPAuthenticationError as error:
        raise PermanentError(
            f"{server} refused the user name or password ({error.smtp_code} "
            f"{_text(error.smtp_error)})"
        ) from None
    except smtplib.SMTPNotSupportedError as error:
        raise PermanentError(f"{server}: {error}") from None
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(server, error.recipients) from None
    except smtplib.SMTPResponseException as error:
        raise _reply(server, error.smtp_code, _text(error.smtp_error)) from None
    except ssl.SSLCertVerificationError as error:
        raise PermanentError(
            f"{server} presented a certificate that is not trusted: {error.verify_message}"
        ) from None
    except ssl.SSLError as error:
        raise PermanentError(
            f"TLS with {server} failed ({error.reason}); check the encryption and port"
        ) from None
    except socket.gaierror as error:
        if error.errno == socket.EAI_AGAIN:
            raise TransientError(f"cannot resolve {host!r} now: {error.strerror}") from None
        raise PermanentError(f"unknown SMTP host {host!r}: {error.strerror}") from None
    except TimeoutError:
        raise TransientError(f"{server} did not answer in time") from None
    except smtplib.SMTPServerDisconnected as error:
        # smtplib reports a read that timed out as a disconnection; say which it was.
        if isinstance(error.__context__, TimeoutError):
            raise TransientError(f"{server} did not answer in time") from None
        raise TransientError(f"{server} closed the connection: {error}") from None
    except (smtplib.SMTPException, OSError) as error:
        # Refused or dropped connections and other network failures: worth retrying.
        raise TransientError(f"cannot talk to {server}: {error}") from None


def _reply(server: str, code: int, text: str) -> PermanentError | TransientError:
    # SMTP's own classification: 4xx means "try again later", 5xx means "never like this".
    output = {"code": code, "message": text}  # errorExpression may map a code to a BPMN error
    if 400 <= code < 500:
        return TransientError(f"{server} answered {code} {text} (temporary)", output=output)
    return PermanentError(f"{server} answered {code} {text}", output=output)


def _refused(
    server: str, recipients: dict[str, tuple[int, bytes]]
) -> PermanentError | TransientError:
    rejected = [
        {"address": address, "code": code, "message": _text(reply)}
        for address, (code, reply) in recipients.items()
    ]
    details = "; ".join(f"{r['address']}: {r['code']} {r['message']}" for r in rejected)
    codes = [code for code, _ in recipients.values()]
    # The worst reply decides: one permanent refusal makes the whole attempt permanent.
    output = {"code": max(codes), "message": details, "rejected": rejected}
    if all(400 <= code < 500 for code in codes):
        return TransientError(
            f"{server} refused every recipient for now ({details})", output=output
        )
    return PermanentError(f"{server} refused every recipient ({details})", output=output)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
