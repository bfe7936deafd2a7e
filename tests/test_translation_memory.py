"""What the translation memory proposes as the contributor moves to a segment."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from rapidfuzz import fuzz, process

from taskkinds.translation.memory import (
    Match,
    MemoryEntry,
    Origin,
    TranslationMemory,
    diff_sources,
    own_entries,
    payload_entries,
    prefill_exact,
)
from taskkinds.translation.model import (
    MemoryUnit,
    Segment,
    TranslationPayload,
    TranslationResult,
)


def entry(
    source: str,
    target: str = "",
    origin: Origin = Origin.OWN,
    when: datetime | None = None,
    pair: tuple[str, str] = ("en", "fr"),
) -> MemoryEntry:
    return MemoryEntry(source, target or f"FR {source}", *pair, origin, changed=when)


def memory(*entries: MemoryEntry) -> TranslationMemory:
    return TranslationMemory("en", "fr", entries)


def sources(matches: list[Match]) -> list[str]:
    return [m.entry.source for m in matches]


# --- ranking ---------------------------------------------------------------------------


def test_closer_edits_rank_higher() -> None:
    tm = memory(
        entry("Delete all files in the folder"),
        entry("Delete the selected files"),
        entry("Delete the selected file now"),
        entry("Delete the file"),
    )
    matches = tm.lookup("Delete the selected file")
    assert sources(matches)[:2] == ["Delete the selected files", "Delete the selected file now"]
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(70 <= s < 100 for s in scores)


def test_an_identical_source_is_100_and_comes_first_whitespace_aside() -> None:
    tm = memory(entry("Save the file"), entry("Save  the\u00a0file "))
    matches = tm.lookup("Save the file")
    assert [m.score for m in matches] == [100, 100]
    assert all(m.exact for m in matches)


def test_case_placeholders_and_punctuation_keep_a_match_below_100() -> None:
    tm = memory(entry("save the file"), entry("Save the {name}"), entry("Save the file!"))
    for match in tm.lookup("Save the file", threshold=0.5):
        assert match.score < 100
    assert tm.lookup("Save the file", threshold=0.5)[0].entry.source == "save the file"
    assert tm.lookup("Save the file", threshold=0.5)[0].score == 99


def test_equal_scores_rank_own_then_bundle_then_imported_then_newest() -> None:
    old, new = datetime(2023, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    tm = memory(
        entry("Open the map", "imported", Origin.IMPORTED, new),
        entry("Open the map", "bundle", Origin.BUNDLE, new),
        entry("Open the map", "own, old", Origin.OWN, old),
        entry("Open the map", "own, new", Origin.OWN, new),
    )
    assert [m.entry.target for m in tm.lookup("Open the map")] == [
        "own, new",
        "own, old",
        "bundle",
        "imported",
    ]


def test_a_better_score_beats_a_better_origin() -> None:
    tm = memory(
        entry("Open the weather map", origin=Origin.OWN),
        entry("Open the weather maps", origin=Origin.IMPORTED),
    )
    assert tm.lookup("Open the weather maps")[0].origin is Origin.IMPORTED


def test_threshold_and_limit() -> None:
    tm = memory(*(entry(f"Show {n} new messages") for n in range(10)), entry("Unrelated text"))
    assert len(tm.lookup("Show 3 new messages")) == 5
    assert len(tm.lookup("Show 3 new messages", limit=2)) == 2
    assert tm.lookup("Completely different words here") == []
    assert sources(tm.lookup("Show 3 new messages", threshold=1.0)) == ["Show 3 new messages"]


def test_one_source_with_one_translation_is_proposed_once() -> None:
    tm = memory(
        entry("Cancel", "Annuler", Origin.BUNDLE),
        entry("Cancel", "Annuler", Origin.IMPORTED),
        entry("Cancel", "Abandonner", Origin.IMPORTED),
    )
    matches = tm.lookup("Cancel")
    assert [(m.entry.target, m.origin) for m in matches] == [
        ("Annuler", Origin.BUNDLE),
        ("Abandonner", Origin.IMPORTED),
    ]


def test_diff_shows_what_changed_in_the_new_source() -> None:
    ops = diff_sources("Delete the selected files", "Delete the chosen file")
    assert ops == (
        ("equal", "Delete the "),
        ("delete", "selected"),
        ("insert", "chosen"),
        ("equal", " "),
        ("delete", "files"),
        ("insert", "file"),
    )
    match = memory(entry("Delete the selected files")).lookup("Delete the chosen file")[0]
    assert match.diff == ops
    # The new source reads back from its equal and inserted parts.
    assert "".join(text for kind, text in ops if kind != "delete") == "Delete the chosen file"


def test_other_language_pairs_are_refused_but_regions_are_not() -> None:
    tm = TranslationMemory("en-GB", "fr")
    assert tm.add(entry("Hello", pair=("en-US", "fr-CA")))
    assert not tm.add(entry("Hello", pair=("en", "de")))
    assert not tm.add(entry("   ", "x"))
    assert len(tm) == 1


def test_adding_the_same_translation_again_refreshes_it() -> None:
    tm = memory()
    tm.add(entry("Save", "Enregistrer", when=datetime(2023, 1, 1, tzinfo=UTC)))
    tm.add(entry("Save", "Enregistrer", when=datetime(2025, 1, 1, tzinfo=UTC)))
    assert len(tm) == 1
    (only,) = tm.lookup("Save")
    assert only.entry.changed == datetime(2025, 1, 1, tzinfo=UTC)


def test_removed_entries_are_no_longer_proposed_before_or_after_compaction() -> None:
    kept, dropped = entry("Close the window"), entry("Close the windows")
    tm = memory(kept, dropped)
    tm.compact()
    assert tm.remove(dropped)
    assert not tm.remove(dropped)
    assert sources(tm.lookup("Close the windows")) == ["Close the window"]
    tm.compact()
    assert sources(tm.lookup("Close the windows")) == ["Close the window"]
    assert list(tm) == [kept]


def test_entries_added_after_the_index_was_built_are_found() -> None:
    tm = TranslationMemory("en", "fr", pending_limit=10)
    tm.extend(entry(f"Message number {n} arrived") for n in range(50))  # built on bulk load
    tm.add(entry("A message arrived late"))  # pending, scored by brute force
    assert "A message arrived late" in sources(tm.lookup("A message arrived later"))


def test_the_index_finds_what_brute_force_finds() -> None:
    rng = random.Random(3)
    words = [
        "weather",
        "forecast",
        "rain",
        "snow",
        "wind",
        "alert",
        "city",
        "map",
        "file",
        "save",
        "open",
        "close",
        "new",
    ]
    texts = [" ".join(rng.choices(words, k=rng.randint(3, 9))) for _ in range(3_000)]
    tm = TranslationMemory("en", "fr", (entry(t) for t in texts), pending_limit=100)
    folded = [" ".join(t.split()).casefold() for t in texts]
    for query in rng.sample(texts, 40) + [t[: len(t) // 2] for t in rng.sample(texts, 20)]:
        best = process.extractOne(" ".join(query.split()).casefold(), folded, scorer=fuzz.ratio)
        assert best is not None
        found = tm.lookup(query, limit=1, threshold=0.5)
        if best[1] >= 50:
            assert found and found[0].score >= min(99, round(best[1]))


# --- concordance -----------------------------------------------------------------------


def test_concordance_finds_text_in_sources_and_targets_with_spans() -> None:
    tm = memory(
        entry("Heavy snow tonight", "Fortes chutes de neige ce soir"),
        entry("Snow  storm", "Tempête de neige", Origin.IMPORTED),
        entry("Rain tomorrow", "Pluie demain"),
    )
    hits = tm.concordance("snow")
    assert [h.entry.source for h in hits] == ["Heavy snow tonight", "Snow  storm"]
    assert hits[0].source_spans == ((6, 10),)
    assert tm.concordance("snow storm")[0].source_spans == ((0, 11),)
    by_target = tm.concordance("NEIGE")
    assert len(by_target) == 2 and by_target[0].target_spans == ((17, 22),)
    assert tm.concordance("hail") == [] and tm.concordance("  ") == []
    assert len(tm.concordance("e", limit=2)) == 2


def test_concordance_sees_entries_added_later() -> None:
    tm = memory(entry("Wind alert"))
    assert len(tm.concordance("alert")) == 1
    tm.add(entry("Storm alert"))
    assert len(tm.concordance("alert")) == 2


# --- entries from tasks and storage ----------------------------------------------------

PAYLOAD = TranslationPayload(
    source_lang="en",
    target_lang="fr",
    segments=[Segment(id="s1", source="Try again"), Segment(id="s2", source="Cancel")],
    memory=(MemoryUnit(source="Try again", target="Réessayer"),),
)


def test_records_round_trip_for_the_store() -> None:
    original = MemoryEntry(
        "Save", "Enregistrer", "en", "fr", Origin.IMPORTED,
        datetime(2024, 5, 1, 12, tzinfo=UTC), datetime(2025, 1, 2, tzinfo=UTC), "button",
    )  # fmt: skip
    assert MemoryEntry.from_record(original.to_record()) == original
    bare = MemoryEntry("Save", "Enregistrer", "en", "fr")
    assert bare.to_record() == {
        "source": "Save", "target": "Enregistrer", "source_lang": "en", "target_lang": "fr",
        "origin": "own",
    }  # fmt: skip
    with pytest.raises(ValueError):
        MemoryEntry.from_record({"source": "x"})


def test_bundle_units_and_own_translations_become_entries() -> None:
    assert payload_entries(PAYLOAD) == [
        MemoryEntry("Try again", "Réessayer", "en", "fr", Origin.BUNDLE)
    ]
    when = datetime(2025, 3, 1, tzinfo=UTC)
    result = TranslationResult(targets={"s1": "Réessayez", "s2": "  "})
    (own,) = own_entries(PAYLOAD, result, when)
    assert (own.source, own.target, own.origin, own.changed) == (
        "Try again",
        "Réessayez",
        Origin.OWN,
        when,
    )


def test_exact_matches_prefill_blank_targets_and_are_marked_for_review() -> None:
    tm = memory(*payload_entries(PAYLOAD), entry("Cancel now", "Annuler maintenant"))
    blank = TranslationResult(targets={"s1": "", "s2": ""})
    filled = prefill_exact(PAYLOAD, blank, tm)
    assert filled.targets == {"s1": "Réessayer", "s2": ""}  # a fuzzy match is not pre-filled
    assert filled.needs_review == ["s1"]
    typed = TranslationResult(targets={"s1": "Recommencer", "s2": ""})
    assert prefill_exact(PAYLOAD, typed, tm) == typed
