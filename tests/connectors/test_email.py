"""The email connector against real SMTP servers (aiosmtpd): plain, STARTTLS and implicit TLS
with a certificate made here, password authentication, and the server's refusals."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from connectors.harness import call_with, deploy_and_start, ended, runner_for, running, settle
from connectors.recording_server import http_task_model
from stead.connectors.api import ConnectorCall, InputError, PermanentError, TransientError
from stead.connectors.email import EmailConnector
from stead.connectors.registry import ConnectorRegistry
from stead.runtime import Runtime

USER, PASSWORD = "mailer", "s3cret-pass"


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it receives and refuses some recipients."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    refusals: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@dataclass
class Certificate:
    pem: str
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Stead test mail server")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    (folder / "cert.pem").write_text(pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(pem, folder / "cert.pem", folder / "key.pem")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Authenticator:
    """Accepts exactly USER/PASSWORD and remembers who tried."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, str]] = []

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.attempts.append((login, password))
        # handled=False: aiosmtpd answers the refusal itself (535)
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


@dataclass
class Server:
    port: int
    mailbox: Mailbox
    authenticator: Authenticator


@pytest.fixture
def smtp_server(certificate: Certificate) -> Iterator[Any]:
    """Starts aiosmtpd servers: ``smtp_server(mode)`` with mode ``plain``, ``starttls`` or
    ``tls`` (implicit); each offers AUTH (after STARTTLS only, in ``starttls``)."""
    controllers: list[Controller] = []

    def start(mode: str) -> Server:
        mailbox, authenticator, port = Mailbox(), Authenticator(), _free_port()
        options: dict[str, Any] = {"authenticator": authenticator}
        if mode == "starttls":
            options["tls_context"] = certificate.server_context()
        else:
            # aiosmtpd counts only STARTTLS as encryption; implicit TLS is encrypted too.
            options["auth_require_tls"] = False
        if mode == "tls":
            options["ssl_context"] = certificate.server_context()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return Server(port, mailbox, authenticator)

    yield start
    for controller in controllers:
        controller.stop()


def _call(inputs: dict[str, Any], *, key: str = "instance-1:7") -> ConnectorCall:
    return call_with(EmailConnector.contract, inputs, element_id="notifyCustomer", key=key)


def _mail(port: int, **inputs: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "from": "Orders <orders@shop.example>",
        "to": "alice@example.com",
        "subject": "Order 42 shipped",
        "body": "Your parcel is on its way.",
        **inputs,
    }


def test_the_contract_marks_secrets_and_names_its_type() -> None:
    contract = EmailConnector.contract
    assert contract.job_type == "stead:email-smtp:1"
    # (test_templates checks every built-in contract's schemas, labels and groups)
    assert contract.input_schema["properties"]["password"]["x-secret"] is True
    assert contract.input_schema["properties"]["subject"]["x-feel"] == "optional"
    assert contract.input_schema["properties"]["body"]["x-feel"] == "optional"


def test_a_plain_message_reaches_every_recipient_and_bcc_stays_hidden(smtp_server: Any) -> None:
    server = smtp_server("plain")
    output = EmailConnector().run(
        _call(
            _mail(
                server.port,
                security="none",
                to=["alice@example.com", "Bob Stone <bob@example.com>"],
                cc="carol@example.com",
                bcc="audit@shop.example",
                replyTo="help@shop.example",
                html="<p>Your parcel is <b>on its way</b>.</p>",
            )
        )
    )
    (mail_from, rcpt_tos, message), *others = server.mailbox.received
    assert others == []
    everyone = ["alice@example.com", "bob@example.com", "carol@example.com", "audit@shop.example"]
    assert mail_from == "orders@shop.example"
    assert rcpt_tos == everyone
    assert output["accepted"] == everyone
    assert output["rejected"] == []
    assert message["Subject"] == "Order 42 shipped"
    assert message["From"] == "Orders <orders@shop.example>"
    assert message["To"] == "alice@example.com, Bob Stone <bob@example.com>"
    assert message["Cc"] == "carol@example.com"
    assert message["Reply-To"] == "help@shop.example"
    assert message["Bcc"] is None
    assert message["Message-ID"] == output["messageId"]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    assert text.get_content().strip() == "Your parcel is on its way."
    assert "<b>on its way</b>" in html.get_content()


def test_every_retry_of_one_step_sends_the_same_message_id(smtp_server: Any) -> None:
    server = smtp_server("plain")
    connector = EmailConnector()
    first = connector.run(_call(_mail(server.port, security="none")))
    again = connector.run(_call(_mail(server.port, security="none")))
    other_step = connector.run(_call(_mail(server.port, security="none"), key="instance-1:9"))
    assert first["messageId"] == again["messageId"] != other_step["messageId"]
    assert first["messageId"].endswith("@shop.example>")
    ids = [message["Message-ID"] for _, _, message in server.mailbox.received]
    assert ids == [first["messageId"], first["messageId"], other_step["messageId"]]


def test_starttls_with_a_password_sends_over_the_upgraded_connection(
    smtp_server: Any, certificate: Certificate
) -> None:
    server = smtp_server("starttls")
    EmailConnector().run(
        _call(
            _mail(
                server.port,
                security="starttls",
                caCertificate=certificate.pem,
                authentication="password",
                username=USER,
                password=PASSWORD,
            )
        )
    )
    assert server.authenticator.attempts == [(USER, PASSWORD)]
    assert [message["Subject"] for _, _, message in server.mailbox.received] == ["Order 42 shipped"]


def test_a_refused_password_is_an_incident_with_the_reply_code(
    smtp_server: Any, certificate: Certificate
) -> None:
    server = smtp_server("starttls")
    inputs = _mail(
        server.port,
        caCertificate=certificate.pem,
        authentication="password",
        username=USER,
        password="wrong",
    )
    with pytest.raises(PermanentError, match="refused the user name or password \\(535") as caught:
        EmailConnector().run(_call(inputs))
    assert not isinstance(caught.value, TransientError)
    assert "wrong" not in caught.value.message
    assert server.mailbox.received == []


def test_implicit_tls_delivers(smtp_server: Any, certificate: Certificate) -> None:
    server = smtp_server("tls")
    output = EmailConnector().run(
        _call(
            _mail(
                server.port,
                security="tls",
                caCertificate=certificate.pem,
                authentication="password",
                username=USER,
                password=PASSWORD,
            )
        )
    )
    assert output["accepted"] == ["alice@example.com"]
    assert len(server.mailbox.received) == 1


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_an_untrusted_certificate_is_refused(smtp_server: Any, security: str) -> None:
    server = smtp_server(security)
    with pytest.raises(PermanentError, match="certificate that is not trusted"):
        EmailConnector().run(_call(_mail(server.port, security=security)))
    assert server.mailbox.received == []


def test_starttls_against_a_server_without_it_is_permanent(smtp_server: Any) -> None:
    server = smtp_server("plain")
    with pytest.raises(PermanentError, match="does not offer STARTTLS"):
        EmailConnector().run(_call(_mail(server.port, security="starttls")))


def test_a_password_is_never_sent_unencrypted(smtp_server: Any) -> None:
    server = smtp_server("plain")
    inputs = _mail(
        server.port, security="none", authentication="password", username=USER, password=PASSWORD
    )
    with pytest.raises(InputError) as caught:
        EmailConnector().run(_call(inputs))
    assert caught.value.field_name == "security"
    assert server.authenticator.attempts == []


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("to", "alice@example.com, not an address", "'alice@example.com, not an address'"),
        ("cc", ["bob@example.com", "bob at example"], "'bob at example'"),
        ("from", "orders", "'orders'"),
        ("bcc", ["a@example.com\nBcc: evil@example.com"], "line break"),
    ],
)
def test_an_invalid_address_names_its_field(
    smtp_server: Any, field: str, value: Any, shown: str
) -> None:
    server = smtp_server("plain")
    with pytest.raises(InputError) as caught:
        EmailConnector().run(_call(_mail(server.port, security="none", **{field: value})))
    assert caught.value.field_name == field
    assert shown in caught.value.message
    assert server.mailbox.received == []


def test_a_subject_cannot_smuggle_headers(smtp_server: Any) -> None:
    server = smtp_server("plain")
    inputs = _mail(server.port, security="none", subject="Hi\r\nBcc: evil@example.com")
    with pytest.raises(InputError) as caught:
        EmailConnector().run(_call(inputs))
    assert caught.value.field_name == "subject"


def test_refused_recipients_follow_the_reply_class(smtp_server: Any) -> None:
    server = smtp_server("plain")
    server.mailbox.refusals = {
        "gone@example.com": "550 5.1.1 No such user",
        "full@example.com": "452 4.2.2 Mailbox full",
    }
    connector = EmailConnector()

    partly = connector.run(
        _call(_mail(server.port, security="none", to=["alice@example.com", "gone@example.com"]))
    )
    assert partly["accepted"] == ["alice@example.com"]
    assert partly["rejected"] == [
        {"address": "gone@example.com", "code": 550, "message": "5.1.1 No such user"}
    ]

    with pytest.raises(TransientError, match="452"):
        connector.run(_call(_mail(server.port, security="none", to="full@example.com")))
    with pytest.raises(PermanentError, match="550") as caught:
        connector.run(_call(_mail(server.port, security="none", to="gone@example.com")))
    assert not isinstance(caught.value, TransientError)
    assert len(server.mailbox.received) == 1


def test_a_refused_connection_is_transient() -> None:
    with pytest.raises(TransientError, match="cannot talk to the SMTP server"):
        EmailConnector().run(_call(_mail(_free_port(), security="none")))


def test_a_silent_server_times_out_as_transient() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        with pytest.raises(TransientError, match="did not answer in time"):
            EmailConnector().run(_call(_mail(silent.getsockname()[1], security="none", timeout=1)))
        assert time.monotonic() - started < 5


@pytest.fixture
def runtime_on_sqlite(tmp_path: Path) -> Iterator[Runtime]:
    stead = Runtime.open(f"sqlite:///{tmp_path / 'stead.db'}")
    yield stead
    stead.close()


def test_a_service_task_sends_a_templated_email_through_the_runner(
    smtp_server: Any, runtime_on_sqlite: Runtime
) -> None:
    server = smtp_server("plain")
    model = http_task_model(
        "ship-order",
        {
            "host": "127.0.0.1",
            "port": f"={server.port}",
            "security": "none",
            "from": "Orders <orders@shop.example>",
            "to": "=customer.email",
            "subject": '="Order " + orderId + " shipped"',
            "body": '="Hello " + customer.name + ", your parcel is on its way."',
        },
        {"resultExpression": "={mailId: messageId}"},
        job_type="stead:email-smtp:1",
    )
    runner = runner_for(runtime_on_sqlite, registry=ConnectorRegistry([EmailConnector()]))
    with running(runner):
        instance = deploy_and_start(
            runtime_on_sqlite,
            model,
            {"orderId": "42", "customer": {"name": "Ada", "email": "ada@example.com"}},
        )
        done = settle(runtime_on_sqlite, instance.id, ended)
    assert done.state == "completed"
    [(_, rcpt_tos, message)] = server.mailbox.received
    assert rcpt_tos == ["ada@example.com"]
    assert message["Subject"] == "Order 42 shipped"
    assert message.get_content().strip() == "Hello Ada, your parcel is on its way."
    assert done.variables["mailId"] == message["Message-ID"]


def test_an_error_expression_turns_a_refused_recipient_into_a_bpmn_error(
    smtp_server: Any, runtime_on_sqlite: Runtime
) -> None:
    server = smtp_server("plain")
    server.mailbox.refusals = {"gone@example.com": "550 5.1.1 No such user"}
    model = http_task_model(
        "bounce",
        {
            "host": "127.0.0.1",
            "port": f"={server.port}",
            "security": "none",
            "from": "orders@shop.example",
            "to": "gone@example.com",
            "subject": "Hi",
            "body": "Hello",
        },
        {"errorExpression": '=if code = 550 then bpmnError("bad-address", message) else null'},
        error_code="bad-address",
        job_type="stead:email-smtp:1",
    )
    runner = runner_for(runtime_on_sqlite, registry=ConnectorRegistry([EmailConnector()]))
    with running(runner):
        instance = deploy_and_start(runtime_on_sqlite, model)
        done = settle(runtime_on_sqlite, instance.id, ended)
    assert done.state == "completed"
    history = runtime_on_sqlite.history(instance.id)
    assert any(event.element_id == "handled" for event in history)
    assert server.mailbox.received == []
