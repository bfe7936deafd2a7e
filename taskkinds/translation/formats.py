"""XLIFF 1.2, PO and TMX: result exports, memory import/export, targets read back. Qt-free.

Every file is read and written through translate-toolkit (its XML parser refuses
entities and external DTDs). XLIFF 2.0 export stays in ``export.py``; this module
reads XLIFF 2.0 too. Characters XML 1.0 cannot carry (control characters) are dropped
by the toolkit from XLIFF 1.2, PO and TMX files; only XLIFF 2.0 keeps them, as ``<cp>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from taskkinds.base import ExportItem
from taskkinds.translation.export import one_language_pair, result_of
from taskkinds.translation.memory_entries import (
    MemoryEntry,
    Origin,
    payload_entries,
    same_language,
)
from taskkinds.translation.model import TranslationPayload

__all__ = [
    "FormatError",
    "bundle_memory",
    "read_memory",
    "read_targets",
    "to_po",
    "to_tmx",
    "to_xliff12",
    "write_tmx",
]

XLIFF12_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# White space an XML reader may collapse unless told to preserve it.
_FRAGILE_SPACE = re.compile(r"^\s|\s$|\s\s|[\t\n\r]")
_TMX_DATE = "%Y%m%dT%H%M%SZ"
_TOOL = "Ouvrage"


class FormatError(ValueError):
    """A translation file that cannot be read; the message names it and says what to do."""


def _toolkit() -> Any:
    """translate-toolkit's storage modules, imported on first use (they load lxml, which
    this module also imports only where it uses it)."""
    from translate.storage import po, tmx, xliff, xliff2

    return po, tmx, xliff, xliff2


# --- exports of results ----------------------------------------------------------------


def _xliff12_store(source_lang: str, target_lang: str) -> Any:
    """An empty XLIFF 1.2 store (the toolkit writes 1.1 unless told otherwise)."""
    _, _, xliff, _ = _toolkit()
    unit_class = type("Xliff12Unit", (xliff.xlifffile.UnitClass,), {"namespace": XLIFF12_NAMESPACE})
    skeleton = (
        '<?xml version="1.0" ?>\n'
        f"<xliff version='1.2' xmlns='{XLIFF12_NAMESPACE}'>\n"
        "<file original='NoName' source-language='en' datatype='plaintext'>\n"
        "<body>\n</body>\n</file>\n</xliff>"
    )
    file_class = type(
        "Xliff12File",
        (xliff.xlifffile,),
        {"UnitClass": unit_class, "namespace": XLIFF12_NAMESPACE, "XMLskeleton": skeleton},
    )
    return file_class(sourcelanguage=source_lang, targetlanguage=target_lang)


def to_xliff12(items: Sequence[ExportItem]) -> bytes:
    """Results as one XLIFF 1.2 document, one ``<file original="<bundle>/<task>">`` per task.

    Each segment is a ``<trans-unit id="<segment id>">`` with ``maxwidth`` and
    ``size-unit="char"`` when it has a length limit, the segment note as a
    ``<note from="developer">`` and the task context as a note in the file header.
    A translated segment has a ``<target state="translated">``, or
    ``state="needs-review-translation"`` while it awaits review of a memory match;
    a blank one has no target. Raises ``ValueError`` as ``to_xliff2`` does.
    """
    from lxml import etree

    tasks = one_language_pair(items)
    store = _xliff12_store(tasks[0][1].source_lang, tasks[0][1].target_lang)
    for item, payload in tasks:
        result = result_of(item)
        original = f"{item.bundle_id}/{item.task_id}"
        store.switchfile(original, createifmissing=True)
        if payload.context:
            file_node = store.getfilenode(original)
            header = store.getheadernode(file_node, createifmissing=True)
            file_node.insert(0, header)  # XLIFF 1.2 wants <header> before <body>
            note = etree.SubElement(header, f"{{{XLIFF12_NAMESPACE}}}note")
            note.text = payload.context
        for segment in payload.segments:
            unit = store.addsourceunit(segment.source, filename=original)
            unit.setid(segment.id)
            limit = payload.limit_for(segment)
            if limit is not None:
                unit.xmlelement.set("maxwidth", str(limit))
                unit.xmlelement.set("size-unit", "char")
            target = result.targets.get(segment.id, "")
            if target.strip():
                unit.target = target
                unit.xmlelement.attrib.pop("approved", None)
                if segment.id in result.needs_review:
                    target_node = unit.xmlelement.find(unit.namespaced("target"))
                    target_node.set("state", "needs-review-translation")
            if segment.note:
                unit.addnote(segment.note, origin="developer")
    return bytes(store)


def to_po(items: Sequence[ExportItem]) -> bytes:
    """Results as one gettext PO file, UTF-8.

    Each segment is an entry with ``msgctxt "<bundle>/<task>/<segment id>"``, the
    source as ``msgid`` and the target as ``msgstr`` (empty when blank). Segments that
    await review of a memory match are marked ``fuzzy``. Notes, the task context and
    the length limit are extracted comments. The header names the target language
    (``Language``) and the source language (``X-Source-Language``).
    """
    tasks = one_language_pair(items)
    po, _, _, _ = _toolkit()
    store = po.pofile()
    store.updateheader(
        add=True,
        Language=tasks[0][1].target_lang,
        X_Source_Language=tasks[0][1].source_lang,
        X_Generator=_TOOL,
        Content_Type="text/plain; charset=UTF-8",
    )
    for item, payload in tasks:
        result = result_of(item)
        for segment in payload.segments:
            unit = store.addsourceunit(segment.source)
            unit.setcontext(f"{item.bundle_id}/{item.task_id}/{segment.id}")
            comments = [payload.context, segment.note]
            limit = payload.limit_for(segment)
            if limit is not None:
                comments.append(f"At most {limit} characters.")
            for comment in comments:
                if comment:
                    unit.addnote(comment, origin="developer")
            unit.target = result.targets.get(segment.id, "")
            if segment.id in result.needs_review and unit.target:
                unit.markfuzzy(True)
    return bytes(store)


def to_tmx(items: Sequence[ExportItem]) -> bytes:
    """The translated segments of the results as a TMX 1.4 memory (blank ones left out).

    Each becomes a ``<tu tuid="<bundle>/<task>/<segment id>">``.
    """
    tasks = one_language_pair(items)
    source_lang, target_lang = tasks[0][1].source_lang, tasks[0][1].target_lang
    entries: list[tuple[str, MemoryEntry]] = []
    for item, payload in tasks:
        result = result_of(item)
        for segment in payload.segments:
            target = result.targets.get(segment.id, "")
            if target.strip():
                entry = MemoryEntry(
                    segment.source, target, source_lang, target_lang, note=segment.note or ""
                )
                entries.append((f"{item.bundle_id}/{item.task_id}/{segment.id}", entry))
    return _tmx(entries, source_lang)


def write_tmx(entries: Iterable[MemoryEntry], source_lang: str) -> bytes:
    """Memory entries as a TMX 1.4 file, with their dates and notes, for other CAT tools."""
    return _tmx([("", entry) for entry in entries], source_lang)


def _tmx(entries: Sequence[tuple[str, MemoryEntry]], source_lang: str) -> bytes:
    _, tmx, _, _ = _toolkit()
    store = tmx.tmxfile(sourcelanguage=source_lang)
    store.addheader()
    header = store.document.getroot().find("header")
    header.set("creationtool", _TOOL)
    header.set("creationtoolversion", "1")
    for tuid, entry in entries:
        unit = store.addsourceunit(entry.source, entry.source_lang)
        unit.settarget(entry.target, entry.target_lang, append=True)
        if tuid:
            unit.xmlelement.set("tuid", tuid)
        if _FRAGILE_SPACE.search(entry.source) or _FRAGILE_SPACE.search(entry.target):
            unit.xmlelement.set(_XML_SPACE, "preserve")
        for attribute, when in (("creationdate", entry.created), ("changedate", entry.changed)):
            if when is not None:
                aware = when if when.tzinfo else when.replace(tzinfo=UTC)
                unit.xmlelement.set(attribute, aware.astimezone(UTC).strftime(_TMX_DATE))
        if entry.note:
            unit.addnote(entry.note)
    return bytes(store)


# --- reading ---------------------------------------------------------------------------


def _kind_of(data: bytes, name: str) -> str:
    """``tmx``, ``xliff1``, ``xliff2`` or ``po``, from the content rather than the name."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") or name.lower().endswith((".tmx", ".xlf", ".xliff")):
        if b"<tmx" in head:
            return "tmx"
        if b"<xliff" in head:
            return "xliff2" if b"document:2." in head or b'version="2' in head else "xliff1"
        if b"version='2" in head:
            return "xliff2"
        raise FormatError(f"'{name}' is not a TMX or XLIFF file. Choose a .tmx, .xlf or .po file.")
    return "po"


def _parse(data: bytes, name: str) -> tuple[str, Any]:
    po, tmx, xliff, xliff2 = _toolkit()
    kind = _kind_of(data, name)
    readers = {
        "tmx": tmx.tmxfile.parsestring,
        "xliff1": xliff.xlifffile.parsestring,
        "xliff2": xliff2.Xliff2File.parsestring,
        "po": po.pofile.parsestring,
    }
    try:
        return kind, readers[kind](data)
    except Exception as exc:  # lxml and the toolkit raise many types on damaged files
        raise FormatError(
            f"'{name}' cannot be read ({str(exc)[:200] or type(exc).__name__}). "
            "Export it again from the tool that made it."
        ) from None


def read_memory(
    data: bytes,
    name: str,
    source_lang: str,
    target_lang: str,
    origin: Origin = Origin.IMPORTED,
) -> list[MemoryEntry]:
    """Memory entries of one language pair from a TMX, XLIFF (1.2 or 2.0) or PO file.

    TMX units give one entry per unit that has both languages (region subtags are
    ignored), with their dates and notes; XLIFF and PO units give an entry when
    translated (PO entries marked fuzzy are left out). An XLIFF or PO file that
    declares another language pair is refused. Raises ``FormatError``.
    """
    kind, store = _parse(data, name)
    if kind == "tmx":
        return _tmx_entries(store, source_lang, target_lang, origin)
    declared_source = store.getsourcelanguage() if kind != "po" else None
    declared_target = store.gettargetlanguage()
    for declared, wanted in ((declared_source, source_lang), (declared_target, target_lang)):
        if declared and not same_language(declared, wanted):
            raise FormatError(
                f"'{name}' is for {declared_source or '?'} → {declared_target or '?'}, "
                f"not {source_lang} → {target_lang}. Choose a file of this language pair."
            )
    entries = []
    for unit in store.units:
        if kind == "po" and (unit.isheader() or unit.isfuzzy() or unit.isobsolete()):
            continue
        source, target = _unit_texts(kind, unit)
        if source.strip() and target.strip():
            entries.append(MemoryEntry(source, target, source_lang, target_lang, origin))
    return entries


def _unit_texts(kind: str, unit: Any) -> tuple[str, str]:
    if kind == "xliff2":
        source = unit.xmlelement.find(unit.namespaced("source"))
        target = unit.xmlelement.find(unit.namespaced("target"))
        return _xliff2_text(source), _xliff2_text(target)
    source, target = unit.source, unit.target
    # Plural PO entries: the singular forms stand for the entry.
    source = getattr(source, "strings", [source])[0] if source is not None else ""
    target = getattr(target, "strings", [target])[0] if target is not None else ""
    return str(source or ""), str(target or "")


def _xliff2_text(element: Any) -> str:
    """Text of an XLIFF 2.0 <source>/<target>: <cp> back to its character, other inline
    markup flattened to its text."""
    if element is None:
        return ""
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        if etree.QName(child).localname == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                parts.append("\ufffd")
        else:
            parts.append(_xliff2_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tmx_entries(
    store: Any, source_lang: str, target_lang: str, origin: Origin
) -> list[MemoryEntry]:
    entries = []
    for unit in store.units:
        texts: dict[str, tuple[str, str]] = {}
        space = unit.xmlelement.get(_XML_SPACE, "default")
        for node in unit.getlanguageNodes():
            language = node.get(_XML_LANG) or node.get("lang") or ""
            text = unit.getNodeText(node, space) or ""
            for wanted in (source_lang, target_lang):
                if language and same_language(language, wanted) and wanted not in texts:
                    texts[wanted] = (language, text)
        if source_lang not in texts or target_lang not in texts:
            continue
        (src_tag, source), (tgt_tag, target) = texts[source_lang], texts[target_lang]
        if not source.strip() or not target.strip() or src_tag == tgt_tag:
            continue
        entries.append(
            MemoryEntry(
                source,
                target,
                src_tag,
                tgt_tag,
                origin,
                created=_tmx_date(unit.xmlelement.get("creationdate")),
                changed=_tmx_date(unit.xmlelement.get("changedate")),
                note=unit.getnotes() or "",
            )
        )
    return entries


def _tmx_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, _TMX_DATE).replace(tzinfo=UTC)
    except ValueError:
        return None


def read_targets(data: bytes, name: str) -> dict[str, dict[str, str]]:
    """Translations in an XLIFF (1.2 or 2.0) or PO file this app exported, by task.

    Returns ``{"<bundle>/<task>": {segment id: target}}`` for every unit with a
    non-blank target, so a contributor can translate in another tool and bring the
    work back. Raises ``FormatError`` for TMX files and unreadable ones.
    """
    kind, store = _parse(data, name)
    if kind == "tmx":
        raise FormatError(f"'{name}' is a translation memory. Import it into the memory instead.")
    found: dict[str, dict[str, str]] = {}
    for unit in store.units:
        if kind == "po":
            if unit.isheader() or unit.isobsolete():
                continue
            original, _, segment_id = (unit.getcontext() or "").rpartition("/")
        elif kind == "xliff2":
            original = _file_original(unit.getunitelement())
            segment_id = unit.getunitelement().get("id", "")
        else:
            original = _file_original(unit.xmlelement)
            segment_id = unit.xmlelement.get("id", "")
        _, target = _unit_texts(kind, unit)
        if segment_id and target.strip():
            found.setdefault(original, {})[segment_id] = target
    return found


def _file_original(element: Any) -> str:
    """The ``original`` of the XLIFF ``<file>`` holding ``element`` (groups may lie between)."""
    from lxml import etree

    for ancestor in element.iterancestors():
        if etree.QName(ancestor).localname == "file":
            return str(ancestor.get("original", ""))
    return ""


def bundle_memory(payload: TranslationPayload, media_dir: Path | None) -> list[MemoryEntry]:
    """The memory a task brings: its inline units and its memory files, as bundle entries.

    Files are read from ``media_dir`` (the bundle's unpacked folder). A missing or
    unreadable file raises ``FormatError`` naming it; the inline units alone are
    always available through ``memory.payload_entries``.
    """
    entries = payload_entries(payload)
    for relative in payload.memory_files:
        if media_dir is None:
            raise FormatError(f"The memory file '{relative}' is not available offline.")
        path = media_dir.joinpath(*relative.split("/"))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FormatError(
                f"The memory file '{relative}' cannot be opened ({exc.strerror}). "
                "Download the bundle again."
            ) from None
        entries.extend(
            read_memory(data, relative, payload.source_lang, payload.target_lang, Origin.BUNDLE)
        )
    return entries
