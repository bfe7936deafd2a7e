"""Offline spelling: which words get underlined and what right-click suggests."""

from __future__ import annotations

import pytest

from taskkinds.translation.spelling import Speller, available_languages, speller_for


def words(speller: Speller, text: str, accepted: tuple[str, ...] = ()) -> list[str]:
    return [text[start:end] for start, end in speller.misspelled(text, accepted)]


@pytest.fixture(scope="module")
def french() -> Speller:
    speller = Speller("fr-FR")
    speller.load()
    return speller


@pytest.fixture(scope="module")
def english() -> Speller:
    return Speller("en")


def test_french_and_english_dictionaries_ship_offline() -> None:
    assert {"en", "fr"} <= available_languages()
    assert speller_for("fr-CA") is not None and speller_for("tlh") is None
    with pytest.raises(ValueError, match="no offline dictionary"):
        Speller("tlh")


def test_misspelled_french_words_are_found_with_their_spans(french: Speller) -> None:
    text = "Les prévisons de la semaine sont disponibles aujourd'hui."
    assert french.misspelled(text) == [(4, 13)]
    assert words(french, "L'aplication télécharge les œufs, peut-être quarante-deux.") == [
        "L'aplication"
    ]


def test_codes_numbers_acronyms_and_names_with_capitals_are_skipped(french: Speller) -> None:
    text = (
        "Bonjour {nam}, %(citi)s <b class='xyzzy'>voir</b> https://meteo.exemple.fr/prevs "
        "ou ecrivez a contactt@meteo.fr : 12 fichiers MP3, PDF, iPhone, 3km."
    )
    assert words(french, text) == ["ecrivez"]


def test_glossary_terms_and_personal_words_are_accepted(french: Speller) -> None:
    assert words(french, "Weather Pro est prêt") == ["Weather", "Pro"]
    assert words(french, "Weather Pro est prêt", accepted=("Weather Pro",)) == []
    personal = Speller("fr", ["Reinette"])
    assert words(personal, "Pommes reinette et grisette") == ["grisette"]
    personal.add_word("Grisette")
    assert words(personal, "Pommes reinette et grisette") == []
    assert personal.personal_words == {"reinette", "grisette"}
    personal.remove_word("grisette")
    assert words(personal, "Pommes grisette") == ["grisette"]


def test_suggestions_put_the_missing_accent_first(french: Speller) -> None:
    assert french.suggestions("telecharger")[0] == "télécharger"
    assert french.suggestions("prévisons")[0] == "prévisions"
    assert french.suggestions("Ecrivez")[0] == "Écrivez"
    assert french.suggestions("l'aplication")[0] == "l'application"
    assert len(french.suggestions("maison", limit=3)) <= 3


def test_english_suggestions_fix_swapped_letters(english: Speller) -> None:
    assert english.suggestions("recieve")[0] == "receive"
    assert english.suggestions("forcast")[0] == "forecast"
    assert english.suggestions("TEMPERATUR")[0] == "TEMPERATURE"
    assert english.suggestions("") == []


def test_british_spellings_are_accepted_outside_the_us() -> None:
    text = "The colour of the centre is organised"
    assert words(Speller("en-GB"), text) == []
    assert words(Speller("en-US"), text) == ["colour", "centre", "organised"]
    assert words(Speller("en-GB"), "The colour is recieved") == ["recieved"]


def test_dictionaries_load_lazily_once_per_language() -> None:
    first, second = Speller("de"), Speller("de-AT")
    second.load()
    assert first.loaded and second.loaded
    assert words(first, "Die Wettervorhersage fur morgen") == ["fur"]
    assert first.suggestions("fur")[0] == "für"
