"""Glossary: terms found in a source, their expected and forbidden translations. Qt-free.

A term matches on word boundaries, ignoring case unless the term says otherwise, and
tolerates a plural ending on each of its words (-s, -x, -es): "file" finds "files",
"disque dur" finds "disques durs". Irregular forms (city/cities, cheval/chevaux) are
not recognized; list them as separate terms.

Bundles carry their glossary inline (``TranslationPayload.glossary``); a contributor
may import more terms from CSV or TBX files (``read_csv``, ``read_tbx``), which the
app keeps and hands to the editor's checks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import ValidationError

from taskkinds.base import Problem, Severity
from taskkinds.translation.model import GlossaryTerm, TranslationPayload

__all__ = [
    "Glossary",
    "GlossaryFileError",
    "TermHit",
    "find_term",
    "glossary_for",
    "read_csv",
    "read_tbx",
    "write_csv",
]


class GlossaryFileError(ValueError):
    """A glossary file that cannot be read; the message says which and what to do."""


@dataclass(frozen=True, slots=True)
class TermHit:
    """Where a glossary term occurs in a text: ``text[start:end]``."""

    term: GlossaryTerm
    start: int
    end: int


_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=8_192)
def _pattern(text: str, case_sensitive: bool) -> re.Pattern[str]:
    """A term as a regular expression: word boundaries, flexible spaces, plural endings."""
    parts = []
    for word in text.split():
        escaped = re.escape(word)
        parts.append(escaped + "(?:s|x|es)?" if word[-1].isalpha() else escaped)
    body = r"[\s\u00a0\u202f]+".join(parts)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def _singulars(word: str) -> set[str]:
    """A word of the text, case-folded, with and without a plural ending."""
    folded = word.casefold()
    keys = {folded}
    if folded.endswith(("s", "x")):
        keys.add(folded[:-1])
    if folded.endswith("es"):
        keys.add(folded[:-2])
    return keys


def find_term(text: str, term: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Spans of ``term`` in ``text`` under the glossary's matching rules."""
    return [m.span() for m in _pattern(term, case_sensitive).finditer(text)]


class Glossary:
    """Terms of one language pair, indexed by their first word."""

    def __init__(self, terms: Iterable[GlossaryTerm] = ()) -> None:
        self._terms: list[GlossaryTerm] = []
        self._by_word: dict[str, list[GlossaryTerm]] = {}
        self._found: dict[str, list[TermHit]] = {}  # sources do not change between edits
        self.revision = 0  # grows with every term added, for callers that cache results
        self.extend(terms)

    @property
    def terms(self) -> tuple[GlossaryTerm, ...]:
        return tuple(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, term: GlossaryTerm) -> None:
        first = _WORD.search(term.source)
        if first is None:  # a term with no letters or digits cannot be found in words
            return
        self._terms.append(term)
        self._by_word.setdefault(first[0].casefold(), []).append(term)
        self._found.clear()
        self.revision += 1

    def extend(self, terms: Iterable[GlossaryTerm]) -> None:
        for term in terms:
            self.add(term)

    def find(self, source: str) -> list[TermHit]:
        """Terms occurring in ``source``, left to right, for highlighting.

        Where terms overlap the longest wins ("hard drive" over "drive").
        """
        cached = self._found.get(source)
        if cached is not None:
            return list(cached)
        hits: list[TermHit] = []
        for word in _WORD.finditer(source):
            for key in _singulars(word[0]):
                for term in self._by_word.get(key, ()):
                    found = _pattern(term.source, term.case_sensitive).match(source, word.start())
                    if found:
                        hits.append(TermHit(term, found.start(), found.end()))
        hits.sort(key=lambda hit: (hit.start, -(hit.end - hit.start)))
        chosen: list[TermHit] = []
        for hit in hits:
            if not chosen or hit.start >= chosen[-1].end:
                chosen.append(hit)
        if len(self._found) >= 4_096:
            self._found.clear()
        self._found[source] = chosen
        return list(chosen)

    def problems(self, source: str, target: str, where: str = "") -> Iterator[Problem]:
        """Glossary problems of one segment.

        ``glossary_term_missing`` (warning): a term of the source whose expected
        translations are all absent from the target. ``glossary_forbidden_term``
        (error): a forbidden translation of a source term appears in the target.
        """
        seen: set[GlossaryTerm] = set()
        for hit in self.find(source):
            term = hit.term
            if term in seen:
                continue
            seen.add(term)
            used = [text for text in term.forbidden if find_term(target, text, term.case_sensitive)]
            if used:
                advice = f" Use {_either(term.targets)} instead." if term.targets else ""
                yield Problem(
                    "glossary_forbidden_term",
                    f"The glossary forbids {_either(used)} for “{term.source}”.{advice}",
                    Severity.ERROR,
                    where,
                )
            if term.targets and not any(
                find_term(target, text, term.case_sensitive) for text in term.targets
            ):
                yield Problem(
                    "glossary_term_missing",
                    f"The glossary translates “{term.source}” as {_either(term.targets)}; "
                    "the translation does not use it.",
                    Severity.WARNING,
                    where,
                )


def _either(texts: Sequence[str]) -> str:
    quoted = [f"“{text}”" for text in texts]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


_CACHE: dict[int, tuple[tuple[GlossaryTerm, ...], Glossary]] = {}


def glossary_for(payload: TranslationPayload) -> Glossary:
    """The payload's inline glossary, indexed once per payload and reused on every edit."""
    cached = _CACHE.get(id(payload.glossary))
    if cached is not None and cached[0] is payload.glossary:
        return cached[1]
    glossary = Glossary(payload.glossary)
    if len(_CACHE) >= 16:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(payload.glossary)] = (payload.glossary, glossary)
    return glossary


# --- files -----------------------------------------------------------------------------

_COLUMNS = {
    "source": ("source", "term", "source term", "source_term", "en"),
    "targets": ("target", "targets", "translation", "translations", "target term"),
    "forbidden": ("forbidden", "forbidden terms", "do not use", "deprecated"),
    "note": ("note", "notes", "comment", "comments", "description", "definition"),
    "case_sensitive": ("case", "case sensitive", "case_sensitive", "match case"),
}
_LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")
_TRUE = {"1", "yes", "true", "y", "x", "oui"}


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise GlossaryFileError(
                f"The glossary '{name}' is not UTF-8 text. Save it as UTF-8 and import it again."
            ) from None


def read_csv(data: bytes, name: str = "glossary.csv") -> list[GlossaryTerm]:
    """Terms from a CSV file, comma-, semicolon- or tab-separated, UTF-8 (or Windows-1252).

    With a header row, columns are found by name (source/term, target/translation,
    forbidden, note, case); without one, the columns are source, target, note.
    Several translations in one cell are separated by ``;`` or ``|``. Rows without
    a source are skipped. Raises ``GlossaryFileError`` when nothing can be read.
    """
    text = _decode(data, name)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    if not rows:
        raise GlossaryFileError(f"The glossary '{name}' is empty.")
    header = [cell.strip().casefold() for cell in rows[0]]
    columns = {
        field: next((header.index(n) for n in names if n in header), None)
        for field, names in _COLUMNS.items()
    }
    if columns["source"] is not None:
        rows = rows[1:]
    else:
        columns = {"source": 0, "targets": 1, "forbidden": None, "note": 2, "case_sensitive": None}

    def cell(row: list[str], field: str) -> str:
        index = columns[field]
        return row[index].strip() if index is not None and index < len(row) else ""

    terms = []
    for number, row in enumerate(rows, start=1):
        source = cell(row, "source")
        if not source:
            continue
        try:
            terms.append(
                GlossaryTerm(
                    source=source,
                    targets=tuple(t for t in _LIST_SEPARATOR.split(cell(row, "targets")) if t),
                    forbidden=tuple(t for t in _LIST_SEPARATOR.split(cell(row, "forbidden")) if t),
                    note=cell(row, "note") or None,
                    case_sensitive=cell(row, "case_sensitive").casefold() in _TRUE,
                )
            )
        except ValidationError as exc:
            raise GlossaryFileError(
                f"The glossary '{name}' has an unusable term on row {number}: "
                f"{exc.errors()[0]['msg']}. Correct it and import the file again."
            ) from None
    return terms


def write_csv(terms: Iterable[GlossaryTerm]) -> bytes:
    """Terms as a UTF-8 CSV file with a header row, readable by ``read_csv``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", "forbidden", "note", "case"])
    for term in terms:
        writer.writerow(
            [
                term.source,
                " | ".join(term.targets),
                " | ".join(term.forbidden),
                term.note or "",
                "yes" if term.case_sensitive else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def read_tbx(
    data: bytes, source_lang: str, target_lang: str, name: str = "glossary.tbx"
) -> list[GlossaryTerm]:
    """Terms of one language pair from a TBX (2.0 / TBX-Basic ``martif``) file.

    Read with translate-toolkit. Each source term of an entry becomes a term; target
    terms marked deprecated (``administrativeStatus`` ``deprecatedTerm-admn-sts``)
    become forbidden translations, the others expected ones. The entry's definition
    or notes become the note. Entries written with ``ntig`` (rather than ``tig``) are
    not read by the toolkit and are skipped. Raises ``GlossaryFileError``.
    """
    from translate.storage import tbx

    try:
        store = tbx.tbxfile.parsestring(
            data, sourcelanguage=source_lang, targetlanguage=target_lang
        )
    except Exception as exc:  # lxml and the toolkit raise many types on broken files
        raise GlossaryFileError(
            f"The glossary '{name}' is not a readable TBX file ({exc}). "
            "Export it again from the terminology tool."
        ) from None
    terms = []
    for unit in store.units:
        sources = [t.text.strip() for t in unit.get_source_terms() if t.text.strip()]
        targets = unit.get_target_terms(target_lang)
        expected = tuple(t.text.strip() for t in targets if t.text.strip() and not t.deprecated)
        forbidden = tuple(t.text.strip() for t in targets if t.text.strip() and t.deprecated)
        notes = {note.text.strip() for t in targets for note in t.notes if note.text.strip()}
        note = "; ".join(sorted(notes))[:1_000] or None
        for source in sources:
            try:
                terms.append(
                    GlossaryTerm(source=source, targets=expected, forbidden=forbidden, note=note)
                )
            except ValidationError:
                continue  # a term too long to be one: skip it rather than refuse the file
    return terms
