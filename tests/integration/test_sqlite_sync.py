"""SQLite syncs every commit to disk by default (a committed command survives a power
failure); STEAD_SQLITE_SYNCHRONOUS=normal trades that for speed, and anything else is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stead.store import open_database

_LEVELS = {1: "NORMAL", 2: "FULL"}  # what PRAGMA synchronous reports


def _synchronous(url: str) -> str:
    database = open_database(url)
    try:
        with database.read() as conn:
            (level,) = conn.exec_driver_sql("PRAGMA synchronous").one()
        return _LEVELS[level]
    finally:
        database.dispose()


def test_commits_are_synced_to_disk_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STEAD_SQLITE_SYNCHRONOUS", raising=False)
    assert _synchronous(f"sqlite:///{tmp_path / 'stead.db'}") == "FULL"


def test_normal_sync_can_be_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEAD_SQLITE_SYNCHRONOUS", "normal")
    assert _synchronous(f"sqlite:///{tmp_path / 'stead.db'}") == "NORMAL"


def test_an_unknown_setting_is_refused_with_the_allowed_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEAD_SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(ValueError, match="must be full or normal, not 'off'"):
        open_database(f"sqlite:///{tmp_path / 'stead.db'}")


def test_the_cli_says_what_is_wrong_with_the_setting(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stead.cli", "--db", f"sqlite:///{tmp_path / 's.db'}", "instances"],
        env={**os.environ, "STEAD_SQLITE_SYNCHRONOUS": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "stead: error: STEAD_SQLITE_SYNCHRONOUS must be full or normal, not 'off'"
    )
