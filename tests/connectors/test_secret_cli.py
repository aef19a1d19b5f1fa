"""``stead secret`` as a user runs it: the value comes from standard input or a prompt that does
not echo it, and no output ever shows it."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from stead.cli.main import app
from stead.secrets import SecretStore
from stead.store import open_database

VALUE = "s3cr3t-value-for-cli"
STEAD = [sys.executable, "-m", "stead.cli"]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'stead.db'}"


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STEAD_SECRET_KEY", "STEAD_SERVER")}
    env.pop("STEAD_DEBUG", None)
    return env


def stead(database_url: str, *args: str, stdin: str = "") -> Result:
    """Run the command in this process (a subprocess per call would be slow)."""
    unset: dict[str, str | None] = {"STEAD_SECRET_KEY": None, "STEAD_SERVER": None}
    return CliRunner().invoke(app, ["--db", database_url, *args], input=stdin, env=unset)


def stored(database_url: str, name: str) -> str | None:
    database = open_database(database_url)
    try:
        return SecretStore(database, environ={}).get(name)
    finally:
        database.dispose()


def test_set_from_stdin_list_and_delete(database_url: str) -> None:
    created = stead(database_url, "secret", "set", "CRM_TOKEN", stdin=VALUE + "\n")
    assert created.exit_code == 0, created.output
    assert created.stdout.strip() == "created secret CRM_TOKEN"
    assert stored(database_url, "CRM_TOKEN") == VALUE  # the trailing line break is not kept

    replaced = stead(database_url, "secret", "set", "CRM_TOKEN", "--json", stdin="second")
    assert replaced.exit_code == 0, replaced.output
    assert json.loads(replaced.stdout)["name"] == "CRM_TOKEN"
    assert stored(database_url, "CRM_TOKEN") == "second"

    table = stead(database_url, "secret", "list")
    assert table.stdout.split()[:4] == ["NAME", "UPDATED", "BY", "KEY"]
    assert "CRM_TOKEN" in table.stdout
    listed = json.loads(stead(database_url, "secret", "list", "--json").stdout)
    assert [s["name"] for s in listed] == ["CRM_TOKEN"]
    assert listed[0]["createdBy"].startswith("cli")

    deleted = stead(database_url, "secret", "delete", "CRM_TOKEN")
    assert (deleted.exit_code, deleted.stdout.strip()) == (0, "deleted secret CRM_TOKEN")
    missing = stead(database_url, "secret", "delete", "CRM_TOKEN")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "stead: error: no secret named 'CRM_TOKEN'"
    assert stead(database_url, "secret", "list").stdout.strip() == "no secrets"
    for run in (created, replaced, table, deleted):
        assert VALUE not in run.stdout + run.stderr


def test_bad_input_is_refused_with_a_message(database_url: str) -> None:
    bad_name = stead(database_url, "secret", "set", "my-token", stdin=VALUE)
    assert bad_name.exit_code == 1
    assert "invalid secret name 'my-token'" in bad_name.stderr
    empty = stead(database_url, "secret", "set", "EMPTY", stdin="\n")
    assert empty.exit_code == 1
    assert "'EMPTY': the value is empty" in empty.stderr
    # There is no way to give the value as an argument, where shell history would keep it.
    as_argument = stead(database_url, "secret", "set", "TOKEN", VALUE)
    assert as_argument.exit_code == 2
    assert stored(database_url, "TOKEN") is None


def test_a_broken_key_exits_3_without_a_traceback(database_url: str) -> None:
    env_key = subprocess.run(
        [*STEAD, "--db", database_url, "secret", "set", "TOKEN"],
        input=VALUE,
        env={**environment(), "STEAD_SECRET_KEY": "not-a-key"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert env_key.returncode == 3
    assert "STEAD_SECRET_KEY, entry 1: the key is not base64 of 32" in env_key.stderr
    assert "Traceback" not in env_key.stderr


def _read_until(master: int, marker: bytes, seen: bytearray, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while marker not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {marker!r} in {bytes(seen)!r}"
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: the command ended
                chunk = b""
            assert chunk, f"ended before {marker!r}: {bytes(seen)!r}"
            seen += chunk


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a POSIX terminal")
def test_the_prompt_does_not_echo_the_value(database_url: str) -> None:
    master, slave = os.openpty()
    # Run the command in a session whose controlling terminal is the new one, as in a shell.
    launcher = (
        "import os, sys; os.setsid(); os.close(os.open(os.ttyname(0), os.O_RDWR)); "
        "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
    )
    command = ["-m", "stead.cli", "--db", database_url, "secret", "set", "PROMPTED"]
    process = subprocess.Popen(
        [sys.executable, "-c", launcher, *command],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environment(),
    )
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, b"Value of PROMPTED: ", seen)
        os.write(master, VALUE.encode() + b"\n")
        _read_until(master, b"Value of PROMPTED again: ", seen)
        os.write(master, VALUE.encode() + b"\n")
        _read_until(master, b"created secret PROMPTED", seen)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert VALUE.encode() not in seen
    assert stored(database_url, "PROMPTED") == VALUE
