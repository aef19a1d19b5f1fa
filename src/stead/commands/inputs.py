"""Parsing what users type or send (JSON variables, durations, times) into checked values, with
errors that name the field and say what is wrong."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from stead.runtime.errors import InvalidRequestError

__all__ = ["parse_datetime", "parse_duration", "parse_variables"]

_SHORT_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")
_ISO_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_variables(text: str | None, *, field: str = "variables") -> dict[str, Any]:
    """A JSON object of variables; empty when ``text`` is None or blank."""
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidRequestError(
            f"{field}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from error
    return require_object(value, field=field)


def require_object(value: Any, *, field: str = "variables") -> dict[str, Any]:
    """``value`` itself, when it is a JSON object (a dict with string keys)."""
    if not isinstance(value, dict):
        raise InvalidRequestError(f"{field}: must be a JSON object, got {type(value).__name__}")
    return value


def parse_duration(text: str, *, field: str = "duration") -> dt.timedelta:
    """``PT10M``/``P1DT2H`` (ISO 8601) or a short form such as ``30s``, ``10m``, ``2h``, ``7d``."""
    stripped = text.strip()
    short = _SHORT_DURATION.match(stripped)
    if short:
        return dt.timedelta(seconds=float(short.group(1)) * _UNITS[short.group(2)])
    iso = _ISO_DURATION.match(stripped)
    if iso and stripped not in ("P", "PT") and not stripped.endswith("T"):
        parts = {name: float(value) for name, value in iso.groupdict().items() if value}
        return dt.timedelta(**parts)
    raise InvalidRequestError(
        f"{field}: {text!r} is not a duration; write ISO 8601 such as PT10M or P1D, "
        "or a short form such as 30s, 10m, 2h, 7d"
    )


def parse_datetime(text: str, *, field: str = "time") -> dt.datetime:
    """An ISO 8601 date-time (UTC when it has no offset) or a date (midnight UTC)."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidRequestError(
            f"{field}: {text!r} is not an ISO 8601 date or date-time"
        ) from error
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
