"""Glossary terms found in a source, and what the checks say about their translation."""

from __future__ import annotations

import pytest

from taskkinds.base import Severity
from taskkinds.translation.checks import validate
from taskkinds.translation.glossary import (
    Glossary,
    GlossaryFileError,
    read_csv,
    read_tbx,
    write_csv,
)
from taskkinds.translation.model import GlossaryTerm, Segment, TranslationPayload, TranslationResult

TERMS = [
    GlossaryTerm(source="file", targets=("fichier",)),
    GlossaryTerm(source="hard drive", targets=("disque dur",), forbidden=("disque rigide",)),
    GlossaryTerm(source="drive", targets=("lecteur",)),
    GlossaryTerm(source="box", targets=("boîte",)),
    GlossaryTerm(source="Weather Pro", targets=("Weather Pro",), case_sensitive=True),
]


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.term.source, text[hit.start : hit.end]) for hit in Glossary(TERMS).find(text)]


def test_terms_are_found_with_plurals_any_case_and_the_longest_wins() -> None:
    assert found("Copy the Files to the hard drives, in boxes.") == [
        ("file", "Files"),
        ("hard drive", "hard drives"),
        ("box", "boxes"),
    ]
    assert found("Open the drive") == [("drive", "drive")]


def test_terms_match_whole_words_only_and_case_when_asked() -> None:
    assert found("Profiles and filed boxing") == []
    assert found("weather pro") == []
    assert found("Get Weather Pro now") == [("Weather Pro", "Weather Pro")]


def test_a_missing_expected_translation_is_a_warning_naming_it() -> None:
    problems = list(Glossary(TERMS).problems("Delete the file", "Supprimer le document", "s1"))
    assert [(p.code, p.severity) for p in problems] == [("glossary_term_missing", Severity.WARNING)]
    assert "“file”" in problems[0].message and "“fichier”" in problems[0].message


def test_an_inflected_expected_translation_counts() -> None:
    glossary = Glossary(TERMS)
    assert list(glossary.problems("Copy the files", "Copiez les fichiers", "s1")) == []
    assert list(glossary.problems("Two hard drives", "Deux disques durs", "s1")) == []


def test_a_forbidden_translation_is_an_error_with_the_right_one() -> None:
    problems = list(
        Glossary(TERMS).problems("Format the hard drive", "Formatez le disque rigide", "s1")
    )
    assert [p.code for p in problems] == ["glossary_forbidden_term", "glossary_term_missing"]
    assert problems[0].blocking
    assert "“disque rigide”" in problems[0].message and "“disque dur”" in problems[0].message


def test_a_forbidden_word_elsewhere_is_not_blamed_on_the_term() -> None:
    # "disque rigide" is forbidden for "hard drive", not for every sentence.
    assert list(Glossary(TERMS).problems("Save it", "Le disque rigide", "s1")) == []


def test_validate_enforces_the_payload_glossary() -> None:
    payload = TranslationPayload(
        source_lang="en",
        target_lang="fr",
        segments=[Segment(id="s1", source="Format the hard drive.")],
        glossary=TERMS,  # type: ignore[arg-type]
    )
    bad = validate(payload, TranslationResult(targets={"s1": "Formatez le disque rigide."}))
    assert [p.code for p in bad if p.blocking] == ["glossary_forbidden_term"]
    assert validate(payload, TranslationResult(targets={"s1": "Formatez le disque dur."})) == []


def test_blank_terms_are_refused() -> None:
    with pytest.raises(ValueError):
        GlossaryTerm(source="  ", targets=("x",))


# --- files -----------------------------------------------------------------------------


def test_csv_with_a_header_finds_columns_by_name() -> None:
    data = (
        b"Term;Translation;Forbidden;Comment\n"
        b"file;fichier | document;dossier;noun\n"
        b";orphan;;\n"
        b"save;enregistrer;;\n"
    )
    terms = read_csv(data)
    assert terms == [
        GlossaryTerm(source="file", targets=("fichier", "document"), forbidden=("dossier",),
                     note="noun"),
        GlossaryTerm(source="save", targets=("enregistrer",)),
    ]  # fmt: skip


def test_csv_without_a_header_reads_source_target_note_and_windows_encoding() -> None:
    data = "café,coffee,drink\r\nthé,tea\r\n".encode("cp1252")
    assert read_csv(data) == [
        GlossaryTerm(source="café", targets=("coffee",), note="drink"),
        GlossaryTerm(source="thé", targets=("tea",)),
    ]


def test_csv_round_trips_through_write_csv() -> None:
    assert read_csv(write_csv(TERMS)) == TERMS


def test_an_empty_csv_says_so() -> None:
    with pytest.raises(GlossaryFileError, match="empty"):
        read_csv(b"\n\n", "mine.csv")


TBX = b"""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">Device that stores files</descrip>
      <langSet xml:lang="en-US"><tig><term>hard drive</term></tig></langSet>
      <langSet xml:lang="fr-FR">
        <tig><term>disque dur</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>disque rigide</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de"><tig><term>Festplatte</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en"><tig><term>file</term></tig></langSet>
      <langSet xml:lang="fr"><tig><term>fichier</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_tbx_gives_expected_and_deprecated_terms_of_the_pair() -> None:
    terms = read_tbx(TBX, "en", "fr")
    assert terms == [
        GlossaryTerm(source="hard drive", targets=("disque dur",), forbidden=("disque rigide",),
                     note="Device that stores files"),
        GlossaryTerm(source="file", targets=("fichier",)),
    ]  # fmt: skip
    assert [t.targets for t in read_tbx(TBX, "en", "de")] == [("Festplatte",), ()]


def test_a_broken_tbx_is_refused_with_advice() -> None:
    with pytest.raises(GlossaryFileError, match="not a readable TBX"):
        read_tbx(b"<martif><text><body>", "en", "fr", "terms.tbx")
