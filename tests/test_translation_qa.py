"""Quality checks on every edit: each flags what it should and leaves good text alone."""

from __future__ import annotations

import pytest

from taskkinds.base import Problem, Severity
from taskkinds.translation.checks import check_all, validate
from taskkinds.translation.model import (
    GlossaryTerm,
    Segment,
    TranslationPayload,
    TranslationResult,
)
from taskkinds.translation.qa import dismissal_key, fix_french_spacing

NNBSP, NBSP = "\u202f", "\u00a0"


def payload(
    source: str, source_lang: str = "en", target_lang: str = "fr", **extra: object
) -> TranslationPayload:
    return TranslationPayload(
        source_lang=source_lang,
        target_lang=target_lang,
        segments=[Segment(id="s1", source=source)],
        **extra,  # type: ignore[arg-type]
    )


def codes(source: str, target: str, source_lang: str = "en", target_lang: str = "fr") -> list[str]:
    problems = validate(
        payload(source, source_lang, target_lang), TranslationResult(targets={"s1": target})
    )
    return [p.code for p in problems]


def flags(
    code: str, source: str, target: str, source_lang: str = "en", target_lang: str = "fr"
) -> bool:
    return code in codes(source, target, source_lang, target_lang)


# --- end punctuation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("Save the file.", "Enregistrer le fichier", True),
        ("Save the file", "Enregistrer le fichier.", True),
        ("Are you sure?", "Êtes-vous sûr ?", False),
        ("Are you sure?", "Êtes-vous sûr !", True),
        ("Loading...", "Chargement…", False),
        ("Say <b>hello</b>.", "Dites <b>bonjour</b>.", False),
        ("He said “stop.”", "Il a dit « stop. »", False),
        ("Rain in %(city)s", "Pluie à %(city)s", False),
    ],
)
def test_end_punctuation(source: str, target: str, expected: bool) -> None:
    assert flags("end_punctuation", source, target) is expected


def test_end_punctuation_knows_other_scripts() -> None:
    assert not flags("end_punctuation", "Are you sure?", "Είστε σίγουροι;", "en", "el")
    assert not flags("end_punctuation", "Done.", "完成。", "en", "zh")
    assert flags("end_punctuation", "Done.", "完成", "en", "zh")


def test_the_end_punctuation_message_names_both_marks() -> None:
    problem = validate(payload("Stop!"), TranslationResult(targets={"s1": "Arrêtez ?"}))[0]
    assert problem.severity is Severity.WARNING
    assert "exclamation mark" in problem.message and "question mark" in problem.message


# --- French typography -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("Attention: neige ce soir", True),
        ("Attention : neige ce soir", False),  # a plain space is accepted
        (f"Attention{NBSP}: neige ce soir", False),
        ("Vraiment?", True),
        (f"Vraiment{NNBSP}?", False),
        ("Bonjour %s!", True),
        ("Quoi ?!", False),  # the second mark follows the first
        ("Un; deux", True),
        ("Le vent «Mistral»", True),
        (f"Le vent «{NNBSP}Mistral{NNBSP}»", False),
        ("Rendez-vous à 12:30", False),
        ("Voir https://meteo.example.fr/a:b", False),
        ("Voir <a href='x:y'>ici</a>", False),
    ],
)
def test_french_spacing(target: str, expected: bool) -> None:
    source = "Some text: " + target  # the source's own spacing does not matter across languages
    problems = check_all(payload(source), TranslationResult(targets={"s1": target}))
    assert any(p.code == "french_spacing" for p in problems) is expected


def test_canadian_french_spaces_only_the_colon() -> None:
    assert not flags("french_spacing", "Really?", "Vraiment?", target_lang="fr-CA")
    assert flags("french_spacing", "Note: yes", "Note: oui", target_lang="fr-CA")


def test_a_french_source_with_the_same_fault_does_not_blame_the_translator() -> None:
    assert not flags("french_spacing", "Note: oui", "Remarque: oui", "fr", "fr-CA")
    assert flags("french_spacing", "Note : oui", "Remarque: oui", "fr", "fr")


def test_the_french_spacing_message_says_where() -> None:
    problems = validate(
        payload("Alert: “snow”!"), TranslationResult(targets={"s1": "Alerte: «neige»!"})
    )
    (problem,) = [p for p in problems if p.code == "french_spacing"]
    assert "before : !" in problem.message and "inside « »" in problem.message


def test_english_wants_no_space_before_the_mark() -> None:
    assert flags("space_before_punctuation", "Vraiment ?", "Really ?", "fr", "en")
    assert flags("space_before_punctuation", "Note : oui", f"Note{NNBSP}: yes", "fr", "en-GB")
    assert not flags("space_before_punctuation", "Vraiment ?", "Really?", "fr", "en")
    assert not flags("space_before_punctuation", "Wait ?", "Warte ?", "en", "de")  # source did it


def test_the_one_key_fix_writes_french_spacing() -> None:
    assert fix_french_spacing("Attention: neige ce soir!") == (
        f"Attention{NBSP}: neige ce soir{NNBSP}!"
    )
    assert fix_french_spacing("Il dit « bonjour » ; puis?") == (
        f"Il dit «{NNBSP}bonjour{NNBSP}»{NNBSP}; puis{NNBSP}?"
    )
    assert fix_french_spacing("À 12:30 sur https://x.fr/a:b, %s!") == (
        f"À 12:30 sur https://x.fr/a:b, %s{NNBSP}!"
    )
    assert fix_french_spacing("Vraiment?", "fr-CA") == "Vraiment?"
    fixed = fix_french_spacing("Alerte: «neige»!")
    assert not flags("french_spacing", "Alert: “snow”!", fixed)


# --- case, brackets, links -------------------------------------------------------------


def test_initial_case() -> None:
    assert flags("initial_case", "Save", "enregistrer")
    assert flags("initial_case", "continue", "Continuer")
    assert not flags("initial_case", "Save", "Enregistrer")
    assert not flags("initial_case", "“Save” now", "« Enregistrer » maintenant")
    assert not flags("initial_case", "{count} files", "Fichiers : {count}")  # starts with a code
    assert not flags("initial_case", "save the file", "Datei speichern", "en", "de")  # nouns


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("Weather Pro (beta)", "Weather Pro bêta", True),
        ("Weather Pro (beta)", "Weather Pro (bêta)", False),
        ("List [a (b)]", "Liste [a (b])", True),
        ("Total (incl. VAT)", "合計（税込）", False),
        ("Hello {name}", "Bonjour {name}", False),  # placeholders are not brackets
    ],
)
def test_brackets(source: str, target: str, expected: bool) -> None:
    target_lang = "ja" if "合計" in target else "fr"
    assert flags("bracket_mismatch", source, target, "en", target_lang) is expected


def test_urls_and_email_addresses_must_be_copied() -> None:
    source = "See https://weather.example.com/help or write to help@example.com."
    good = "Voir https://weather.example.com/help ou écrire à help@example.com."
    assert codes(source, good) == []
    bad = "Voir https://weather.example.com/aide ou écrire à aide@example.com."
    problems = validate(payload(source), TranslationResult(targets={"s1": bad}))
    assert [p.code for p in problems] == ["url_mismatch", "email_mismatch"]
    assert "missing https://weather.example.com/help" in problems[0].message
    assert "not in the source aide@example.com" in problems[1].message


# --- unchanged, review, length ---------------------------------------------------------


def test_a_copied_source_is_flagged_once_across_languages_only() -> None:
    assert codes("Radar", "Radar") == ["target_unchanged"]
    assert codes("Storm alert: stay indoors!", "Storm alert: stay indoors!") == ["target_unchanged"]
    assert codes("Radar", "Radar", "en", "en-GB") == []
    assert codes("PDF", "PDF") == [] and codes("{name}", "{name}") == []


def test_a_term_the_glossary_keeps_may_stay_unchanged() -> None:
    kept = payload(
        "Weather Pro", glossary=[GlossaryTerm(source="Weather Pro", targets=("Weather Pro",))]
    )
    assert validate(kept, TranslationResult(targets={"s1": "Weather Pro"})) == []


def test_a_prefilled_match_waits_for_review() -> None:
    result = TranslationResult(targets={"s1": "Réessayer"}, needs_review=["s1"])
    problems = validate(payload("Try again"), result)
    assert [(p.code, p.severity) for p in problems] == [("unreviewed_match", Severity.WARNING)]
    confirmed = result.model_copy(update={"needs_review": []})
    assert validate(payload("Try again"), confirmed) == []


def test_the_length_limit_is_still_a_blocking_error() -> None:
    limited = TranslationPayload(
        source_lang="en", target_lang="fr", max_length=10,
        segments=[Segment(id="s1", source="Settings")],
    )  # fmt: skip
    problems = validate(limited, TranslationResult(targets={"s1": "Paramètres avancés"}))
    assert [(p.code, p.blocking) for p in problems] == [("too_long", True)]


# --- dismissing warnings ---------------------------------------------------------------


def test_a_dismissed_warning_disappears_until_it_changes() -> None:
    task = payload("Wait 10 minutes.")
    result = TranslationResult(targets={"s1": "Attendez 15 minutes."})
    (warning,) = validate(task, result)
    assert warning.code == "number_mismatch"
    dismissed = result.model_copy(update={"dismissed": [dismissal_key(warning)]})
    assert validate(task, dismissed) == []
    assert [p.code for p in check_all(task, dismissed)] == ["number_mismatch"]  # still known
    edited = dismissed.model_copy(update={"targets": {"s1": "Attendez 20 minutes."}})
    assert [p.code for p in validate(task, edited)] == ["number_mismatch"]  # a new finding


def test_errors_cannot_be_dismissed() -> None:
    task = payload("Hello {name}")
    result = TranslationResult(targets={"s1": "Bonjour"})
    (error,) = validate(task, result)
    assert error.blocking
    dismissed = result.model_copy(update={"dismissed": [dismissal_key(error)]})
    assert validate(task, dismissed) == [error]


def test_dismissal_keys_are_stable_and_distinct() -> None:
    one = Problem("number_mismatch", "missing 5", Severity.WARNING, "s1")
    assert dismissal_key(one) == dismissal_key(
        Problem("number_mismatch", "missing 5", Severity.WARNING, "s1")
    )
    assert dismissal_key(one) != dismissal_key(
        Problem("number_mismatch", "missing 6", Severity.WARNING, "s1")
    )
    assert dismissal_key(one).startswith("s1:number_mismatch:")


# --- the model stays backward compatible -----------------------------------------------


def test_old_results_and_payloads_validate_and_dump_as_before() -> None:
    old_result = {"version": 1, "targets": {"s1": "Bonjour"}}
    assert TranslationResult.model_validate(old_result).model_dump(mode="json") == old_result
    old_payload = {
        "version": 1, "source_lang": "en", "target_lang": "fr",
        "segments": [{"id": "s1", "source": "Hi", "note": None, "max_length": None}],
        "context": None, "max_length": None,
    }  # fmt: skip
    assert TranslationPayload.model_validate(old_payload).model_dump(mode="json") == old_payload


def test_new_parts_round_trip_and_unsafe_memory_files_are_refused() -> None:
    result = TranslationResult(targets={"s1": "x"}, dismissed=["s1:a:b"], needs_review=["s1"])
    assert TranslationResult.model_validate(result.model_dump(mode="json")) == result
    with pytest.raises(ValueError, match="not a file inside the bundle"):
        payload("Hi", memory_files=["../../etc/passwd.tmx"])
    with pytest.raises(ValueError, match="not a TMX, XLIFF or PO"):
        payload("Hi", memory_files=["memory/app.exe"])
    assert payload("Hi", memory_files=["memory/app.tmx"]).memory_files == ("memory/app.tmx",)
