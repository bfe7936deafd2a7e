"""The indexes behind the translation memory: character trigrams and concordance text.

Qt-free, numpy only. ``TrigramIndex`` keeps compressed posting lists of the trigrams of
case-folded sources and proposes candidates for rapidfuzz to score; ``ConcordanceText``
holds all sources and targets in one string so that one C-level search finds them.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["ConcordanceText", "TrigramIndex"]


class _Texts(Protocol):
    @property
    def target(self) -> str: ...


IntArray = npt.NDArray[np.int64]
_CHUNK = 16_384


def _gram_pairs(texts: Sequence[str]) -> tuple[IntArray, IntArray]:
    """(text index, trigram key) for every trigram of every text, duplicates included.

    Each text is framed by start/end marks so that short texts still have trigrams and
    the first and last letters weigh like the others. A key packs three code points.
    """
    owners: list[IntArray] = []
    keys: list[IntArray] = []
    for first in range(0, len(texts), _CHUNK):
        chunk = [f"\x02{text}\x03" for text in texts[first : first + _CHUNK]]
        joined = "\x00".join(chunk) + "\x00"
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        sizes = np.fromiter((len(text) + 1 for text in chunk), dtype=np.int64, count=len(chunk))
        owner = np.repeat(np.arange(first, first + len(chunk), dtype=np.int64), sizes)
        a, b, c = codes[:-2], codes[1:-1], codes[2:]
        valid = (a != 0) & (b != 0) & (c != 0)  # a trigram never straddles two texts
        owners.append(owner[:-2][valid])
        keys.append(((a << 42) | (b << 21) | c)[valid])
    if not owners:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(owners), np.concatenate(keys)


def _distinct(values: IntArray) -> IntArray:
    """Sorted distinct values (a plain sort: faster than ``np.unique`` on millions)."""
    ordered = np.sort(values)
    if not ordered.size:
        return ordered
    keep = np.empty(ordered.size, dtype=np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


@dataclass
class TrigramIndex:
    """Posting lists of the first ``size`` entries, in compressed sparse rows."""

    size: int
    keys: IntArray  # sorted distinct trigram keys
    offsets: IntArray  # postings of keys[i] are postings[offsets[i]:offsets[i + 1]]
    postings: npt.NDArray[np.int32]
    gram_counts: IntArray  # distinct trigrams per entry
    lengths: IntArray  # length of each folded source

    @classmethod
    def build(cls, folded: Sequence[str]) -> TrigramIndex:
        size = len(folded)
        owners, keys = _gram_pairs(folded)
        distinct = _distinct(keys)
        # One number per (trigram, entry) pair: sorted, it groups postings by trigram.
        pairs = _distinct(np.searchsorted(distinct, keys) * max(size, 1) + owners)
        gram_of_pair = pairs // max(size, 1)
        postings = (pairs % max(size, 1)).astype(np.int32)
        offsets = np.zeros(len(distinct) + 1, dtype=np.int64)
        np.cumsum(np.bincount(gram_of_pair, minlength=len(distinct)), out=offsets[1:])
        gram_counts = np.bincount(postings, minlength=size).astype(np.int64)
        lengths = np.fromiter((len(text) for text in folded), dtype=np.int64, count=size)
        return cls(size, distinct, offsets, postings, gram_counts, lengths)

    def candidates(
        self, folded: str, threshold: float, limit: int, alive: npt.NDArray[np.bool_]
    ) -> IntArray:
        """Up to ``limit`` entries that share the most trigrams with ``folded``.

        Entries whose length rules out a ratio at or above ``threshold`` are skipped.
        """
        if not self.size or not len(self.keys):
            return np.zeros(0, dtype=np.int64)
        query = _distinct(_gram_pairs([folded])[1])
        where = np.searchsorted(self.keys, query)
        where = where[where < len(self.keys)]
        where = where[np.isin(self.keys[where], query)]
        if not where.size:
            return np.zeros(0, dtype=np.int64)
        hits = np.concatenate(
            [self.postings[self.offsets[i] : self.offsets[i + 1]] for i in where.tolist()]
        )
        counts = np.bincount(hits, minlength=self.size)
        ids = np.flatnonzero(counts)
        # ratio = 2·LCS / (m + n) >= t needs n within [m·t / (2 - t), m·(2 - t) / t].
        t = min(max(threshold - 0.01, 0.01), 1.0)
        m = len(folded)
        lengths = self.lengths[ids]
        keep = (lengths >= m * t / (2 - t)) & (lengths <= m * (2 - t) / t) & alive[ids]
        ids = ids[keep]
        if ids.size > limit:
            # Dice coefficient of the trigram sets; entries tied with the last one kept
            # come too (up to four times the limit), so near-duplicates do not crowd out
            # the best match.
            dice = counts[ids] / (len(query) + self.gram_counts[ids])
            order = np.argpartition(-dice, limit - 1)
            floor = dice[order[limit - 1]]
            tied = np.flatnonzero(dice >= floor)
            if tied.size > 4 * limit:
                tied = np.argpartition(-dice, 4 * limit - 1)[: 4 * limit]
            ids = ids[tied]
        return ids.astype(np.int64)


class ConcordanceText:
    """All folded sources and targets in one string, so one C-level search finds them."""

    def __init__(
        self,
        entries: Sequence[_Texts | None],
        sources: Sequence[str],
        fold: Callable[[str], str],
    ) -> None:
        """``sources`` are the entries' sources already folded; ``fold`` folds a target."""
        parts: list[str] = []
        self.starts: list[int] = []
        self.owners: list[int] = []
        position = 0
        for index, entry in enumerate(entries):
            if entry is None:
                continue
            for folded in (sources[index], fold(entry.target)):
                self.starts.append(position)
                self.owners.append(index)
                parts.append(folded)
                position += len(folded) + 1
        self.text = "\x00".join(parts)

    def find(self, needle: str) -> set[int]:
        """Indexes of the entries whose folded source or target contains ``needle``."""
        found: set[int] = set()
        at = self.text.find(needle)
        while at >= 0:
            part = bisect.bisect_right(self.starts, at) - 1
            found.add(self.owners[part])
            # One hit per part is enough: skip to the next part.
            following = self.starts[part + 1] if part + 1 < len(self.starts) else len(self.text)
            at = self.text.find(needle, following)
        return found
