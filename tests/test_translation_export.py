"""XLIFF 2.0 export of translation results, read back as a CAT tool would."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from taskkinds.base import ExportItem
from taskkinds.translation import KIND
from taskkinds.translation.export import to_xliff2
from taskkinds.translation.model import Segment, TranslationPayload, TranslationResult

NS = "urn:oasis:names:tc:xliff:document:2.0"
X = {"x": NS}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def item(
    targets: dict[str, str],
    sources: dict[str, str] | None = None,
    source_lang: str = "en",
    target_lang: str = "fr",
    task_id: str = "t-1",
    bundle_id: str = "b-17",
    context: str | None = None,
    notes: dict[str, str] | None = None,
) -> ExportItem:
    sources = sources or {segment_id: f"Source {segment_id}" for segment_id in targets}
    notes = notes or {}
    payload = TranslationPayload(
        source_lang=source_lang,
        target_lang=target_lang,
        context=context,
        segments=[
            Segment(id=segment_id, source=text, note=notes.get(segment_id))
            for segment_id, text in sources.items()
        ],
    )
    return ExportItem(task_id, bundle_id, payload, TranslationResult(targets=targets))


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def full_text(element: ET.Element) -> str:
    """Text of a <source>/<target>, turning <cp hex="…"/> back into its character."""
    parts = [element.text or ""]
    for child in element:
        assert child.tag == f"{{{NS}}}cp"
        parts.append(chr(int(child.attrib["hex"], 16)) + (child.tail or ""))
    return "".join(parts)


def test_root_declares_xliff_2_namespace_version_and_languages() -> None:
    data = to_xliff2([item({"s1": "Bonjour"}, source_lang="en-GB", target_lang="fr-CA")])
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = parse(data)
    assert root.tag == f"{{{NS}}}xliff"
    assert root.attrib == {"version": "2.0", "srcLang": "en-GB", "trgLang": "fr-CA"}


def test_one_file_per_task_and_one_unit_per_segment() -> None:
    data = to_xliff2(
        [
            item({"s1": "Oui", "s2": "Non"}, task_id="t-1"),
            item({"intro.title": "Titre"}, task_id="t-2", bundle_id="b-18"),
        ]
    )
    files = parse(data).findall("x:file", X)
    assert [(f.get("id"), f.get("original")) for f in files] == [
        ("f1", "b-17/t-1"),
        ("f2", "b-18/t-2"),
    ]
    assert [u.get("id") for u in files[0].findall("x:unit", X)] == ["s1", "s2"]
    unit = files[1].find("x:unit", X)
    assert unit is not None and unit.get("id") == "intro.title"
    assert unit.findtext("x:segment/x:source", namespaces=X) == "Source intro.title"
    assert unit.findtext("x:segment/x:target", namespaces=X) == "Titre"


def test_special_characters_round_trip_exactly() -> None:
    source = '<b>Tom & "Jerry"</b> won\'t {name} > %s'
    targets = {
        "markup": "<b>Tom & « Jerry »</b> n'ira pas {name} > %s",
        "emoji": "Bravo 👍🏽 — c’est fait ✔",
        "rtl": "\u200fمرحبا بالعالم 123",
        "hebrew": "שלום <i>עולם</i>",
        "spaces": "  deux espaces devant, une ligne\nnouvelle, et derrière ",
    }
    data = to_xliff2([item(targets, {key: source for key in targets}, target_lang="ar")])
    assert "👍🏽".encode() in data  # written as UTF-8, not as character references
    units = {u.get("id"): u for u in parse(data).iter(f"{{{NS}}}unit")}
    for segment_id, text in targets.items():
        target = units[segment_id].find("x:segment/x:target", X)
        source_element = units[segment_id].find("x:segment/x:source", X)
        assert target is not None and source_element is not None
        assert full_text(target) == text
        assert full_text(source_element) == source
    spaced = units["spaces"].find("x:segment/x:target", X)
    assert spaced is not None and spaced.get(XML_SPACE) == "preserve"


def test_odd_bundle_and_task_ids_are_escaped_in_original() -> None:
    data = to_xliff2([item({"s1": "Oui"}, bundle_id='b&"<17>', task_id="t 1/é")])
    file = parse(data).find("x:file", X)
    assert file is not None and file.get("original") == 'b&"<17>/t 1/é'


def test_characters_xml_cannot_hold_become_cp_elements() -> None:
    data = to_xliff2([item({"s1": "bell\x07here"}, notes={"s1": "odd\x01note"})])
    target = parse(data).find(".//x:target", X)
    assert target is not None
    assert [c.get("hex") for c in target] == ["0007"]
    assert full_text(target) == "bell\x07here"
    assert parse(data).findtext(".//x:unit/x:notes/x:note", namespaces=X) == "odd\ufffdnote"


def test_segment_notes_and_task_context_are_notes() -> None:
    data = to_xliff2(
        [item({"s1": "Ouvrir"}, context="Menu of a photo app", notes={"s1": "Verb, max one word"})]
    )
    file = parse(data).find("x:file", X)
    assert file is not None
    assert file.findtext("x:notes/x:note", namespaces=X) == "Menu of a photo app"
    assert file.findtext("x:unit/x:notes/x:note", namespaces=X) == "Verb, max one word"
    # XLIFF 2.0 wants <notes> before the units and before the segments.
    assert [child.tag.split("}")[1] for child in file] == ["notes", "unit"]
    unit = file.find("x:unit", X)
    assert unit is not None
    assert [child.tag.split("}")[1] for child in unit] == ["notes", "segment"]


def test_untranslated_segments_are_initial_without_a_target() -> None:
    data = to_xliff2(
        [
            item(
                {"done": "Fait", "blank": "", "spaces": "   "},
                {"done": "Done", "blank": "B", "spaces": "S", "absent": "A"},
            )
        ]
    )
    segments = {u.get("id"): u.find("x:segment", X) for u in parse(data).iter(f"{{{NS}}}unit")}
    states = {
        key: (s.get("state"), s.find("x:target", X) is not None)
        for key, s in segments.items()
        if s is not None
    }
    assert states == {
        "done": ("translated", True),
        "blank": ("initial", False),
        "spaces": ("initial", False),
        "absent": ("initial", False),
    }


def test_targets_for_segments_the_task_lacks_are_left_out() -> None:
    data = to_xliff2([item({"s1": "Oui", "stray": "Non"}, {"s1": "Yes"})])
    assert [u.get("id") for u in parse(data).iter(f"{{{NS}}}unit")] == ["s1"]


def test_mixed_language_pairs_are_refused_naming_both() -> None:
    with pytest.raises(ValueError, match="one language pair at a time") as caught:
        to_xliff2([item({"s1": "Oui"}), item({"s1": "Ja"}, target_lang="de")])
    assert "en → fr" in str(caught.value) and "en → de" in str(caught.value)


def test_language_tags_differing_only_in_case_are_one_pair() -> None:
    data = to_xliff2(
        [item({"s1": "Oui"}, target_lang="fr-CA"), item({"s1": "Non"}, target_lang="fr-ca")]
    )
    assert len(parse(data).findall("x:file", X)) == 2


def test_nothing_to_export_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to export"):
        to_xliff2([])


def test_the_kind_offers_xliff_through_its_export_formats() -> None:
    fmt = KIND.export_format("xliff")
    assert fmt.suffix == ".xlf"
    assert parse(fmt.write([item({"s1": "Oui"})])).tag == f"{{{NS}}}xliff"


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint is not installed")
def test_xmllint_finds_the_document_well_formed(tmp_path: Path) -> None:
    path = tmp_path / "export.xlf"
    path.write_bytes(to_xliff2([item({"s1": "<b>Tom & Jerry</b> 👍"}, context="x < y")]))
    subprocess.run(["xmllint", "--noout", str(path)], check=True)
