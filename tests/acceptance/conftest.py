"""Fixtures for the acceptance tests: a fresh SQLite file per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_harness import SteadCli


@pytest.fixture
def stead(tmp_path: Path) -> SteadCli:
    env = dict(os.environ)
    env["STEAD_DATABASE_URL"] = f"sqlite:///{tmp_path / 'stead.db'}"
    env.pop("STEAD_DEBUG", None)
    return SteadCli(env)
