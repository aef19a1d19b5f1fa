"""The web app's built files (made by web/build.sh), served by ``stead serve`` at ``/``."""

from __future__ import annotations

import pathlib

__all__ = ["static_dir"]


def static_dir() -> pathlib.Path:
    """The directory holding the built web app (``index.html`` and its assets)."""
    return pathlib.Path(__file__).resolve().parent / "static"
