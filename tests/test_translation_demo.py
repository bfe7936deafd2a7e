"""The translation demo bundles bring a glossary, a memory, and segments for every check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taskkinds.translation import KIND
from taskkinds.translation.checks import validate
from taskkinds.translation.glossary import glossary_for
from taskkinds.translation.memory import TranslationMemory, payload_entries, prefill_exact
from taskkinds.translation.model import TranslationPayload, TranslationResult

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo"
SPECS = {"app": "translation-en-fr-app.json", "shop": "translation-fr-en-shop.json"}


def payloads(spec: str) -> dict[str, TranslationPayload]:
    data = json.loads((DEMO / SPECS[spec]).read_text(encoding="utf-8"))
    parsed = {}
    for task in data["tasks"]:
        payload = KIND.parse_payload(task["payload"])
        assert isinstance(payload, TranslationPayload)
        parsed[task["id"]] = payload
    return parsed


def memory_of(spec: str) -> TranslationMemory:
    tasks = payloads(spec)
    first = next(iter(tasks.values()))
    entries = [entry for payload in tasks.values() for entry in payload_entries(payload)]
    return TranslationMemory(first.source_lang, first.target_lang, entries)


def problems_of(spec: str, task: str, segment: str, target: str, **extra: object) -> list[str]:
    payload = payloads(spec)[task]
    targets = {s.id: s.source for s in payload.segments} | {segment: target}
    result = TranslationResult(targets=targets, **extra)  # type: ignore[arg-type]
    return [p.code for p in validate(payload, result) if p.where == segment]


# One plausible slip per check, on the demo's own segments.
SLIPS = [
    ("app", "t01", "s2", "", "empty_target"),
    ("app", "t01", "s2", "Actualiser les données", "too_long"),
    ("app", "t01", "s1", "Bonjour\u202f!", "placeholder_missing"),
    ("app", "t02", "s2", "Mis à jour il y a %s %s", "placeholder_extra"),
    ("app", "t04", "s1", "</b>Attention\u00a0:<b> fortes chutes de neige", "tags_unbalanced"),
    ("app", "t03", "s2", "Vent jusqu'à 54\u00a0km/h", "number_mismatch"),
    ("app", "t01", "s2", " Actualiser", "leading_space"),
    ("app", "t11", "s3", "Ressenti", "trailing_space"),
    ("app", "t02", "s1", "{count} nouvelles  alertes pour {name}", "double_space"),
    ("app", "t09", "s1", "Ouvrir les prévisions de la semaine prochaine", "end_punctuation"),
    ("app", "t09", "s2", "Alerte tempête: restez à l'intérieur!", "french_spacing"),
    ("shop", "p07", "s2", "Questions ? Write to marche@exemple.fr", "space_before_punctuation"),
    ("app", "t08", "s2", "réessayer", "initial_case"),
    ("app", "t10", "s2", "Weather Pro bêta [version {version}]", "bracket_mismatch"),
    (
        "app",
        "t10",
        "s1",
        "Signalez un problème sur https://meteo.example.fr/aide ou écrivez à "
        "support@weather.example.com.",
        "url_mismatch",
    ),  # fmt: skip
    (
        "app",
        "t10",
        "s1",
        "Signalez un problème sur https://weather.example.com/help ou écrivez "
        "à aide@meteo.example.fr.",
        "email_mismatch",
    ),  # fmt: skip
    ("app", "t10", "s3", "Radar", "target_unchanged"),
    ("app", "t11", "s1", "Mettre à jour la météo toutes les 30 minutes", "glossary_term_missing"),
    ("app", "t11", "s2", "Ouvrir les réglages", "glossary_forbidden_term"),
    ("shop", "p08", "s1", "Price per kilo: €3.80 TTC", "glossary_forbidden_term"),
]


@pytest.mark.parametrize(("spec", "task", "segment", "target", "code"), SLIPS)
def test_each_check_has_a_demo_segment_that_trips_it(
    spec: str, task: str, segment: str, target: str, code: str
) -> None:
    assert code in problems_of(spec, task, segment, target)


def test_the_slips_cover_every_check() -> None:
    checked = {code for *_, code in SLIPS} | {"unreviewed_match"}
    assert checked == {
        "empty_target", "too_long", "placeholder_missing", "placeholder_extra",
        "tags_unbalanced", "number_mismatch", "leading_space", "trailing_space",
        "double_space", "end_punctuation", "french_spacing", "space_before_punctuation",
        "initial_case", "bracket_mismatch", "url_mismatch", "email_mismatch",
        "target_unchanged", "glossary_term_missing", "glossary_forbidden_term",
        "unreviewed_match",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "task", "segment", "target"),
    [
        ("app", "t09", "s2", "Alerte tempête\u00a0: restez à l'intérieur\u202f!"),
        (
            "app",
            "t09",
            "s3",
            "Ici, on appelle ce vent « le Mistral »\u202f; il peut durer des jours.",
        ),
        ("app", "t11", "s1", "Actualiser les prévisions toutes les 30 minutes"),
        ("app", "t10", "s4", "km/h, comme dans « vent en km/h »"),
        ("shop", "p08", "s1", "Price per kilo: €3.80 incl. VAT"),
        ("shop", "p07", "s3", "Free delivery from €50 spent (cheese excluded)"),
    ],
)
def test_good_translations_of_demo_segments_pass(
    spec: str, task: str, segment: str, target: str
) -> None:
    assert problems_of(spec, task, segment, target) == []


def test_every_demo_task_has_the_glossary_and_terms_show_in_sources() -> None:
    for spec in SPECS:
        for payload in payloads(spec).values():
            assert payload.glossary
    t11 = payloads("app")["t11"]
    hits = glossary_for(t11).find(t11.segments[0].source)
    assert [hit.term.source for hit in hits] == ["refresh", "forecast"]


def test_the_demo_memory_prefills_an_exact_match_for_review() -> None:
    payload = payloads("app")["t08"]
    filled = prefill_exact(payload, KIND.new_result(payload), memory_of("app"))  # type: ignore[arg-type]
    assert filled.targets["s2"] == "Réessayer" and filled.needs_review == ["s2"]
    assert problems_of("app", "t08", "s2", "Réessayer", needs_review=["s2"]) == ["unreviewed_match"]


def test_the_demo_memory_offers_fuzzy_matches_whose_numbers_need_checking() -> None:
    tm = memory_of("app")
    (evening,) = tm.lookup("Good morning, {name}!")
    assert 70 <= evening.score < 100 and evening.entry.target == "Bonsoir, {name}\u202f!"
    shop = memory_of("shop")
    (honey,) = shop.lookup("Miel de lavande — pot de 250 g")
    assert honey.score >= 90 and ("insert", "250") in honey.diff
    # Inserting the match as it is trips the number check: 500 g is not 250 g.
    assert "number_mismatch" in problems_of("shop", "p02", "s1", honey.entry.target)
