"""A real HTTP server in a thread that records every request and answers as a test scripts it,
and BPMN models with an HTTP connector task."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from integration.bpmn_models import chain, document


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON unless a str
    headers: dict[str, str] = field(default_factory=dict)


Script = Callable[[Request], Reply]


@dataclass
class RecordingServer:
    url: str
    requests: list[Request]
    script: Script

    def answer(self, script: Script) -> None:
        self.script = script


@contextmanager
def recording_server(script: Script | None = None) -> Iterator[RecordingServer]:
    """Serve on a free port until the block ends."""
    recorder = RecordingServer("", [], script or (lambda request: Reply(200, {"ok": True})))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            request = Request(
                self.command,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            with lock:
                recorder.requests.append(request)
                reply = recorder.script(request)
            if isinstance(reply.body, str):
                payload, kind = reply.body.encode(), "text/plain; charset=utf-8"
            elif reply.body is None:
                payload, kind = b"", "text/plain"
            else:
                payload, kind = json.dumps(reply.body).encode(), "application/json"
            self.send_response(reply.status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        # http.server dispatches on these names.
        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that gave up (a timeout test) is not the server's problem

    server = Server(("127.0.0.1", 0), Handler)
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def http_task_model(
    process_id: str,
    inputs: dict[str, str],
    headers: dict[str, str] | None = None,
    *,
    retries: int = 3,
    policy: str = 'initialInterval="PT0.2S" backoffRate="2" maxInterval="PT5S" jitter="false"',
    error_code: str | None = None,
    job_type: str = "stead:http-json:1",
) -> bytes:
    """start -> HTTP connector task ``call`` -> end; with ``error_code``, a boundary event
    catching that BPMN error leads to the end event ``handled``."""
    mappings = "".join(
        f'<zeebe:input source="{escape(source)}" target="{target}"/>'
        for target, source in inputs.items()
    )
    task_headers = "".join(
        f'<zeebe:header key="{key}" value="{escape(value)}"/>'
        for key, value in (headers or {}).items()
    )
    extensions = (
        f'<bpmn:extensionElements><zeebe:taskDefinition type="{job_type}" retries="{retries}"/>'
        f"<stead:retryPolicy {policy}/>"
        f"<zeebe:ioMapping>{mappings}</zeebe:ioMapping>"
        f"<zeebe:taskHeaders>{task_headers}</zeebe:taskHeaders></bpmn:extensionElements>"
    )
    body = chain("startEvent start", f"serviceTask call|{extensions}", "endEvent end")
    messages = ""
    if error_code is not None:
        body += (
            '\n<bpmn:boundaryEvent id="caught" attachedToRef="call">'
            "<bpmn:outgoing>fe</bpmn:outgoing>"
            '<bpmn:errorEventDefinition errorRef="Error_1"/></bpmn:boundaryEvent>'
            '\n<bpmn:endEvent id="handled"><bpmn:incoming>fe</bpmn:incoming></bpmn:endEvent>'
            '\n<bpmn:sequenceFlow id="fe" sourceRef="caught" targetRef="handled"/>'
        )
        messages = f'<bpmn:error id="Error_1" name="{error_code}" errorCode="{error_code}"/>\n'
    return document(process_id, body, messages=messages)
