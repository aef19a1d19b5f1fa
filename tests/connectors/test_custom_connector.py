"""The custom connector worked example from docs/connectors.md, installed through a real entry
point (a package and its dist-info on the import path): it runs in-process and in a real
`stead serve`, and a broken entry point is reported by name without stopping the server."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from api.server import start_server

from connectors.recording_server import http_task_model
from stead.connectors.registry import ConnectorRegistry
from stead.connectors.runner import ConnectorRunner
from stead.connectors.secrets import SecretResolver
from stead.model import ModelError
from stead.runtime import Runtime

DOCS = Path(__file__).parents[2] / "docs" / "connectors.md"


def documented_block(marker: str) -> str:
    """The fenced code block right after ``<!-- example: marker -->`` in the docs."""
    found = re.search(
        rf"<!-- example: {re.escape(marker)} -->\n```\w+\n(.*?)```", DOCS.read_text(), re.S
    )
    assert found is not None, f"docs/connectors.md has no example {marker!r}"
    return found.group(1)


def install(directory: Path, entry_points: str) -> Path:
    """A distribution as pip would leave it: the package and its dist-info with entry points."""
    package = directory / "acme_connectors"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "greet.py").write_text(documented_block("acme_connectors/greet.py"))
    (package / "broken.py").write_text("import a_module_that_is_not_there\n")
    info = directory / "acme_connectors-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-connectors\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)
    return directory


def entry_points_from_docs(extra: str = "") -> str:
    """The docs' pyproject.toml table as the entry_points.txt an installer writes."""
    toml = documented_block("entry point")
    lines = toml.strip().splitlines()
    assert lines[0] == '[project.entry-points."stead.connectors"]'
    return "[stead.connectors]\n" + "\n".join(lines[1:]).replace('"', "") + "\n" + extra


def forget_the_package() -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "acme_connectors"]:
        del sys.modules[name]


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = install(tmp_path / "site", entry_points_from_docs())
    monkeypatch.syspath_prepend(str(site))
    ConnectorRegistry.reload()
    yield site
    monkeypatch.undo()
    forget_the_package()
    ConnectorRegistry.reload()


def greeting_model(process_id: str, inputs: dict[str, str]) -> bytes:
    return http_task_model(
        process_id, inputs, {"resultVariable": "greeting"}, job_type="acme:greet:1"
    )


def test_the_worked_example_runs_through_its_entry_point(installed: Path, runtime: Runtime) -> None:
    registry = ConnectorRegistry.default()
    assert registry.get("acme:greet:1") is not None
    assert registry.problems == []
    [deployed] = runtime.deploy_bytes("greet.bpmn", greeting_model("greet", {"name": "=who"}))
    instance = runtime.start(deployed.process_id, {"who": "Ada"})
    runner = ConnectorRunner(runtime, registry, SecretResolver(environ={}))
    assert runner.run_once() == 1
    done = runtime.get_instance(instance.id)
    assert done.state == "completed"
    assert done.variables["greeting"] == {"greeting": "Hello, Ada!"}

    blank = runtime.start(deployed.process_id, {"who": "  "})
    assert runner.run_once() == 1
    [incident] = runtime.get_instance(blank.id).incidents
    assert incident.message == "input 'name': must not be blank"


def test_the_custom_contract_is_checked_at_deploy_time(installed: Path, runtime: Runtime) -> None:
    with pytest.raises(ModelError, match="call: connector acme:greet:1 needs input 'name'"):
        runtime.deploy_bytes("greet.bpmn", greeting_model("greet", {}))


def test_a_broken_entry_point_is_named_and_the_rest_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = "broken = acme_connectors.broken:Nothing\nnot-a-class = acme_connectors:__name__\n"
    site = install(tmp_path / "site", entry_points_from_docs(extra))
    monkeypatch.syspath_prepend(str(site))
    try:
        registry = ConnectorRegistry.reload()
    finally:
        monkeypatch.undo()
        forget_the_package()
        ConnectorRegistry.reload()
    assert registry.get("acme:greet:1") is not None
    assert registry.get("stead:http-json:1") is not None
    assert sorted(registry.problems) == [
        "connector entry point 'broken' (acme_connectors.broken:Nothing) cannot be loaded: "
        "ModuleNotFoundError: No module named 'a_module_that_is_not_there'",
        "connector entry point 'not-a-class' (acme_connectors:__name__) is not a subclass of "
        "stead.connectors.api.Connector",
    ]


def test_stead_serve_runs_an_installed_connector_and_survives_a_broken_one(
    tmp_path: Path,
) -> None:
    site = install(tmp_path / "site", entry_points_from_docs("broken = acme_connectors.broken:X\n"))
    server = start_server(
        f"sqlite:///{tmp_path / 'stead.db'}", tmp_path, extra_env={"PYTHONPATH": str(site)}
    )
    try:
        model = greeting_model("served-greet", {"name": "=who"})
        deployed = server.admin.post("/api/deployments", files=[("files", ("g.bpmn", model))])
        assert deployed.status_code == 200, deployed.text
        started = server.admin.post(
            "/api/process-instances", json={"processId": "served-greet", "variables": {"who": "Bo"}}
        )
        instance_id = started.json()["id"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            instance = server.admin.get(f"/api/process-instances/{instance_id}").json()
            if instance["state"] != "active":
                break
            time.sleep(0.1)
        assert instance["variables"]["greeting"] == {"greeting": "Hello, Bo!"}
        templates = server.admin.get("/api/connectors/templates").json()
        assert "acme.greet" in {t["id"] for t in templates}
    finally:
        assert server.stop() == 0
    assert "connector entry point 'broken' (acme_connectors.broken:X) cannot be loaded" in (
        server.log.read_text()
    )
