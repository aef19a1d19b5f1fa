"""Hostile and broken documents are refused with a clear error before anything is read."""

from __future__ import annotations

import pytest
from bpmn_documents import around, document, process

from stead.model import MAX_MODEL_BYTES, ModelError, parse_bpmn

PLAIN = around('<bpmn:task id="t" />', "t")


def refusal(xml: bytes) -> str:
    with pytest.raises(ModelError) as caught:
        parse_bpmn(xml, source="hostile.bpmn")
    return str(caught.value)


def test_external_entity_is_refused_without_reading_the_file() -> None:
    xml = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        b'<bpmn:process id="p" name="&secret;" isExecutable="true"/></bpmn:definitions>'
    )
    message = refusal(xml)
    assert "DOCTYPE" in message
    assert "root:" not in message  # nothing of /etc/passwd leaked into the error


def test_billion_laughs_is_refused() -> None:
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY lol0 "lol">{entities}]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        '<bpmn:process id="p" name="&lol9;" isExecutable="true"/></bpmn:definitions>'
    ).encode()
    assert "DOCTYPE" in refusal(xml)


def test_any_doctype_is_refused() -> None:
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE definitions>' + document(process(PLAIN)).split(b"?>", 1)[1]
    )
    message = refusal(xml)
    assert message.startswith("hostile.bpmn: ")
    assert "DOCTYPE" in message


def test_malformed_xml_names_line_and_column() -> None:
    xml = (
        b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="x">\n'
        b'  <bpmn:process id="p">\n</bpmn:definitions>'
    )
    message = refusal(xml)
    assert "not well-formed XML at line 4" in message
    assert "column" in message


def test_oversized_document_is_refused_before_parsing() -> None:
    xml = document(process(PLAIN)) + b" " * MAX_MODEL_BYTES
    assert "larger than" in refusal(xml)


def test_a_document_that_is_not_bpmn_is_refused() -> None:
    assert "not a BPMN 2.0 document" in refusal(b"<html><body/></html>")


def test_a_document_without_executable_process_is_refused() -> None:
    message = refusal(document(process(PLAIN, executable=False)))
    assert "no executable process" in message
