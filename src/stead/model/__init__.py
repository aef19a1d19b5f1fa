"""BPMN models to immutable, validated process definitions.

``parse_bpmn`` reads a BPMN 2.0 document written with the Camunda 8 ``zeebe:`` vocabulary (as
the bpmn-io modeler and Camunda Modeler write it) and returns one :class:`ProcessDefinition` per
executable process, or raises :class:`ModelError` naming every problem. ``stead.model.timers``
computes when timers are due.
"""

from stead.model.bpmn import clear_cache, content_hash, parse_bpmn
from stead.model.errors import ModelError, Problem
from stead.model.graph import (
    CalledElement,
    Element,
    ElementType,
    ErrorDefinition,
    EventType,
    Expression,
    MessageDefinition,
    MultiInstance,
    ProcessDefinition,
    RetryPolicy,
    Scope,
    ScriptDefinition,
    SequenceFlow,
    TaskDefinition,
    TimerDefinition,
    UserTaskDefinition,
    VariableMapping,
)
from stead.model.xmldoc import MAX_MODEL_BYTES, STEAD, ZEEBE

__all__ = [
    "MAX_MODEL_BYTES",
    "STEAD",
    "ZEEBE",
    "CalledElement",
    "Element",
    "ElementType",
    "ErrorDefinition",
    "EventType",
    "Expression",
    "MessageDefinition",
    "ModelError",
    "MultiInstance",
    "Problem",
    "ProcessDefinition",
    "RetryPolicy",
    "Scope",
    "ScriptDefinition",
    "SequenceFlow",
    "TaskDefinition",
    "TimerDefinition",
    "UserTaskDefinition",
    "VariableMapping",
    "clear_cache",
    "content_hash",
    "parse_bpmn",
]
