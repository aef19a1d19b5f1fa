"""Deploying: versions by content, unchanged content reuses the version, start by version."""

from __future__ import annotations

from pathlib import Path

import pytest

from integration import bpmn_models as models
from stead.model import ModelError
from stead.runtime import NotFoundError, Runtime


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
