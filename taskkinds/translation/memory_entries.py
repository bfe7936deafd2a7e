"""Translation-memory entries, the matches they make and how their sources compare. Qt-free.

Split from ``memory`` so that what reads, writes and learns entries (the kind's
``workspace``, ``formats``, the ``qa`` checks) loads without numpy and rapidfuzz,
which only the index and fuzzy matching of ``memory.TranslationMemory`` need.
Every name here is also importable from ``taskkinds.translation.memory``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from taskkinds.translation.model import TranslationPayload, TranslationResult

__all__ = [
    "ConcordanceHit",
    "DiffKind",
    "Match",
    "MemoryEntry",
    "Origin",
    "diff_sources",
    "normalize_source",
    "own_entries",
    "payload_entries",
    "same_language",
]


class Origin(StrEnum):
    """Where a memory entry comes from; also the tie-break order of equal matches."""

    OWN = "own"  # the contributor's own accepted translations
    BUNDLE = "bundle"  # shipped with a task bundle
    IMPORTED = "imported"  # from a TMX, XLIFF or PO file the contributor imported


DiffKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True, slots=True)
class MemoryEntry:
    """One source/target pair with its languages, origin and dates."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    origin: Origin = Origin.OWN
    created: datetime | None = None
    changed: datetime | None = None
    note: str = ""

    @property
    def when(self) -> datetime | None:
        """The last time this translation was written."""
        return self.changed or self.created

    def to_record(self) -> dict[str, str]:
        """A JSON-able dict for storage; dates as ISO 8601, absent values left out."""
        record = {
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "origin": self.origin.value,
        }
        if self.created:
            record["created"] = self.created.isoformat()
        if self.changed:
            record["changed"] = self.changed.isoformat()
        if self.note:
            record["note"] = self.note
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> MemoryEntry:
        """The entry ``to_record`` wrote; raises ``ValueError`` on a malformed record."""
        try:
            return cls(
                source=str(record["source"]),
                target=str(record["target"]),
                source_lang=str(record["source_lang"]),
                target_lang=str(record["target_lang"]),
                origin=Origin(record.get("origin", Origin.OWN.value)),
                created=_date(record.get("created")),
                changed=_date(record.get("changed")),
                note=str(record.get("note", "")),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a memory entry: {exc}") from exc


def _date(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@dataclass(frozen=True, slots=True)
class Match:
    """A memory entry similar to the looked-up source.

    ``score`` is a whole percentage (100 only for an identical normalized source).
    ``diff`` turns the entry's source into the looked-up source: ``equal`` text is
    shared, ``insert`` text is only in the new source, ``delete`` text only in the
    entry's source.
    """

    entry: MemoryEntry
    score: int
    diff: tuple[tuple[DiffKind, str], ...]

    @property
    def origin(self) -> Origin:
        return self.entry.origin

    @property
    def exact(self) -> bool:
        return self.score == 100


@dataclass(frozen=True, slots=True)
class ConcordanceHit:
    """An entry whose source or target contains the searched text, with where it does."""

    entry: MemoryEntry
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]


def normalize_source(text: str) -> str:
    """NFC, white space runs (no-break ones too) collapsed to one space, ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def same_language(tag_a: str, tag_b: str) -> bool:
    """Whether two BCP 47 tags share their primary language (en-GB and en-US do)."""
    return _primary(tag_a) == _primary(tag_b)


@cache
def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def diff_sources(match_source: str, new_source: str) -> tuple[tuple[DiffKind, str], ...]:
    """Word-level differences turning ``match_source`` into ``new_source``, for highlighting.

    Both are normalized first. Adjacent pieces of one kind are merged.
    """
    old = _TOKEN.findall(normalize_source(match_source))
    new = _TOKEN.findall(normalize_source(new_source))
    ops: list[tuple[DiffKind, str]] = []

    def push(kind: DiffKind, tokens: Sequence[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if ops and ops[-1][0] == kind:
            ops[-1] = (kind, ops[-1][1] + text)
        else:
            ops.append((kind, text))

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", new[j1:j2])
        else:
            push("delete", old[i1:i2])
            push("insert", new[j1:j2])
    return tuple(ops)


# --- building entries ------------------------------------------------------------------


def payload_entries(payload: TranslationPayload) -> list[MemoryEntry]:
    """The memory units a task's payload carries inline, as bundle entries."""
    return [
        MemoryEntry(
            unit.source,
            unit.target,
            payload.source_lang,
            payload.target_lang,
            Origin.BUNDLE,
            note=unit.note or "",
        )
        for unit in payload.memory
    ]


def own_entries(
    payload: TranslationPayload, result: TranslationResult, when: datetime | None = None
) -> list[MemoryEntry]:
    """The contributor's translations in ``result`` as own entries (blank ones skipped).

    Call it when a result is submitted or accepted; ``when`` dates the entries.
    """
    entries = []
    for segment in payload.segments:
        target = result.targets.get(segment.id, "")
        if target.strip():
            entries.append(
                MemoryEntry(
                    segment.source,
                    target,
                    payload.source_lang,
                    payload.target_lang,
                    Origin.OWN,
                    created=when,
                    changed=when,
                )
            )
    return entries
