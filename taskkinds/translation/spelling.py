"""Offline spelling: misspelled words of a translation and suggestions for them. Qt-free.

Dictionaries are pyspellchecker's word-frequency lists (English, French, German,
Spanish, Italian, Portuguese, Dutch and a few more), shipped inside the package.
Loading one takes about 0.2 s and 30–35 MB (French, English, measured on a 2-core
machine) — call ``Speller.load`` on a worker thread before the first check; a loaded
dictionary is shared by every speller of its language. Checking a segment then takes
well under a millisecond; suggestions for one word about 5–15 ms.

Skipped: placeholders, tags, URLs, e-mail addresses, entities, numbers and words glued
to digits (MP3), words in capitals (PDF) or with inner capitals (iPhone), single
letters, accepted words (glossary terms) and the contributor's personal dictionary.
French elisions (l'…, qu'…) and hyphenated words are checked part by part; British,
Australian and other non-US English accept the -our/-ise/-tre/-ogue/-ll- spellings
of a known American word.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from taskkinds.translation.qa import mask_codes

__all__ = ["Speller", "available_languages", "speller_for"]

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ELISIONS = ("l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'", "qu'", "jusqu'", "lorsqu'",
             "puisqu'", "quoiqu'", "presqu'")  # fmt: skip
_BRITISH = (
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"),
    ("ise", "ize"), ("yse", "yze"), ("our", "or"), ("ours", "ors"), ("tre", "ter"),
    ("tres", "ters"), ("ogue", "og"), ("lled", "led"), ("lling", "ling"), ("ller", "ler"),
    ("ence", "ense"), ("ae", "e"),
)  # fmt: skip


def _package_languages() -> frozenset[str]:
    folder = resources.files("spellchecker") / "resources"
    return frozenset(
        entry.name.removesuffix(".json.gz")
        for entry in folder.iterdir()
        if entry.name.endswith(".json.gz")
    )


def available_languages() -> frozenset[str]:
    """Primary language subtags with an offline dictionary (at least en and fr)."""
    return _package_languages()


def _fold(word: str) -> str:
    """Lower case without accents or ligatures: what a hurried typist might write."""
    word = word.casefold().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@dataclass
class _Dictionary:
    """One language's words with their frequencies, and folded forms bucketed by length."""

    frequency: dict[str, int]
    by_length: dict[int, tuple[list[str], list[str]]]  # length -> (folded, words)

    @classmethod
    def load(cls, language: str) -> _Dictionary:
        path = resources.files("spellchecker") / "resources" / f"{language}.json.gz"
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            frequency: dict[str, int] = json.load(text)
        by_length: dict[int, tuple[list[str], list[str]]] = {}
        for word in frequency:
            folded = _fold(word)
            bucket = by_length.setdefault(len(folded), ([], []))
            bucket[0].append(folded)
            bucket[1].append(word)
        return cls(frequency, by_length)


_LOADED: dict[str, _Dictionary] = {}
_LOCK = threading.Lock()


def _dictionary(language: str) -> _Dictionary:
    with _LOCK:
        if language not in _LOADED:
            _LOADED[language] = _Dictionary.load(language)
        return _LOADED[language]


def speller_for(language: str, personal: Iterable[str] = ()) -> Speller | None:
    """A speller for a BCP 47 tag (``fr``, ``en-GB``), or None without a dictionary."""
    primary = language.replace("_", "-").split("-")[0].lower()
    return Speller(language, personal) if primary in available_languages() else None


class Speller:
    """Spelling of one language, with the contributor's personal words.

    The dictionary loads on first use (or on ``load``); the personal dictionary is
    the app's to persist: read ``personal_words``, restore with the constructor.
    """

    def __init__(self, language: str, personal: Iterable[str] = ()) -> None:
        self.language = language
        subtags = language.replace("_", "-").split("-")
        self._primary = subtags[0].lower()
        if self._primary not in available_languages():
            raise ValueError(f"There is no offline dictionary for '{language}'.")
        regions = {tag.upper() for tag in subtags[1:]}
        self._british = self._primary == "en" and bool(regions) and not regions & {"US", "PH"}
        self._personal = {word.casefold() for word in personal if word.strip()}

    # -- dictionary

    def load(self) -> None:
        """Load the dictionary now (it is slow: call this off the UI thread)."""
        _dictionary(self._primary)

    @property
    def loaded(self) -> bool:
        return self._primary in _LOADED

    @property
    def personal_words(self) -> frozenset[str]:
        return frozenset(self._personal)

    def add_word(self, word: str) -> None:
        """Accept ``word`` from now on (personal dictionary, case-insensitive)."""
        if word.strip():
            self._personal.add(word.strip().casefold())

    def remove_word(self, word: str) -> None:
        self._personal.discard(word.strip().casefold())

    # -- checking

    def known(self, word: str) -> bool:
        """Whether ``word`` is spelled right (or accepted)."""
        words = _dictionary(self._primary).frequency
        lowered = word.casefold().replace("’", "'")
        if lowered in self._personal or self._in(lowered, words):
            return True
        if "-" in lowered:
            parts = lowered.split("-")
            return all(part and (self._in(part, words) or part in self._personal) for part in parts)
        return False

    def _in(self, lowered: str, words: dict[str, int]) -> bool:
        ligatured = lowered.replace("œ", "oe").replace("æ", "ae")
        if lowered in words or ligatured in words:
            return True
        if self._primary == "fr":
            for elision in _ELISIONS:
                if ligatured.startswith(elision) and len(ligatured) > len(elision):
                    return self._in(ligatured[len(elision) :], words)
        if self._primary == "en":
            if ligatured.endswith("'s") and ligatured[:-2] in words:
                return True
            if self._british:
                return any(
                    ligatured.endswith(uk) and ligatured[: -len(uk)] + us in words
                    for uk, us in _BRITISH
                )
        return False

    def misspelled(self, text: str, accepted: Collection[str] = ()) -> list[tuple[int, int]]:
        """Spans of the misspelled words of ``text``, left to right.

        ``accepted`` words (glossary terms, case-insensitive; multi-word terms count
        word by word) are never misspelled.
        """
        accept = {word.casefold() for term in accepted for word in _WORD.findall(term)}
        plain = mask_codes(text)
        spans = []
        for match in _WORD.finditer(plain):
            word = match[0]
            start, end = match.span()
            glued = (start and plain[start - 1].isdigit()) or (
                end < len(plain) and plain[end].isdigit()
            )
            if glued or len(word) < 2 or word.isupper() or word[1:] != word[1:].lower():
                continue
            if word.casefold() in accept or self.known(word):
                continue
            spans.append((start, end))
        return spans

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        """Up to ``limit`` known words close to ``word``, most likely first.

        Candidates are within two edits (a swap of neighbours counts as one) of the
        word with accents ignored, so a missing accent ranks first; then fewer real
        edits, then more frequent words. The word's capitalization is kept.
        """
        cleaned = word.strip().replace("’", "'")
        if not cleaned or limit <= 0:
            return []
        if self._primary == "fr":
            for elision in _ELISIONS:
                if cleaned.casefold().startswith(elision) and len(cleaned) > len(elision):
                    head, rest = cleaned[: len(elision)], cleaned[len(elision) :]
                    return [head + fixed for fixed in self.suggestions(rest, limit)]
        dictionary = _dictionary(self._primary)
        lowered = cleaned.casefold()
        folded = _fold(cleaned)
        ranked: list[tuple[int, int, int, str]] = []
        for length in range(len(folded) - 2, len(folded) + 3):
            folded_words, words = dictionary.by_length.get(length, ([], []))
            for _, folded_distance, index in process.extract(
                folded, folded_words, scorer=OSA.distance, score_cutoff=2, limit=None
            ):
                candidate = words[index]
                if candidate == lowered:
                    continue
                raw = OSA.distance(lowered, candidate)
                frequency = dictionary.frequency[candidate]
                ranked.append((int(folded_distance), raw, -frequency, candidate))
        ranked.sort()
        return [_cased_like(cleaned, c) for *_, c in ranked[:limit]]


def _cased_like(model: str, word: str) -> str:
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
