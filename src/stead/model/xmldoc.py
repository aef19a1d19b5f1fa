"""Reading BPMN XML safely (size limit; no DTDs, entities or network) and the namespaces
Stead understands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element as XmlElement
from xml.etree.ElementTree import ParseError, TreeBuilder

import defusedxml
import defusedxml.ElementTree

from stead.model.errors import ModelError, Problem

__all__ = [
    "BPMN",
    "BPMNDI",
    "CAMUNDA7",
    "MAX_MODEL_BYTES",
    "STEAD",
    "ZEEBE",
    "XmlDocument",
    "XmlElement",
    "local_name",
    "namespace_of",
    "parse_xml",
    "qualified",
]

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
CAMUNDA7 = "http://camunda.org/schema/1.0/bpmn"
# Stead's own extension vocabulary, for what the zeebe one cannot say (retry backoff, ...).
STEAD = "http://stead.dev/schema/bpmn/1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Real models are a few hundred kilobytes; a larger document is an accident or an attack.
MAX_MODEL_BYTES = 10 * 1024 * 1024


def qualified(namespace: str, name: str) -> str:
    """The ElementTree tag for ``name`` in ``namespace``."""
    return f"{{{namespace}}}{name}"


def namespace_of(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A parsed document: its root and the line each ``id`` attribute first appears on."""

    root: XmlElement
    lines: dict[str, int]


class _LineRecorder(TreeBuilder):
    """Builds the tree like ElementTree does and notes the line of every element with an id,
    so problems can point into the file."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.lines: dict[str, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> XmlElement:
        element = super().start(tag, attrs)
        element_id = attrs.get("id")
        if element_id and self.expat is not None:
            self.lines.setdefault(element_id, self.expat.CurrentLineNumber)
        return element


def parse_xml(document: bytes) -> XmlDocument:
    """``document`` parsed; refuses oversized documents, DOCTYPEs (and with them entity
    expansion and external references) and malformed XML with a :class:`ModelError`."""
    if len(document) > MAX_MODEL_BYTES:
        raise ModelError(
            [
                Problem(
                    None,
                    f"the document is {len(document):,} bytes; "
                    f"models larger than {MAX_MODEL_BYTES:,} bytes are refused",
                )
            ]
        )
    recorder = _LineRecorder()
    parser = defusedxml.ElementTree.DefusedXMLParser(
        target=recorder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    recorder.expat = parser.parser
    try:
        parser.feed(document)
        root: XmlElement = parser.close()
    except defusedxml.DTDForbidden:
        raise _refusal(
            "the document has a DOCTYPE declaration; Stead refuses DTDs in models "
            "(they can expand entities or reach the network)"
        ) from None
    except defusedxml.EntitiesForbidden:
        raise _refusal(
            "the document declares XML entities; Stead refuses entities in models"
        ) from None
    except defusedxml.ExternalReferenceForbidden:
        raise _refusal(
            "the document refers to an external resource; Stead never loads those"
        ) from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise _refusal(
            f"not well-formed XML at line {line}, column {column + 1}: {reason}"
        ) from None
    return XmlDocument(root, recorder.lines)


def _refusal(message: str) -> ModelError:
    return ModelError([Problem(None, message)])
