"""What the translation checks tell a contributor before submitting, and the chrF grade."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskkinds.base import Problem, Severity
from taskkinds.translation.checks import grade, validate
from taskkinds.translation.model import Segment, TranslationPayload, TranslationResult

PLACEHOLDER_CODES = {"placeholder_missing", "placeholder_extra", "tags_unbalanced"}


def check(
    source: str,
    target: str,
    source_lang: str = "en",
    target_lang: str = "fr",
    max_length: int | None = None,
) -> list[Problem]:
    payload = TranslationPayload(
        source_lang=source_lang,
        target_lang=target_lang,
        segments=[Segment(id="s1", source=source, max_length=max_length)],
    )
    return validate(payload, TranslationResult(targets={"s1": target}))


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def only(problems: list[Problem], code: str) -> Problem:
    matching = [problem for problem in problems if problem.code == code]
    assert len(matching) == 1, problems
    return matching[0]


# --- numbers ---------------------------------------------------------------------------


def test_french_decimal_comma_equals_english_decimal_point() -> None:
    assert check("It takes 1.5 seconds.", "Cela prend 1,5 seconde.") == []
    assert check("Cela prend 1,5 seconde.", "It takes 1.5 seconds.", "fr", "en") == []


def test_a_changed_decimal_is_a_warning_naming_both_numbers() -> None:
    problem = only(
        check("Cela prend 1,5 seconde.", "It takes 1.6 seconds.", "fr", "en"), "number_mismatch"
    )
    assert problem.severity is Severity.WARNING
    assert not problem.blocking
    assert "1,5" in problem.message and "1.6" in problem.message


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_french_spaced_thousands_equal_english_comma_thousands(space: str) -> None:
    assert check("Total: 1,000.5 km", f"Total : 1{space}000,5 km") == []


def test_english_thousands_copied_into_french_are_read_as_a_decimal() -> None:
    # "1,000" in French is one, not a thousand: the translator must convert it.
    assert codes(check("Up to 1,000 files", "Jusqu'à 1,000 fichiers")) == ["number_mismatch"]


def test_german_dot_thousands_and_swiss_apostrophe_thousands() -> None:
    assert check("1,000 users", "1.000 Benutzer", "en", "de") == []
    assert check("1,000.50 CHF", "1'000.50 CHF", "en", "de-CH") == []
    assert check("1,000.5 users", "1.000,5 Benutzer", "en", "de-DE") == []


def test_trailing_zeros_do_not_change_the_value() -> None:
    assert check("Price: 2.50", "Prix : 2,5") == []


def test_digits_inside_placeholders_and_words_are_not_numbers() -> None:
    assert check("%1$s of %2$s", "%2$s sur %1$s") == []
    assert check("Play MP3 files with H2O", "Lire les fichiers audio avec de l'eau") == []
    assert check('See <a href="page2.html">{0}</a>', 'Voir <a href="page2.html">{0}</a>') == []


def test_numbers_in_unspaced_scripts_still_count() -> None:
    assert check("You have 5 files", "共有5个文件", "en", "zh") == []
    assert codes(check("You have 5 files", "共有6个文件", "en", "zh")) == ["number_mismatch"]


def test_a_dropped_number_is_reported_as_missing() -> None:
    problem = only(
        check("Wait 10 minutes, then 5 more.", "Attendez 10 minutes."), "number_mismatch"
    )
    assert "missing 5" in problem.message


# --- placeholders and tags -------------------------------------------------------------


def test_placeholders_moved_but_kept_are_fine() -> None:
    assert check("{name} has {count} files", "{count} fichiers pour {name}") == []


def test_a_dropped_printf_placeholder_is_an_error() -> None:
    problems = check("Hello %s, you have %d messages", "Bonjour, vous avez %d messages")
    problem = only(problems, "placeholder_missing")
    assert problem.blocking and "%s" in problem.message
    assert codes(problems) == ["placeholder_missing"]


def test_a_doubled_placeholder_is_extra() -> None:
    problem = only(check("{name} joined", "{name} a rejoint {name}"), "placeholder_extra")
    assert "{name} (the translation has it 2 times, the source 1)" in problem.message


def test_a_renamed_named_placeholder_is_both_missing_and_extra() -> None:
    problems = check("Welcome, %(user)s!", "Bienvenue, %(utilisateur)s !")
    assert codes(problems) == ["placeholder_missing", "placeholder_extra"]
    assert "%(user)s" in problems[0].message
    assert "%(utilisateur)s" in problems[1].message


def test_a_double_percent_is_a_literal_percent_sign() -> None:
    assert check("%d%% done", "%d %% terminé") == []
    assert check("100%% sure", "Sûr à 100 %") == []
    assert check("Save 50% now", "50 % de remise") == []


def test_printf_width_precision_and_positions_are_placeholders() -> None:
    assert check("%5d items at %.2f", "%5d articles à %.2f") == []
    assert codes(check("%5d items at %.2f", "%d articles à %.2f")) == [
        "placeholder_missing",
        "placeholder_extra",
    ]


def test_crossed_tags_are_unbalanced_even_when_all_are_kept() -> None:
    problems = check("<b>bold <i>both</i></b>", "<b>gras <i>les deux</b></i>")
    assert codes(problems) == ["tags_unbalanced"]
    assert problems[0].blocking


def test_a_closing_tag_before_its_opening_tag_is_unbalanced() -> None:
    assert codes(check("Click <b>Save</b>", "Cliquez </b>Enregistrer<b>")) == ["tags_unbalanced"]


def test_tags_may_swap_places_when_they_still_nest() -> None:
    assert check("<b>a</b> and <i>b</i>", "<i>b</i> et <b>a</b>") == []


def test_a_dropped_tag_names_it_and_does_not_also_say_unbalanced() -> None:
    problems = check("Click <b>Save</b>", "Cliquez sur Enregistrer</b>")
    assert codes(problems) == ["placeholder_missing"]
    assert "<b>" in problems[0].message


def test_attribute_order_and_spacing_do_not_matter_but_links_must_not_change() -> None:
    source = '<a href="/help" class="x">help</a>'
    assert check(source, "<a  class='x' href=\"/help\" >aide</a>") == []
    assert codes(check(source, '<a href="/aide" class="x">aide</a>')) == [
        "placeholder_missing",
        "placeholder_extra",
    ]


def test_translated_titles_are_fine_and_line_breaks_are_one_tag() -> None:
    assert check('<abbr title="Portable">PDF</abbr>', '<abbr title="Portable">PDF</abbr>') == []
    assert check('<img title="A cat"/>', '<img title="Un chat"/>') == []
    assert check("one<br/>two", "un<br />deux") == []
    assert check("one<br>two", "un<br/>deux") == []


def test_an_unbalanced_source_does_not_blame_the_translator() -> None:
    assert check("Start of <b>bold", "Début du <b>gras") == []


# --- empty, length, spacing, segments --------------------------------------------------


def test_an_empty_target_gets_one_error_and_nothing_else() -> None:
    problems = check(" {name} has 3 <b>files</b>", "", max_length=5)
    assert codes(problems) == ["empty_target"]
    assert "empty" in problems[0].message


def test_a_whitespace_only_target_is_empty() -> None:
    problems = check("Hello", "  \u00a0\t")
    assert codes(problems) == ["empty_target"]
    assert "spaces" in problems[0].message


def test_length_counts_a_decomposed_accent_once() -> None:
    assert check("Coffee", "Cafe\u0301", max_length=4) == []
    problem = only(check("Coffee", "Cafés", max_length=4), "too_long")
    assert problem.blocking
    assert "1 character too long" in problem.message


def test_payload_limit_applies_unless_the_segment_sets_its_own() -> None:
    payload = TranslationPayload(
        source_lang="en",
        target_lang="fr",
        max_length=5,
        segments=[Segment(id="a", source="Save"), Segment(id="b", source="Save", max_length=20)],
    )
    result = TranslationResult(targets={"a": "Enregistrer", "b": "Enregistrer"})
    problems = validate(payload, result)
    assert [(p.code, p.where) for p in problems] == [("too_long", "a")]
    assert "6 characters too long" in problems[0].message


def test_added_or_dropped_edge_spaces_are_warnings() -> None:
    trailing = only(check("Save", "Enregistrer "), "trailing_space")
    assert trailing.severity is Severity.WARNING
    assert codes(check("Name: ", "Nom :")) == ["trailing_space"]
    assert codes(check(" more", "plus")) == ["leading_space"]
    assert check(" more ", " plus ") == []


def test_double_spaces_the_source_lacks_are_warnings() -> None:
    assert codes(check("Save the file", "Enregistrer  le fichier")) == ["double_space"]
    assert check("Save  the file", "Enregistrer  le fichier") == []


def test_missing_and_unknown_segments_are_errors() -> None:
    payload = TranslationPayload(
        source_lang="en",
        target_lang="fr",
        segments=[Segment(id="s1", source="Yes"), Segment(id="s2", source="No")],
    )
    problems = validate(payload, TranslationResult(targets={"s2": "Non", "zz": "Peut-être"}))
    assert [(p.code, p.where, p.severity) for p in problems] == [
        ("missing_target", "s1", Severity.ERROR),
        ("unknown_segment", "zz", Severity.ERROR),
    ]


def test_problems_follow_segment_order_not_result_order() -> None:
    payload = TranslationPayload(
        source_lang="en",
        target_lang="fr",
        segments=[
            Segment(id="first", source="%s files"),
            Segment(id="second", source="OK"),
            Segment(id="third", source="Wait 5 s"),
        ],
    )
    result = TranslationResult(
        targets={"third": "Attendez 6 s", "second": "OK", "first": "fichiers"}
    )
    problems = validate(payload, result)
    assert [(p.where, p.code) for p in problems] == [
        ("first", "placeholder_missing"),
        ("third", "number_mismatch"),
    ]


def test_a_clean_translation_has_no_problems() -> None:
    source = "<b>{user}</b> uploaded %d files (1,234.5 MB) "
    target = "<b>{user}</b> a envoyé %d fichiers (1\u202f234,5 Mo) "
    assert check(source, target, max_length=60) == []


# --- properties ------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    ["{name}", "{0}", "%s", "%1$s", "%(user)s", "%.2f", "%%", "<b>", "</b>", "<br/>",
     '<a href="x">', "</a>", "1,5", "1.000", "1 000", "3", "MP3", " ", "  ", "%", "<", "{"]
)  # fmt: skip
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=12).map("".join)


@given(TEXT.filter(lambda s: s.strip()), st.sampled_from(["en", "fr", "de", "de-CH", "ja"]))
def test_a_target_equal_to_the_source_has_no_problems(text: str, language: str) -> None:
    assert check(text, text, language, language) == []


PLACEHOLDERS = st.sampled_from(
    ["{name}", "{0}", "%s", "%d", "%1$s", "%2$d", "%(user)s", "%.2f", "<b>", "</b>", "<br/>"]
)
WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@given(st.lists(st.one_of(PLACEHOLDERS, WORDS), min_size=1, max_size=10), st.randoms())
def test_shuffling_placeholders_never_loses_or_adds_one(
    tokens: list[str], rng: random.Random
) -> None:
    shuffled = tokens[:]
    rng.shuffle(shuffled)
    problems = check(" ".join(tokens), " ".join(shuffled))
    assert not {"placeholder_missing", "placeholder_extra"} & set(codes(problems))


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=999))
def test_any_amount_written_the_french_way_matches_the_english_way(whole: int, cents: int) -> None:
    english = f"{whole:,}.{cents:03d}"
    french = f"{whole:,}".replace(",", "\u202f") + f",{cents:03d}"
    assert check(f"Total {english} EUR", f"Total {french} EUR") == []


# --- grade -----------------------------------------------------------------------------


def result(*texts: str) -> TranslationResult:
    return TranslationResult(targets={f"s{i}": text for i, text in enumerate(texts)})


def test_identical_translations_grade_one() -> None:
    assert grade(result("Le chat dort.", "Bonjour"), result("Le chat dort.", "Bonjour")) == 1.0


def test_empty_or_missing_translations_grade_zero() -> None:
    assert grade(result("", ""), result("Le chat dort.", "Bonjour")) == 0.0
    assert grade(TranslationResult(targets={}), result("Le chat dort.")) == 0.0


def test_unrelated_text_grades_near_zero_and_a_typo_near_one() -> None:
    reference = result("Le chat noir dort sur le canapé du salon.")
    assert grade(result("xyzzy qwvk"), reference) < 0.05
    assert grade(result("Le chat noir dort sur le canape du salon."), reference) > 0.85


def test_whitespace_does_not_count() -> None:
    assert grade(result("Le  chat\ndort"), result("Le chat dort")) == 1.0


def test_grade_matches_hand_computed_chrf() -> None:
    # "ac" vs "ab": unigrams 1 of 2 match, bigrams 0 of 1; higher orders have no n-grams.
    # Precision = recall = (1/2 + 0) / 2 = 1/4, so F2 = 1/4.
    assert grade(result("ac"), result("ab")) == pytest.approx(0.25)
    # "abd" vs "abc": unigrams 2/3, bigrams 1/2, trigrams 0/1 -> (2/3 + 1/2 + 0) / 3 = 7/18.
    assert grade(result("abd"), result("abc")) == pytest.approx(7 / 18)


def test_grade_is_corpus_level_and_ignores_segments_the_reference_lacks() -> None:
    reference = TranslationResult(targets={"a": "ab", "b": "ab"})
    hypothesis = TranslationResult(targets={"a": "ab", "b": "ac", "extra": "zzz"})
    # Unigrams 3 of 4 match, bigrams 1 of 2: (3/4 + 1/2) / 2 = 5/8.
    assert grade(hypothesis, reference) == pytest.approx(5 / 8)


@given(st.text(max_size=30), st.text(max_size=30))
def test_grades_stay_between_zero_and_one(hypothesis_text: str, reference_text: str) -> None:
    score = grade(result(hypothesis_text), result(reference_text))
    assert 0.0 <= score <= 1.0
    assert grade(result(reference_text), result(reference_text)) == 1.0
