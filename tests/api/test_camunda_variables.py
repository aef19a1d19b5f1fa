"""Camunda's typed variables to Stead's JSON variables and back, as workers send and read them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from stead.api.camunda.errors import CamundaError
from stead.api.camunda.variables import camunda_time, to_typed, typed_variables, untyped_variables


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("text", "String"),
        (True, "Boolean"),
        (42, "Integer"),
        (2**31 - 1, "Integer"),
        (2**31, "Long"),
        (-(2**31) - 1, "Long"),
        (2.5, "Double"),
        (3.0, "Double"),
        (None, "Null"),
    ],
)
def test_scalars_go_out_with_the_camunda_type_of_their_value(value: Any, kind: str) -> None:
    typed = to_typed(value)
    assert typed["type"] == kind
    assert typed["value"] == value


def test_objects_and_lists_go_out_as_serialized_json() -> None:
    typed = typed_variables({"order": {"id": 7, "lines": [1, 2]}, "tags": ["a"]})
    assert typed["order"]["type"] == "Json"
    assert json.loads(typed["order"]["value"]) == {"id": 7, "lines": [1, 2]}
    assert typed["order"]["valueInfo"]["serializationDataFormat"] == "application/json"
    assert json.loads(typed["tags"]["value"]) == ["a"]


def test_only_the_requested_names_are_sent_and_unknown_names_are_skipped() -> None:
    typed = typed_variables({"a": 1, "b": 2}, ["b", "missing"])
    assert list(typed) == ["b"]


def test_every_type_a_worker_sends_arrives_as_json() -> None:
    variables = untyped_variables(
        {
            "s": {"value": "x", "type": "String"},
            "i": {"value": 5, "type": "Integer"},
            "l": {"value": "9007199254740993", "type": "Long"},
            "d": {"value": 1, "type": "Double"},
            "b": {"value": False, "type": "Boolean"},
            "n": {"value": None, "type": "Null"},
            "j": {"value": '{"k": [1, 2]}', "type": "Json"},
            "o": {
                "value": '{"k": 1}',
                "type": "Object",
                "valueInfo": {"serializationDataFormat": "application/json"},
            },
            "lower": {"value": "[true]", "type": "json"},  # the JavaScript client's spelling
            "untyped": {"value": {"nested": True}},  # the Python client sends no type
            "when": {"value": "2026-03-02T09:00:00.000+0100", "type": "Date"},
        }
    )
    assert variables == {
        "s": "x",
        "i": 5,
        "l": 9007199254740993,
        "d": 1.0,
        "b": False,
        "n": None,
        "j": {"k": [1, 2]},
        "o": {"k": 1},
        "lower": [True],
        "untyped": {"nested": True},
        "when": "2026-03-02T09:00:00+01:00",
    }


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"value": "abc", "type": "Integer"}, "not a Integer"),
        ({"value": 2**31, "type": "Integer"}, "not a Integer"),
        ({"value": 1.5, "type": "Long"}, "not a Long"),
        ({"value": "yes", "type": "Boolean"}, "not a Boolean"),
        ({"value": "{oops", "type": "Json"}, "not valid JSON"),
        ({"value": '{"x": NaN}', "type": "Json"}, "not JSON numbers"),
        ({"value": "AAAA", "type": "Bytes"}, "not supported"),
        (
            {
                "value": "rO0AB",
                "type": "Object",
                "valueInfo": {"serializationDataFormat": "application/x-java-serialized-object"},
            },
            "not supported",
        ),
        ({"value": "yesterday", "type": "Date"}, "not a date"),
        ("plain", "must be an object"),
    ],
)
def test_values_stead_cannot_hold_are_refused_naming_the_variable(entry: Any, reason: str) -> None:
    with pytest.raises(CamundaError) as refused:
        untyped_variables({"amount": entry})
    assert refused.value.status == 400
    assert "variables.amount" in refused.value.message
    assert reason in refused.value.message


def test_times_are_written_the_way_camunda_writes_them() -> None:
    moment = dt.datetime(2026, 3, 2, 9, 0, 5, 123456, tzinfo=dt.UTC)
    assert camunda_time(moment) == "2026-03-02T09:00:05.123+0000"
