"""Reading TCK ``valueType`` XML (typed values, lists, components, nil) into FEEL values.

The runner parses XML Schema literals itself rather than through ``stead.feel.temporal``, so a
fault in the implementation under test can never also change what the test expects.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import zoneinfo
from typing import Any
from xml.etree.ElementTree import Element

from conformance.xml_names import XSI_TYPE, child, children, is_nil
from stead.feel.values import DayTimeDuration, YearMonthDuration
from stead.feel.wide_temporal import WideDate, WideTime, make_date, make_date_time, make_time

__all__ = ["TckValueError", "parse_xsd_literal", "read_value"]

_NUMBER_TYPES = frozenset(
    {"decimal", "double", "float", "int", "integer", "long", "short", "byte", "number"}
)

_TIME_PATTERN = re.compile(
    r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})(?:\.(?P<frac>\d+))?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2}(?::\d{2})?|@[A-Za-z0-9_/+-]+)?$"
)
_DATE_PATTERN = re.compile(r"(?P<y>-?\d{4,})-(?P<mo>\d{2})-(?P<d>\d{2})$")
_DURATION_PATTERN = re.compile(
    r"(?P<sign>-)?P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


class TckValueError(ValueError):
    """A value in a test file that the runner cannot read."""


def read_value(element: Element) -> Any:
    """The FEEL value of a ``valueType`` element (an inputNode, expected, item or component)."""
    if is_nil(element):
        return None
    value = child(element, "value")
    if value is not None:
        return _read_simple(value)
    listed = child(element, "list")
    if listed is not None:
        if is_nil(listed):
            return None
        return [read_value(item) for item in children(listed, "item")]
    components = list(children(element, "component"))
    if components:
        return {c.get("name", ""): read_value(c) for c in components}
    # An element with no value at all (e.g. an empty component) stands for null.
    return None


def _read_simple(element: Element) -> Any:
    if is_nil(element):
        return None
    xsi_type = element.get(XSI_TYPE)
    text = element.text or ""
    if xsi_type is None:
        # Untyped values are read as strings, as XML Schema's anySimpleType would be.
        return text
    return parse_xsd_literal(xsi_type.rsplit(":", 1)[-1], text)


def parse_xsd_literal(xsd_type: str, text: str) -> Any:
    """The FEEL value of an XML Schema literal of the given (unprefixed) type."""
    stripped = text.strip()
    try:
        if xsd_type in _NUMBER_TYPES:
            return _parse_number(stripped)
        if xsd_type == "string":
            return text
        if xsd_type == "boolean":
            return _parse_boolean(stripped)
        if xsd_type == "date":
            return _parse_date(stripped)
        if xsd_type == "time":
            return _parse_time(stripped)
        if xsd_type == "dateTime":
            date_text, _, time_text = stripped.partition("T")
            return make_date_time(_parse_date(date_text), _parse_time(time_text))
        if xsd_type in ("duration", "dayTimeDuration", "yearMonthDuration"):
            return _parse_duration(stripped)
    except (ValueError, ArithmeticError, zoneinfo.ZoneInfoNotFoundError) as exc:
        raise TckValueError(f"cannot read xsd:{xsd_type} value {text!r}: {exc}") from exc
    raise TckValueError(f"unsupported value type xsd:{xsd_type}")


def _parse_number(text: str) -> decimal.Decimal:
    # Doubles such as 1.0E-7 or INF are read exactly as written; NaN/INF are not FEEL numbers.
    number = decimal.Decimal(text)
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def _parse_boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError("not a boolean")


def _parse_date(text: str) -> dt.date | WideDate:
    match = _DATE_PATTERN.match(text)
    if match is None:
        raise ValueError("not a date")
    # Years outside 1..9999 need the wide representation Python's date cannot give.
    return make_date(int(match["y"]), int(match["mo"]), int(match["d"]))


def _parse_time(text: str) -> dt.time | WideTime:
    match = _TIME_PATTERN.match(text)
    if match is None:
        raise ValueError("not a time")
    nano = int((match["frac"] or "").ljust(9, "0")[:9])
    zone = match["zone"]
    tzinfo: dt.tzinfo | None = None
    if zone == "Z":
        tzinfo = dt.UTC
    elif zone and zone.startswith("@"):
        tzinfo = zoneinfo.ZoneInfo(zone[1:])
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        seconds = int(zone[7:9]) if len(zone) > 6 else 0
        tzinfo = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes, seconds=seconds))
    return make_time(int(match["h"]), int(match["m"]), int(match["s"]), nano, tzinfo)


def _parse_duration(text: str) -> DayTimeDuration | YearMonthDuration:
    match = _DURATION_PATTERN.match(text)
    if match is None or text.endswith(("P", "T")):
        raise ValueError("not a duration")
    sign = -1 if match["sign"] else 1
    has_months = match["y"] is not None or match["mo"] is not None
    has_time = any(match[g] is not None for g in ("d", "h", "mi", "s"))
    if has_months and has_time:
        raise ValueError("mixes years/months with days/time")
    if has_months:
        return YearMonthDuration(sign * (int(match["y"] or 0) * 12 + int(match["mo"] or 0)))
    seconds = (
        decimal.Decimal(match["d"] or 0) * 86400
        + decimal.Decimal(match["h"] or 0) * 3600
        + decimal.Decimal(match["mi"] or 0) * 60
        + decimal.Decimal(match["s"] or 0)
    )
    return DayTimeDuration(sign * seconds)
