"""Translation results as an XLIFF 2.0 document. Qt-free."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from taskkinds.base import ExportItem, as_model
from taskkinds.translation.model import TranslationPayload, TranslationResult

__all__ = ["XLIFF_NAMESPACE", "one_language_pair", "result_of", "to_xliff2"]

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot carry; XLIFF 2.0 writes them as <cp hex="…"/>.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Whitespace an XML tool may collapse unless told to preserve it.
_FRAGILE_SPACE = re.compile(r"^\s|\s$|\s\s|[\t\n\r]")


def to_xliff2(items: Sequence[ExportItem]) -> bytes:
    """Write translation results as one XLIFF 2.0 document, UTF-8 with an XML declaration.

    Each item becomes a ``<file id="fN" original="<bundle_id>/<task_id>">`` with the
    payload's context as a file note; each segment a ``<unit id="<segment id>">`` with
    its note, and a ``<segment>`` whose state is ``translated`` when the target has text
    and ``initial`` (with no ``<target>``) when it is missing or blank. Inline tags and
    placeholders such as ``<b>`` or ``{name}`` stay escaped text for now; they are not
    yet turned into ``<ph>``/``<pc>`` markup. Characters XML cannot carry become
    ``<cp>`` elements.

    Raises ``ValueError`` when ``items`` is empty (XLIFF needs at least one file) or
    when the items do not all share one language pair.
    """
    tasks = one_language_pair(items)
    source_lang, target_lang = tasks[0][1].source_lang, tasks[0][1].target_lang

    root = ET.Element(
        "xliff",
        {
            "xmlns": XLIFF_NAMESPACE,
            "version": "2.0",
            "srcLang": source_lang,
            "trgLang": target_lang,
        },
    )
    for number, (item, payload) in enumerate(tasks, start=1):
        result = result_of(item)
        file = ET.SubElement(
            root, "file", {"id": f"f{number}", "original": f"{item.bundle_id}/{item.task_id}"}
        )
        if payload.context:
            _add_notes(file, [(payload.context, "context")])
        for segment in payload.segments:
            unit = ET.SubElement(file, "unit", {"id": segment.id})
            if segment.note:
                _add_notes(unit, [(segment.note, None)])
            target = result.targets.get(segment.id, "")
            translated = bool(target.strip())
            xliff_segment = ET.SubElement(
                unit, "segment", {"state": "translated" if translated else "initial"}
            )
            _add_text(ET.SubElement(xliff_segment, "source"), segment.source)
            if translated:
                _add_text(ET.SubElement(xliff_segment, "target"), target)
    _indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def one_language_pair(items: Sequence[ExportItem]) -> list[tuple[ExportItem, TranslationPayload]]:
    """Each item with its payload; raises ``ValueError`` when ``items`` is empty or when
    the items do not all share one language pair (tags compared ignoring case)."""
    if not items:
        raise ValueError("nothing to export")
    tasks = [(item, as_model(TranslationPayload, item.payload)) for item in items]
    source_lang, target_lang = tasks[0][1].source_lang, tasks[0][1].target_lang
    for _, payload in tasks:
        if (payload.source_lang.lower(), payload.target_lang.lower()) != (
            source_lang.lower(),
            target_lang.lower(),
        ):
            raise ValueError(
                "These results mix language pairs "
                f"({source_lang} → {target_lang} and "
                f"{payload.source_lang} → {payload.target_lang}). "
                "Export one language pair at a time."
            )
    return tasks


def result_of(item: ExportItem) -> TranslationResult:
    """The item's result as a ``TranslationResult``."""
    return as_model(TranslationResult, item.result)


def _add_notes(parent: ET.Element, notes: list[tuple[str, str | None]]) -> None:
    container = ET.SubElement(parent, "notes")
    for text, category in notes:
        note = ET.SubElement(container, "note", {"category": category} if category else {})
        # Notes hold plain text only, so characters XML cannot carry are replaced.
        note.text = _NOT_XML.sub("\ufffd", text)


def _add_text(element: ET.Element, text: str) -> None:
    """Put ``text`` in ``element``, with <cp> for characters XML cannot carry."""
    if _FRAGILE_SPACE.search(text):
        element.set(_XML_SPACE, "preserve")
    pieces = _NOT_XML.split(text)
    element.text = pieces[0]
    for char, tail in zip(_NOT_XML.findall(text), pieces[1:], strict=True):
        cp = ET.SubElement(element, "cp", {"hex": f"{ord(char):04X}"})
        cp.tail = tail


_STRUCTURE = frozenset({"xliff", "file", "notes", "unit", "segment"})


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the document's structure, never the text inside <source>, <target> or <note>."""
    if element.tag not in _STRUCTURE or not len(element):
        return
    element.text = "\n" + "  " * (level + 1)
    for child in element:
        _indent(child, level + 1)
        child.tail = "\n" + "  " * (level + 1)
    element[-1].tail = "\n" + "  " * level
