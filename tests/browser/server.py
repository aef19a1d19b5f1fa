"""A real ``stead serve`` subprocess on a temporary SQLite file and a free port, with an admin
whose password the tests know."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ADMIN_PASSWORD = "admin-password-for-browser-tests"
STARTUP_TIMEOUT = 90.0  # importing Stead on a busy machine can take a while


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SteadServer:
    process: subprocess.Popen[bytes]
    url: str
    database_url: str
    log: Path

    def api(self) -> httpx.Client:
        """An HTTP client authenticated as the admin (basic credentials)."""
        return httpx.Client(base_url=self.url, auth=("admin", ADMIN_PASSWORD), timeout=30.0)

    def serves_webapp(self) -> bool:
        response = httpx.get(f"{self.url}/", timeout=10)
        return response.status_code == 200 and '<div id="root">' in response.text

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(directory: Path) -> SteadServer:
    """``stead serve`` on a new SQLite file in ``directory``; STEAD_BROWSER_TEST_SERVE may name
    another command that runs Stead's command line (default: this Python's ``-m stead.cli``)."""
    port = _free_port()
    database_url = f"sqlite:///{directory / 'stead.db'}"
    log = directory / "serve.log"
    command = os.environ.get("STEAD_BROWSER_TEST_SERVE", f"{sys.executable} -m stead.cli")
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [*command.split(), "--db", database_url, "serve", "--port", str(port)],
            env={**os.environ, "STEAD_ADMIN_PASSWORD": ADMIN_PASSWORD},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = SteadServer(process, f"http://127.0.0.1:{port}", database_url, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"stead serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"stead serve did not become healthy:\n{log.read_text()}")
