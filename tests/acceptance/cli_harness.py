"""Running the ``stead`` command as a subprocess, as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODELS = Path(__file__).parent / "models"
STEAD = [sys.executable, "-m", "stead.cli"]


@dataclass
class SteadCli:
    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*STEAD, *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        if check and done.returncode != 0:
            raise AssertionError(f"stead {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)

    def start_process(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        """Start a long-running command (serve, worker run) with its output in ``log``."""
        with log.open("ab") as out:
            return subprocess.Popen([*STEAD, *args], env=self.env, stdout=out, stderr=out)
