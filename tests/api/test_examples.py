"""The example processes that ./scripts/start deploys: every one deploys, and the order intake
answers its webhook as examples/README.md describes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.server import SteadServer, sqlite_server

EXAMPLES = Path(__file__).parents[2] / "examples"
HOOK = "/hooks/shop/orders"
TOKEN = {"Authorization": "Bearer demo-shop-token"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SteadServer]:
    directory = tmp_path_factory.mktemp("examples")
    with sqlite_server(directory) as running:
        yield running


def test_every_example_deploys(server: SteadServer) -> None:
    files = sorted(EXAMPLES.glob("*.bpmn"))
    assert len(files) >= 5
    uploads = [("files", (path.name, path.read_bytes(), "application/xml")) for path in files]
    answer = server.admin.post("/api/deployments", files=uploads)
    assert answer.status_code in (200, 201), answer.text
    deployed = {p["processId"] for p in answer.json()["processes"]}
    assert {"order-fulfilment", "loan-approval", "order-intake"} <= deployed


def test_the_order_intake_webhook_starts_instances(server: SteadServer) -> None:
    test_every_example_deploys(server)
    with server.client() as shop:
        assert shop.post(HOOK, json={"id": "o-1", "total": 50}).status_code == 401
        small = shop.post(HOOK, json={"id": "o-1", "total": 50}, headers=TOKEN)
        large = shop.post(HOOK, json={"id": "o-2", "total": 5000}, headers=TOKEN)
        ignored = shop.post(HOOK, json={"id": "o-3", "total": 0}, headers=TOKEN)
    assert small.status_code == large.status_code == 200, (small.text, large.text)
    assert ignored.status_code == 202
    assert small.json()["received"] is True
    small_instance = server.admin.get(f"/api/process-instances/{small.json()['instance']}")
    large_instance = server.admin.get(f"/api/process-instances/{large.json()['instance']}")
    assert small_instance.json()["state"] == "completed"
    assert large_instance.json()["state"] == "active"
    assert large_instance.json()["variables"]["order"] == {"id": "o-2", "total": 5000}
    waiting = [t["elementId"] for t in large_instance.json()["waiting"]]
    assert waiting == ["ReviewOrder"]
