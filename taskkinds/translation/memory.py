"""Translation memory: fuzzy matches and concordance over past translations. Qt-free, no SQL.

The memory is an in-memory index. Whoever owns it (the app's store) persists the
entries — ``MemoryEntry.to_record``/``from_record`` give plain JSON-able dicts — and
bulk-loads them with ``extend`` when a task opens.

Matching. Sources are compared after normalization: Unicode NFC, every run of white
space (no-break spaces included) collapsed to one space, ends trimmed. A match scores
100 % only when the normalized sources are identical — case, placeholders, tags,
numbers and punctuation all count. Any other match scores rapidfuzz's ``ratio``
(an edit-distance similarity) of the case-folded sources, rounded and capped at 99 %,
so a source that differs only in case scores 99 %. Matches rank by score, then
origin (own > bundle > imported), then recency.

Speed. A character-trigram inverted index (numpy arrays, ``memory_index``) picks at most
``candidate_limit`` candidates whose length can reach the threshold and that share
the most trigrams with the query; rapidfuzz scores only those. Entries added after
the last build are scored by brute force until ``pending_limit`` of them pile up,
when the index is rebuilt. A bulk load through ``extend`` builds it at once: about
2 s for 100,000 entries on a 2-core machine, so load on a worker thread; a lookup then
takes about 2 ms (see ``bench/translation.py``). Not thread-safe: one owner serializes
calls.

Entries, matches and source normalization live in ``memory_entries`` (no numpy, no
rapidfuzz, so the kind loads without them) and are importable from here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC

import numpy as np
from rapidfuzz import fuzz, process

from taskkinds.translation.memory_entries import (
    ConcordanceHit,
    DiffKind,
    Match,
    MemoryEntry,
    Origin,
    diff_sources,
    normalize_source,
    own_entries,
    payload_entries,
    same_language,
)
from taskkinds.translation.memory_index import ConcordanceText, TrigramIndex
from taskkinds.translation.model import TranslationPayload, TranslationResult

__all__ = [
    "ConcordanceHit",
    "DiffKind",
    "Match",
    "MemoryEntry",
    "Origin",
    "TranslationMemory",
    "diff_sources",
    "normalize_source",
    "own_entries",
    "payload_entries",
    "prefill_exact",
    "same_language",
]


_ORIGIN_RANK = {Origin.OWN: 0, Origin.BUNDLE: 1, Origin.IMPORTED: 2}


def _fold(normalized: str) -> str:
    return normalized.casefold().replace("\x00", " ")


def _timestamp(entry: MemoryEntry) -> float:
    when = entry.when
    if when is None:
        return 0.0
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


class TranslationMemory:
    """Past translations of one language pair, searchable by fuzzy match and concordance.

    Entries of other language pairs are refused by ``add`` (region subtags are ignored:
    an en-US → fr-FR entry serves an en-GB → fr task). Adding an entry whose normalized
    source, target and origin equal an existing one's replaces it (its dates refresh).
    """

    def __init__(
        self,
        source_lang: str,
        target_lang: str,
        entries: Iterable[MemoryEntry] = (),
        *,
        candidate_limit: int = 256,
        pending_limit: int = 4_096,
    ) -> None:
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.candidate_limit = candidate_limit
        self.pending_limit = pending_limit
        self._entries: list[MemoryEntry | None] = []
        self._folded: list[str] = []
        self._exact: dict[str, list[int]] = {}
        self._by_key: dict[tuple[str, str, Origin], int] = {}
        self._index = TrigramIndex.build([])
        self._alive = np.zeros(0, dtype=np.bool_)
        self._live = 0
        self._concordance: ConcordanceText | None = None
        self.extend(entries)

    # -- content

    def accepts(self, entry: MemoryEntry) -> bool:
        """Whether ``entry`` is in this memory's language pair."""
        return same_language(entry.source_lang, self.source_lang) and same_language(
            entry.target_lang, self.target_lang
        )

    def add(self, entry: MemoryEntry) -> bool:
        """Add one entry; returns False when it is of another language pair or blank."""
        normalized = normalize_source(entry.source)
        if not self.accepts(entry) or not normalized or not entry.target.strip():
            return False
        old = self._by_key.get((normalized, entry.target, entry.origin))
        if old is not None:
            self._forget(old)
        self._append(entry, normalized)
        self._concordance = None
        return True

    def _append(self, entry: MemoryEntry, normalized: str) -> None:
        index = len(self._entries)
        self._entries.append(entry)
        self._folded.append(_fold(normalized))
        self._exact.setdefault(normalized, []).append(index)
        self._by_key[(normalized, entry.target, entry.origin)] = index
        self._live += 1

    def extend(self, entries: Iterable[MemoryEntry]) -> int:
        """Add many entries (a bulk load); returns how many were taken."""
        added = sum(self.add(entry) for entry in entries)
        if len(self._entries) - self._index.size > self.pending_limit:
            self.compact()
        return added

    def remove(self, entry: MemoryEntry) -> bool:
        """Remove the entry equal to ``entry`` (same normalized source, target, origin)."""
        index = self._by_key.get((normalize_source(entry.source), entry.target, entry.origin))
        if index is None:
            return False
        self._forget(index)
        return True

    def _forget(self, index: int) -> None:
        entry = self._entries[index]
        if entry is None:
            return
        normalized = normalize_source(entry.source)
        self._entries[index] = None
        self._exact[normalized].remove(index)
        if not self._exact[normalized]:
            del self._exact[normalized]
        del self._by_key[(normalized, entry.target, entry.origin)]
        if index < self._index.size:
            self._alive[index] = False
        self._live -= 1
        self._concordance = None

    def compact(self) -> None:
        """Rebuild the index over every entry now (dropping removed ones)."""
        if self._live != len(self._entries):  # drop removed entries, renumbering the rest
            self._renumber()
        self._index = TrigramIndex.build(self._folded)
        self._alive = np.ones(self._index.size, dtype=np.bool_)
        self._concordance = None

    def _renumber(self) -> None:
        kept = [entry for entry in self._entries if entry is not None]
        self._entries, self._folded, self._exact, self._by_key = [], [], {}, {}
        self._live = 0
        self._index = TrigramIndex.build([])
        self._alive = np.zeros(0, dtype=np.bool_)
        for entry in kept:
            self._append(entry, normalize_source(entry.source))

    def __len__(self) -> int:
        return self._live

    def __iter__(self) -> Iterator[MemoryEntry]:
        return (entry for entry in self._entries if entry is not None)

    # -- fuzzy matches

    def lookup(self, source: str, *, limit: int = 5, threshold: float = 0.70) -> list[Match]:
        """The best ``limit`` matches for ``source`` scoring at least ``threshold`` (0–1).

        Entries with the same normalized source and target appear once, as the best
        ranked of them. Returns an empty list for a blank source.
        """
        normalized = normalize_source(source)
        folded = _fold(normalized)
        if not folded or limit <= 0:
            return []
        if len(self._entries) - self._index.size > self.pending_limit:
            self.compact()
        exact = set(self._exact.get(normalized, ()))
        candidates = set(
            self._index.candidates(folded, threshold, self.candidate_limit, self._alive).tolist()
        )
        candidates.update(range(self._index.size, len(self._entries)))
        candidates |= exact
        choices = {i: self._folded[i] for i in candidates if self._entries[i] is not None}
        cutoff = max(threshold * 100 - 0.5, 0.0)
        scored: list[tuple[int, int]] = []
        for _, ratio, index in process.extract(
            folded, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
        ):
            score = 100 if index in exact else min(99, round(ratio))
            if score >= threshold * 100 - 1e-9:
                scored.append((score, index))
        scored.sort(key=lambda pair: self._rank(*pair))
        matches: list[Match] = []
        seen: set[tuple[str, str]] = set()
        for score, index in scored:
            entry = self._entries[index]
            assert entry is not None
            identity = (normalize_source(entry.source), entry.target)
            if identity in seen:
                continue
            seen.add(identity)
            matches.append(Match(entry, score, diff_sources(entry.source, source)))
            if len(matches) == limit:
                break
        return matches

    def _rank(self, score: int, index: int) -> tuple[int, int, float, int]:
        entry = self._entries[index]
        assert entry is not None
        return (-score, _ORIGIN_RANK[entry.origin], -_timestamp(entry), -index)

    # -- concordance

    def concordance(self, query: str, *, limit: int = 50) -> list[ConcordanceHit]:
        """Entries whose source or target contains ``query``, ignoring case and spacing.

        Own entries come first, then bundle and imported ones, newest first within each.
        """
        needle = _fold(normalize_source(query))
        if not needle or limit <= 0:
            return []
        if self._concordance is None:
            self._concordance = ConcordanceText(
                self._entries, self._folded, lambda text: _fold(normalize_source(text))
            )
        found = self._concordance.find(needle)
        ranked = sorted(found, key=lambda index: self._rank(0, index))[:limit]
        pattern = re.compile(
            r"\s+".join(re.escape(word) for word in normalize_source(query).split()),
            re.IGNORECASE,
        )
        hits = []
        for index in ranked:
            entry = self._entries[index]
            assert entry is not None
            hits.append(
                ConcordanceHit(
                    entry,
                    tuple(m.span() for m in pattern.finditer(entry.source)),
                    tuple(m.span() for m in pattern.finditer(entry.target)),
                )
            )
        return hits


def prefill_exact(
    payload: TranslationPayload, result: TranslationResult, memory: TranslationMemory
) -> TranslationResult:
    """``result`` with each blank target filled from its best 100 % match, marked for review.

    Targets the contributor already typed are never touched. Returns a new result.
    """
    targets = dict(result.targets)
    review = list(result.needs_review)
    for segment in payload.segments:
        if targets.get(segment.id, "").strip():
            continue
        matches = memory.lookup(segment.source, limit=1, threshold=1.0)
        if matches and matches[0].exact:
            targets[segment.id] = matches[0].entry.target
            if segment.id not in review:
                review.append(segment.id)
    return result.model_copy(update={"targets": targets, "needs_review": review})
