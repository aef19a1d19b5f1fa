"""Camunda's typed variables (``{"value": ..., "type": "Integer", "valueInfo": {...}}``)
converted to Stead's JSON variables and back.

Stead keeps variables as JSON. Going out, numbers become Integer (32-bit), Long or Double by
value, objects and arrays become Json whose value is the serialized JSON text. Coming in, every
Camunda type a JSON document can carry is accepted: Json, and Object serialized as
``application/json``, are parsed back into JSON; Date becomes an ISO 8601 string; a value
without a type keeps its JSON type. Types Stead cannot hold (File, Bytes, Java-serialized
objects) are refused rather than stored in a form no worker could read back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from stead.api.camunda.errors import bad_request

__all__ = ["camunda_time", "from_typed", "to_typed", "typed_variables", "untyped_variables"]

_INT32 = range(-(2**31), 2**31)
_INT64 = range(-(2**63), 2**63)
JSON_FORMAT = "application/json"


def to_typed(value: Any) -> dict[str, Any]:
    """One Stead value as a Camunda typed value."""
    if value is None:
        return {"type": "Null", "value": None, "valueInfo": {}}
    if isinstance(value, bool):
        return {"type": "Boolean", "value": value, "valueInfo": {}}
    if isinstance(value, int):
        kind = "Integer" if value in _INT32 else "Long"
        return {"type": kind, "value": value, "valueInfo": {}}
    if isinstance(value, float):
        return {"type": "Double", "value": value, "valueInfo": {}}
    if isinstance(value, str):
        return {"type": "String", "value": value, "valueInfo": {}}
    return {
        "type": "Json",
        "value": json.dumps(value, separators=(",", ":"), ensure_ascii=False),
        "valueInfo": {"serializationDataFormat": JSON_FORMAT},
    }


def typed_variables(
    variables: Mapping[str, Any], names: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The variables (only ``names`` when given; unknown names are left out) as typed values."""
    if names is None:
        return {name: to_typed(value) for name, value in variables.items()}
    return {name: to_typed(variables[name]) for name in names if name in variables}


def untyped_variables(typed: Any, *, field: str = "variables") -> dict[str, Any]:
    """A request's typed variables as Stead JSON variables; None and {} are no variables."""
    if typed is None:
        return {}
    if not isinstance(typed, dict):
        raise bad_request(f"{field}: must be a JSON object of variables")
    return {str(name): from_typed(name, entry, field=field) for name, entry in typed.items()}


def from_typed(name: str, entry: Any, *, field: str = "variables") -> Any:
    """One typed value from a request as a JSON value."""
    where = f"{field}.{name}"
    if not isinstance(entry, dict):
        raise bad_request(f'{where}: must be an object such as {{"value": 1, "type": "Integer"}}')
    value = entry.get("value")
    kind = entry.get("type")
    if kind is None:
        return _plain(value, where)
    if not isinstance(kind, str):
        raise bad_request(f"{where}: type must be a string")
    value_info = entry.get("valueInfo") or {}
    if not isinstance(value_info, dict):
        raise bad_request(f"{where}: valueInfo must be an object")
    return _convert(kind.lower(), value, value_info, where, kind)


def _convert(kind: str, value: Any, value_info: dict[str, Any], where: str, shown: str) -> Any:
    if value is None or kind == "null":
        return None
    if kind == "string":
        return _require(value, str, where, shown)
    if kind == "boolean":
        return _require(value, bool, where, shown)
    if kind in ("integer", "short", "long"):
        return _whole(value, where, shown, _INT64 if kind == "long" else _INT32)
    if kind == "double":
        return _double(value, where)
    if kind == "json":
        return _parse_json(value, where)
    if kind == "object":
        data_format = value_info.get("serializationDataFormat", JSON_FORMAT)
        if data_format != JSON_FORMAT:
            raise bad_request(
                f"{where}: objects serialized as {data_format!r} are not supported; "
                f"send them as {JSON_FORMAT!r}"
            )
        return _parse_json(value, where) if isinstance(value, str) else value
    if kind == "date":
        return _date(value, where)
    raise bad_request(
        f"{where}: variables of type {shown} are not supported; use String, Integer, Long, "
        "Double, Boolean, Date, Json, Object (application/json) or Null"
    )


def _plain(value: Any, where: str) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise bad_request(f"{where}: {value} is not a number JSON can hold")
    return value


def _require(value: Any, kind: type, where: str, shown: str) -> Any:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise bad_request(f"{where}: {json.dumps(value)} is not a {shown} value")
    return value


def _whole(value: Any, where: str, shown: str, bounds: range) -> int:
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise bad_request(f"{where}: {value!r} is not a {shown} value") from None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in bounds:
        raise bad_request(f"{where}: {json.dumps(value)} is not a {shown} value")
    return int(value)


def _double(value: Any, where: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise bad_request(f"{where}: {value!r} is not a Double value") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad_request(f"{where}: {json.dumps(value)} is not a Double value")
    if not math.isfinite(value):
        raise bad_request(f"{where}: {value} is not a number JSON can hold")
    return float(value)


def _parse_json(value: Any, where: str) -> Any:
    if not isinstance(value, str):
        return value  # already structured: take it as it is
    try:
        return json.loads(value, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise bad_request(f"{where}: the value is not valid JSON ({error.msg})") from None
    except ValueError:
        raise bad_request(f"{where}: NaN and Infinity are not JSON numbers") from None


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _date(value: Any, where: str) -> str:
    """Camunda writes dates as ``2026-03-02T09:00:00.000+0100``; Stead keeps ISO 8601 text."""
    if not isinstance(value, str):
        raise bad_request(f"{where}: a Date must be a string such as 2026-03-02T09:00:00.000+0000")
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # +0100 -> +01:00
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(
            f"{where}: {value!r} is not a date; write it as 2026-03-02T09:00:00.000+0000"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def camunda_time(moment: dt.datetime | None) -> str | None:
    """A time as Camunda writes it: milliseconds and a ``+0000`` offset."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (
        moment.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{moment.microsecond // 1000:03d}"
        + (moment.strftime("%z") or "+0000")
    )
