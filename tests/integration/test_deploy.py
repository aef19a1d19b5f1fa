"""Deploying: versions by content, unchanged content reuses the version, start by version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from integration import bpmn_models as models
from stead.model import ModelError
from stead.runtime import NotFoundError, Runtime
from stead.store.schema import definitions


def test_unchanged_content_keeps_the_version_and_changed_content_adds_one(
    runtime: Runtime,
) -> None:
    (first,) = runtime.deploy_bytes("charge.bpmn", models.one_job(job_type="charge-card"))
    (again,) = runtime.deploy_bytes("charge.bpmn", models.one_job(job_type="charge-card"))
    (changed,) = runtime.deploy_bytes("charge.bpmn", models.one_job(job_type="charge-card-v2"))

    assert (first.version, first.created) == (1, True)
    assert (again.version, again.created, again.definition_key) == (1, False, first.definition_key)
    assert (changed.version, changed.created) == (2, True)
    assert [d.version for d in runtime.list_definitions()] == [2]


def test_running_instances_stay_on_their_version(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job(job_type="old-type"))
    old = runtime.start("charge")
    runtime.deploy_bytes("charge.bpmn", models.one_job(job_type="new-type"))
    new = runtime.start("charge")
    pinned = runtime.start("charge", version=1)

    assert (old.version, new.version, pinned.version) == (1, 2, 1)
    assert len(runtime.activate_jobs("old-type", worker="w")) == 2
    assert len(runtime.activate_jobs("new-type", worker="w")) == 1


def test_deploying_a_folder_deploys_every_model_in_it(runtime: Runtime, tmp_path: Path) -> None:
    (tmp_path / "a.bpmn").write_bytes(models.one_job("a"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bpmn").write_bytes(models.user_task("b"))
    deployed = runtime.deploy([tmp_path])
    assert sorted(d.process_id for d in deployed) == ["a", "b"]


def test_an_invalid_model_deploys_nothing(runtime: Runtime, tmp_path: Path) -> None:
    (tmp_path / "good.bpmn").write_bytes(models.one_job("good"))
    (tmp_path / "bad.bpmn").write_bytes(b"<not-bpmn/>")
    with pytest.raises(ModelError):
        runtime.deploy([tmp_path / "good.bpmn", tmp_path / "bad.bpmn"])
    assert runtime.list_definitions() == []


def test_starting_an_unknown_process_or_version_is_not_found(runtime: Runtime) -> None:
    runtime.deploy_bytes("charge.bpmn", models.one_job())
    with pytest.raises(NotFoundError):
        runtime.start("nope")
    with pytest.raises(NotFoundError):
        runtime.start("charge", version=7)


def _two_processes(b_job_type: str) -> bytes:
    """One file holding two processes, "a" and "b"."""
    a = models.chain("startEvent sa", models.service_task("ta", "a-work"), "endEvent ea")
    b = models.chain("startEvent sb", models.service_task("tb", b_job_type), "endEvent eb")
    one = models.document("a", a).decode()
    second = f'<bpmn:process id="b" name="b" isExecutable="true">\n{b}\n</bpmn:process>\n'
    return one.replace("</bpmn:definitions>", second + "</bpmn:definitions>").encode()


def test_changing_one_process_of_a_file_leaves_its_siblings_version(runtime: Runtime) -> None:
    first = {d.process_id: d for d in runtime.deploy_bytes("two.bpmn", _two_processes("b-v1"))}
    second = {d.process_id: d for d in runtime.deploy_bytes("two.bpmn", _two_processes("b-v2"))}

    assert (second["a"].version, second["a"].created) == (1, False)
    assert second["a"].definition_key == first["a"].definition_key
    assert (second["b"].version, second["b"].created) == (2, True)


def test_versions_stored_with_a_whole_file_hash_are_still_recognised(
    runtime: Runtime,
) -> None:
    content = models.one_job(job_type="charge-card")
    runtime.deploy_bytes("charge.bpmn", content)
    with runtime.database.transaction() as conn:  # as an older Stead stored it
        conn.execute(
            sa.update(definitions).values(content_hash=hashlib.sha256(content).hexdigest())
        )
    (again,) = runtime.deploy_bytes("charge.bpmn", content)
    assert (again.version, again.created) == (1, False)
