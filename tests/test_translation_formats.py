"""XLIFF 1.2/2.0, PO and TMX: exports read back by translate-toolkit, memories imported."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import po, tmx, xliff

from taskkinds.base import ExportItem
from taskkinds.translation import KIND
from taskkinds.translation.export import to_xliff2
from taskkinds.translation.formats import (
    FormatError,
    bundle_memory,
    read_memory,
    read_targets,
    to_po,
    to_tmx,
    to_xliff12,
    write_tmx,
)
from taskkinds.translation.memory import MemoryEntry, Origin, TranslationMemory
from taskkinds.translation.model import (
    MemoryUnit,
    Segment,
    TranslationPayload,
    TranslationResult,
)

SOURCES = {
    "s1": 'Hello <b>{name}</b> & "friends"',
    "s2": "Downloaded %d of %d files",
    "s3": "  Keep  my spaces ",
    "s4": "Untranslated",
    "s5": "Line one\nLine two",
}
TARGETS = {
    "s1": "Bonjour <b>{name}</b> & « amis »",
    "s2": "%d fichiers sur %d téléchargés 👍🏽",
    "s3": "  Gardez  mes espaces ",
    "s4": "",
    "s5": "Ligne un\nLigne deux",
}


def task(
    task_id: str = "t-1", targets: dict[str, str] | None = None, **extra: object
) -> ExportItem:
    payload = TranslationPayload(
        source_lang="en",
        target_lang="fr",
        context="Main screen",
        max_length=60,
        segments=[
            Segment(id=key, source=text, note="greeting" if key == "s1" else None)
            for key, text in SOURCES.items()
        ],
    )
    result = TranslationResult(targets=targets if targets is not None else TARGETS, **extra)  # type: ignore[arg-type]
    return ExportItem(task_id, "b-17", payload, result)


TRANSLATED = {key: text for key, text in TARGETS.items() if text}


@pytest.mark.parametrize("write", [to_xliff12, to_xliff2, to_po], ids=["xliff12", "xliff2", "po"])
def test_results_round_trip_through_each_format(
    write: Callable[[Sequence[ExportItem]], bytes],
) -> None:
    data = write([task("t-1"), task("t-2", {"s1": "Salut"})])
    assert read_targets(data, "export") == {
        "b-17/t-1": TRANSLATED,
        "b-17/t-2": {"s1": "Salut"},
    }


def test_xliff12_is_version_1_2_with_limits_notes_and_review_states() -> None:
    data = to_xliff12([task(needs_review=["s2"])])
    root = etree.fromstring(data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    assert root.get("version") == "1.2"
    file = root.find("x:file", ns)
    assert file is not None and file.get("original") == "b-17/t-1"
    assert [etree.QName(child).localname for child in file] == ["header", "body"]
    assert file.findtext("x:header/x:note", namespaces=ns) == "Main screen"
    units = {u.get("id"): u for u in file.iterfind(".//x:trans-unit", ns)}
    assert units["s1"].get("maxwidth") == "60" and units["s1"].get("size-unit") == "char"
    assert units["s1"].findtext("x:note", namespaces=ns) == "greeting"
    review = units["s2"].find("x:target", ns)
    assert review is not None and review.get("state") == "needs-review-translation"
    assert units["s4"].find("x:target", ns) is None
    # translate-toolkit reads it as a translated XLIFF file.
    store = xliff.xlifffile.parsestring(data)
    assert {u.getid().split("\x04")[-1]: u.target for u in store.units if u.target} == TRANSLATED


def test_po_marks_unreviewed_memory_matches_fuzzy_and_names_both_languages() -> None:
    data = to_po([task(needs_review=["s1"])])
    store = po.pofile.parsestring(data)
    assert store.gettargetlanguage() == "fr"
    assert store.parseheader()["X-Source-Language"] == "en"
    units = {u.getcontext(): u for u in store.units if not u.isheader()}
    assert units["b-17/t-1/s1"].isfuzzy() and not units["b-17/t-1/s2"].isfuzzy()
    assert "At most 60 characters." in units["b-17/t-1/s1"].getnotes()
    assert units["b-17/t-1/s4"].target == ""


def test_tmx_export_holds_the_translated_segments() -> None:
    data = to_tmx([task()])
    store = tmx.tmxfile.parsestring(data)
    assert [(u.getid(), u.source, u.target) for u in store.units] == [
        (f"b-17/t-1/{key}", SOURCES[key], text) for key, text in TRANSLATED.items()
    ]


def test_a_memory_round_trips_through_tmx_with_dates_notes_and_regions() -> None:
    entries = [
        MemoryEntry(
            "Save", "Enregistrer", "en-GB", "fr-FR", Origin.OWN,
            datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), datetime(2025, 6, 7, tzinfo=UTC), "button",
        ),
        MemoryEntry("  Two  spaces ", " Deux  espaces", "en", "fr", Origin.BUNDLE),
    ]  # fmt: skip
    back = read_memory(write_tmx(entries, "en-GB"), "mine.tmx", "en", "fr")
    assert back == [
        MemoryEntry(e.source, e.target, e.source_lang, e.target_lang, Origin.IMPORTED,
                    e.created, e.changed, e.note)
        for e in entries
    ]  # fmt: skip
    memory = TranslationMemory("en", "fr", back)
    assert memory.lookup("Save")[0].entry.target == "Enregistrer"


def test_a_multilingual_tmx_gives_the_pair_asked_for() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en-US" datatype="plaintext" segtype="sentence"
 adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
<tu changedate="20240102T030405Z"><tuv xml:lang="en-US">
<seg>Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept></seg></tuv>
<tuv xml:lang="de-DE"><seg>Klicken Sie auf Speichern</seg></tuv>
<tuv xml:lang="fr-FR">
<seg>Cliquez sur <bpt i="1">&lt;b&gt;</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept></seg></tuv></tu>
<tu><tuv xml:lang="fr"><seg>Seul</seg></tuv></tu>
</body></tmx>"""
    (french,) = read_memory(data, "multi.tmx", "en", "fr")
    assert (french.source, french.target) == ("Click <b>Save</b>", "Cliquez sur <b>Enregistrer</b>")
    assert french.changed == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    (german,) = read_memory(data, "multi.tmx", "en", "de")
    assert german.target == "Klicken Sie auf Speichern"
    assert read_memory(data, "multi.tmx", "en", "es") == []


def test_xliff_and_po_files_feed_the_memory_without_fuzzy_or_blank_units() -> None:
    item = task(needs_review=["s3"])
    for data in (to_xliff12([item]), to_xliff2([item])):
        assert {(e.source, e.target) for e in read_memory(data, "x.xlf", "en", "fr")} == {
            (SOURCES[k], TARGETS[k]) for k in ("s1", "s2", "s3", "s5")
        }
    from_po = read_memory(to_po([item]), "x.po", "en", "fr")
    assert {e.source for e in from_po} == {SOURCES[k] for k in ("s1", "s2", "s5")}  # s3 is fuzzy


def test_a_file_of_another_language_pair_is_refused_by_name() -> None:
    with pytest.raises(FormatError, match="en → fr, not en → de") as caught:
        read_memory(to_xliff12([task()]), "work.xlf", "en", "de")
    assert "'work.xlf'" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<tmx><body><tu>", "cannot be read"),
        (b"<html><body>hello</body></html>", "not a TMX or XLIFF"),
        (b'msgid "a"\nmsgstr "b"\nmsgid', "cannot be read"),
    ],
)
def test_damaged_files_get_a_clear_error(data: bytes, message: str) -> None:
    name = "broken.po" if data.startswith(b"msgid") else "broken.tmx"
    with pytest.raises(FormatError, match=message) as caught:
        read_memory(data, name, "en", "fr")
    assert f"'{name}'" in str(caught.value)


def test_an_entity_bomb_is_refused_and_external_entities_are_not_read(tmp_path: Path) -> None:
    levels = '<!ENTITY l0 "lollollollol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    template = (
        '<?xml version="1.0"?><!DOCTYPE tmx [{dtd}]><tmx version="1.4"><header srclang="en"/>'
        '<body><tu><tuv xml:lang="en"><seg>{seg}</seg></tuv>'
        '<tuv xml:lang="fr"><seg>x</seg></tuv></tu></body></tmx>'
    )
    with pytest.raises(FormatError, match="cannot be read"):
        read_memory(template.format(dtd=levels, seg="&l9;").encode(), "bomb.tmx", "en", "fr")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    external = f'<!ENTITY x SYSTEM "{secret.as_uri()}">'
    data = template.format(dtd=external, seg="a &x; b").encode()
    try:
        entries = read_memory(data, "xxe.tmx", "en", "fr")
    except FormatError:
        return
    assert all("SECRET" not in e.source for e in entries)


def test_targets_cannot_be_read_from_a_memory() -> None:
    with pytest.raises(FormatError, match="translation memory"):
        read_targets(to_tmx([task()]), "memory.tmx")


def test_bundle_memory_reads_inline_units_and_media_files(tmp_path: Path) -> None:
    (tmp_path / "memory").mkdir()
    (tmp_path / "memory" / "app.tmx").write_bytes(
        write_tmx([MemoryEntry("Open", "Ouvrir", "en", "fr")], "en")
    )
    payload = TranslationPayload(
        source_lang="en",
        target_lang="fr",
        segments=[Segment(id="s1", source="Open")],
        memory=(MemoryUnit(source="Close", target="Fermer"),),
        memory_files=("memory/app.tmx",),
    )
    entries = bundle_memory(payload, tmp_path)
    assert [(e.source, e.origin) for e in entries] == [
        ("Close", Origin.BUNDLE),
        ("Open", Origin.BUNDLE),
    ]
    with pytest.raises(FormatError, match="'memory/app.tmx' cannot be opened"):
        bundle_memory(payload, tmp_path / "elsewhere")


def test_the_kind_offers_every_format() -> None:
    assert [f.name for f in KIND.export_formats] == ["xliff", "xliff12", "po", "tmx"]
    for fmt in KIND.export_formats:
        assert fmt.write([task()]).startswith((b"<?xml", b"msgid", b"#"))
    with pytest.raises(ValueError, match="nothing to export"):
        KIND.export_format("po").write([])


def test_targets_are_found_inside_groups_of_other_tools() -> None:
    xliff12 = (
        b'<?xml version="1.0"?><xliff version="1.2" '
        b'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="b-1/t-1" '
        b'source-language="en" target-language="fr" datatype="plaintext"><body><group id="g">'
        b'<trans-unit id="s1"><source>Hi</source><target>Salut</target></trans-unit>'
        b"</group></body></file></xliff>"
    )
    xliff20 = (
        b'<?xml version="1.0"?><xliff version="2.0" '
        b'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="fr">'
        b'<file id="f1" original="b-1/t-1"><group id="g"><unit id="s1"><segment>'
        b"<source>Hi</source><target>Salut</target></segment></unit></group></file></xliff>"
    )
    for data in (xliff12, xliff20):
        assert read_targets(data, "other-tool.xlf") == {"b-1/t-1": {"s1": "Salut"}}
