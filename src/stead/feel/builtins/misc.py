"""The ``is`` function: whether two values are the same, including type and time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from stead.feel.builtins.registry import builtin
from stead.feel.values import feel_equals, is_zonable, type_name
from stead.feel.wide_temporal import local_nanos

__all__: list[str] = []


def _same_zone(left: dt.tzinfo | None, right: dt.tzinfo | None) -> bool:
    """Zone ids match by name, fixed offsets by amount; an id never matches an offset."""
    if left is None or right is None:
        return left is right
    left_is_id = isinstance(left, zoneinfo.ZoneInfo)
    if left_is_id != isinstance(right, zoneinfo.ZoneInfo):
        return False
    if isinstance(left, zoneinfo.ZoneInfo) and isinstance(right, zoneinfo.ZoneInfo):
        return left.key == right.key
    return left.utcoffset(None) == right.utcoffset(None)


@builtin("is", "value1", "value2")
def is_same(value1: Any, value2: Any) -> bool:
    if type_name(value1) != type_name(value2):
        return False
    if is_zonable(value1) and is_zonable(value2):
        # Same wall-clock reading and same zone: "12:00+01:00" is not "11:00Z" here.
        return local_nanos(value1) == local_nanos(value2) and _same_zone(
            value1.tzinfo, value2.tzinfo
        )
    return feel_equals(value1, value2) is True
