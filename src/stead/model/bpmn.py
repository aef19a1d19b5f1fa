"""``parse_bpmn``: a BPMN 2.0 document (Camunda 8 ``zeebe:`` vocabulary) to validated
:class:`ProcessDefinition` graphs, cached by content hash."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from xml.etree import ElementTree

from stead.model.context import DocumentError, ReadContext
from stead.model.errors import ModelError, Problem
from stead.model.extensions import extension_children, read_extensions
from stead.model.graph import Element, Expression, MessageDefinition, ProcessDefinition
from stead.model.link import link_draft
from stead.model.nodes import GraphDraft, read_scope
from stead.model.validation import check_graph
from stead.model.xmldoc import (
    BPMN,
    ZEEBE,
    XmlElement,
    local_name,
    namespace_of,
    parse_xml,
    qualified,
)

__all__ = ["CACHE_SIZE", "clear_cache", "content_hash", "parse_bpmn"]

# A form key of this shape refers to a form embedded in the process (zeebe:userTaskForm).
EMBEDDED_FORM_PREFIX = "camunda-forms:bpmn:"

# Parsed documents kept by content hash; a deployment usually holds a handful of models.
CACHE_SIZE = 64

_cache: OrderedDict[str, tuple[ProcessDefinition, ...]] = OrderedDict()
_cache_lock = threading.Lock()


def content_hash(document: bytes) -> str:
    """The sha256 of a document's bytes, in hex: a definition's identity for deduplication."""
    return hashlib.sha256(document).hexdigest()


def clear_cache() -> None:
    """Forget every parsed document (for tests that count parses)."""
    with _cache_lock:
        _cache.clear()


def parse_bpmn(xml: bytes | str, *, source: str = "<model>") -> list[ProcessDefinition]:
    """The executable processes of a BPMN document, in document order.

    Raises :class:`ModelError` listing every problem found (each naming its element) when the
    document is not safe, not well-formed, or holds anything Stead cannot execute. Parsing the
    same bytes again returns the cached definitions; ``source`` (a file name) only labels errors.
    """
    document = xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
    digest = content_hash(document)
    with _cache_lock:
        cached = _cache.get(digest)
        if cached is not None:
            _cache.move_to_end(digest)
            return list(cached)
    try:
        parsed = parse_xml(document)
    except ModelError as error:
        raise ModelError(error.problems, source=source) from None
    try:
        definitions = _read_definitions(parsed.root, digest, source)
    except ModelError as error:
        located = [
            replace(problem, line=parsed.lines.get(problem.element_id or ""))
            for problem in error.problems
        ]
        raise ModelError(located, source=source) from None
    with _cache_lock:
        _cache[digest] = definitions
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return list(definitions)


def _read_definitions(root: XmlElement, digest: str, source: str) -> tuple[ProcessDefinition, ...]:
    if root.tag != qualified(BPMN, "definitions"):
        problem = Problem(None, f"not a BPMN 2.0 document: the root element is {root.tag!r}")
        raise ModelError([problem], source=source)
    ctx = ReadContext()
    _read_messages_and_errors(ctx, root)
    pool_names = _participant_names(root)
    definitions: list[ProcessDefinition] = []
    seen: set[str] = set()
    for process in root.findall(qualified(BPMN, "process")):
        process_id = (process.get("id") or "").strip()
        if not process_id:
            ctx.problem(None, "a process has no id")
            continue
        if process_id in seen:
            ctx.problem(process_id, "two processes have this id")
            continue
        seen.add(process_id)
        if (process.get("isExecutable") or "").strip().lower() != "true":
            continue  # a documentation-only pool; it never runs
        definitions.append(_read_process(ctx, process, process_id, pool_names, digest, root))
    if not definitions and not ctx.problems:
        ctx.problem(None, 'the document has no executable process (isExecutable="true")')
    if ctx.problems:
        raise ModelError(ctx.problems, source=source)
    return tuple(definitions)


def _read_messages_and_errors(ctx: ReadContext, root: XmlElement) -> None:
    for message in root.findall(qualified(BPMN, "message")):
        message_id = (message.get("id") or "").strip()
        if not message_id:
            continue  # nothing can refer to it
        name_text = (message.get("name") or "").strip()
        name = Expression("")
        if name_text:
            name = (
                ctx.expression(name_text, element_id=message_id, attribute="message name") or name
            )
        found = read_extensions(
            ctx, message, message_id, allowed=frozenset({"subscription"}), kind="message"
        )
        ctx.messages[message_id] = MessageDefinition(name, found.correlation_key)
    for error in root.findall(qualified(BPMN, "error")):
        error_id = (error.get("id") or "").strip()
        if not error_id:
            continue
        code_text = (error.get("errorCode") or "").strip()
        code = (
            ctx.expression(code_text, element_id=error_id, attribute="errorCode")
            if code_text
            else None
        )
        error_name = (error.get("name") or "").strip() or None
        ctx.errors[error_id] = DocumentError(error_id, error_name, code)


def _participant_names(root: XmlElement) -> dict[str, str]:
    """Pool names by process id, from the collaboration wrapping the processes (if any)."""
    names: dict[str, str] = {}
    for collaboration in root.findall(qualified(BPMN, "collaboration")):
        for participant in collaboration.findall(qualified(BPMN, "participant")):
            process_ref = (participant.get("processRef") or "").strip()
            name = (participant.get("name") or "").strip()
            if process_ref and name:
                names.setdefault(process_ref, name)
    return names


def _read_process(
    ctx: ReadContext,
    process: XmlElement,
    process_id: str,
    pool_names: dict[str, str],
    digest: str,
    root: XmlElement,
) -> ProcessDefinition:
    extras = _process_extras(ctx, process, process_id)
    draft = GraphDraft(process_id)
    read_scope(ctx, draft, process, process_id)
    graph = link_draft(ctx, draft)
    check_graph(ctx, draft, graph)
    start_form = _start_form(process)
    if start_form:
        extras["startForm"] = start_form
    _check_embedded_forms(ctx, graph.elements.values(), extras)
    name = (process.get("name") or "").strip() or pool_names.get(process_id)
    return ProcessDefinition(
        process_id=process_id,
        name=name,
        elements=graph.elements,
        flows=graph.flows,
        scopes=graph.scopes,
        content_hash=_process_hash(root, process),
        document_hash=digest,
        extras=extras,
    )


def _process_hash(root: XmlElement, process: XmlElement) -> str:
    """sha256 of the document as one process sees it: every top-level element (messages,
    errors, the diagram, ...) but the file's other processes, so a change to a sibling
    process does not make a new version of this one."""
    digest = hashlib.sha256()
    for child in root:
        if child.tag == qualified(BPMN, "process") and child is not process:
            continue
        digest.update(ElementTree.tostring(child))
    return digest.hexdigest()


def _process_extras(ctx: ReadContext, process: XmlElement, process_id: str) -> dict[str, str]:
    """Process-level extensions: the version tag and embedded forms, kept as ``extras``
    (``versionTag``, ``form:<id>``); anything that would change behaviour is refused."""
    read_extensions(
        ctx,
        process,
        process_id,
        allowed=frozenset({"versionTag", "userTaskForm"}),
        kind="process",
    )
    extras: dict[str, str] = {}
    for child in extension_children(process):
        if namespace_of(child.tag) != ZEEBE:
            continue
        if local_name(child.tag) == "versionTag" and child.get("value"):
            extras["versionTag"] = child.get("value") or ""
        elif local_name(child.tag) == "userTaskForm" and child.get("id"):
            extras[f"form:{child.get('id')}"] = (child.text or "").strip()
    return extras


def _check_embedded_forms(
    ctx: ReadContext, elements: Iterable[Element], extras: dict[str, str]
) -> None:
    """A user task's ``camunda-forms:bpmn:<id>`` form key must name an embedded form."""
    for element in elements:
        form_key = element.user_task.form_key if element.user_task else None
        if form_key and form_key.startswith(EMBEDDED_FORM_PREFIX):
            form_id = form_key.removeprefix(EMBEDDED_FORM_PREFIX)
            if f"form:{form_id}" not in extras:
                ctx.problem(
                    element.id,
                    f"the form key {form_key!r} names no embedded form "
                    f"(zeebe:userTaskForm id={form_id!r} on the process)",
                )


def _start_form(process: XmlElement) -> str:
    """The form key or id of the none start event's ``zeebe:formDefinition`` (a start form)."""
    for start in process.findall(qualified(BPMN, "startEvent")):
        for child in extension_children(start):
            if namespace_of(child.tag) == ZEEBE and local_name(child.tag) == "formDefinition":
                return (child.get("formKey") or child.get("formId") or "").strip()
    return ""
