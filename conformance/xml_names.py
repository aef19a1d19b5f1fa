"""Namespace-agnostic reading of DMN and TCK XML elements: local names, children, hrefs."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI_NAMESPACE}}}type"
XSI_NIL = f"{{{XSI_NAMESPACE}}}nil"


def local_name(element: Element) -> str:
    """The tag without its namespace: DMN files use several namespace versions and prefixes."""
    return str(element.tag).rsplit("}", 1)[-1]


def children(element: Element, name: str) -> Iterator[Element]:
    """The direct children with the given local name."""
    return (child for child in element if local_name(child) == name)


def child(element: Element, name: str) -> Element | None:
    """The first direct child with the given local name, if any."""
    return next(children(element, name), None)


def child_text(element: Element, name: str) -> str | None:
    """The text of the first direct child with the given local name, if any."""
    found = child(element, name)
    return None if found is None else (found.text or "")


def href_id(href: str) -> str:
    """The element id an href points at: ``#_abc`` or ``namespace#_abc`` both give ``_abc``."""
    return href.rsplit("#", 1)[-1]


def is_nil(element: Element) -> bool:
    """Whether the element carries ``xsi:nil="true"``."""
    return element.get(XSI_NIL, "").strip() in ("true", "1")
