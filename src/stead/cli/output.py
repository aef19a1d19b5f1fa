"""Printing resources for people (aligned tables, short detail views) or as JSON (``--json``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import typer

from stead.commands.resources import Resource

__all__ = ["echo_json", "echo_table", "format_time", "shorten"]


def echo_json(value: Resource | Sequence[Resource] | dict[str, Any]) -> None:
    """Print a resource, a list of them, or a plain dict as indented JSON."""
    if isinstance(value, Resource):
        data: Any = value.to_json()
    elif isinstance(value, dict):
        data = value
    else:
        data = [item.to_json() for item in value]
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def format_time(value: dt.datetime | None) -> str:
    """A timestamp in local time to the second, or '-'."""
    if value is None:
        return "-"
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def shorten(value: Any, width: int = 60) -> str:
    """One line of at most ``width`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, empty: str) -> None:
    """Print rows under headers in aligned columns, or ``empty`` when there are none."""
    if not rows:
        typer.echo(empty)
        return
    cells = [[str(h) for h in headers]] + [["-" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
